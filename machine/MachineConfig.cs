// machine/: what to build an emulated machine with. Defaults suit a notebook on a 2-core host.
namespace RedLeaf.Hardware;

public sealed record MachineConfig
{
    /// <summary>Emulated CPUs (host threads may be bound to them).</summary>
    public int Cpus { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Bytes of physical memory (the shared heap lives here).</summary>
    public long MemoryBytes { get; init; } = 256L << 20;
}
