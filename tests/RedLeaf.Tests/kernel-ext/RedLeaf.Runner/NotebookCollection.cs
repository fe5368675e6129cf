// tests/kernel-ext/RedLeaf.Runner: notebooks run in this process with process-wide state (console capture, .NET
// Interactive formatters, the current directory, the current RedLeaf kernel), so their tests run
// one at a time, apart from the parallel suites.
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks (one at a time)";
}
