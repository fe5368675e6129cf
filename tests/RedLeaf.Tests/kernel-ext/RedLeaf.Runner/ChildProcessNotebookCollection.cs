// tests/kernel-ext/RedLeaf.Runner: tests that run notebooks only in child processes (`redleaf run`, `redleaf grade`,
// Jupyter, JupyterHub) share nothing process-wide with this one, so unlike NotebookCollection they run alongside
// the parallel suites; one at a time among themselves, since each keeps a core or two busy with its children.
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[CollectionDefinition(Name)]
public sealed class ChildProcessNotebookCollection
{
    public const string Name = "notebooks in child processes";
}
