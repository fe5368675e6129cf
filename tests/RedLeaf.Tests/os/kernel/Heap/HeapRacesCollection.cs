// tests/os/kernel/Heap: the collection of the tests that hold threads at the shared heap's race pause points (HeapRaceHook)
// and of the heap storm. The hook is process-wide and picks the threads it holds by domain id, and domain ids are per
// kernel: a test running beside them in a kernel of its own has domains with the same small ids, and a hold could catch
// its thread instead (the likely cause of two CI failures of LenderCrashAttacks: the reader Running, its lent reads never
// made, as when a hold catches another kernel's domain 2 and the lender is killed before it lends).
// So the collection runs alone, after the parallel ones.
using Xunit;

namespace RedLeaf.Tests.Kernel.Heap;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapRacesCollection
{
    public const string Name = "heap races";
}
