// tests/notebooks: the measurement notebooks run in child processes (NotebookChildRunTests, and the parameter runs of
// 03 and 07 in ParameterTests and GcCostNotebookTests) form a collection of their own, beside
// ChildProcessNotebookCollection's grading and Jupyter runs, so the two chains of child processes (each a few
// minutes) run side by side rather than one after the other.
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[CollectionDefinition(Name)]
public sealed class MeasurementNotebookCollection
{
    public const string Name = "measurement notebooks in child processes";
}
