// machine/Cpu: one emulated CPU. The machine runs on host threads; a CPU records which host thread
// is executing on it now and how many times threads were scheduled onto it, for the notebooks.
namespace RedLeaf.Hardware;

public sealed class Cpu
{
    internal Cpu(int id) => Id = id;

    public int Id { get; }

    /// <summary>Managed id of the host thread bound to this CPU, or 0 when idle.</summary>
    public int BoundThread { get; internal set; }

    public long Dispatches { get; internal set; }

    public override string ToString() => BoundThread == 0 ? $"cpu{Id} (idle)" : $"cpu{Id} (thread {BoundThread})";
}
