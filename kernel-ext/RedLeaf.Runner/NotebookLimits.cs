// kernel-ext/RedLeaf.Runner: the bounds a notebook's own process runs under when the runner or the
// grader isolates it: wall time for the whole notebook, resident memory (native and managed, watched
// from outside), and the managed heap (the child's GC hard limit, so an allocating cell fails with
// OutOfMemoryException inside the child before the watcher has to kill it).
namespace RedLeaf.Runner;

public sealed record NotebookLimits
{
    /// <summary>The whole notebook, every cell included; past it the process is killed.</summary>
    public TimeSpan Wall { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Resident memory of the notebook's process; past it the process is killed.</summary>
    public long MemoryBytes { get; init; } = 6L << 30;

    /// <summary>The managed heap's hard limit inside the process (DOTNET_GCHeapHardLimit): half the memory bound.</summary>
    public long ManagedHeapBytes => MemoryBytes / 2;
}
