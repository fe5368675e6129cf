// domains/Interfaces/Net: what a network driver counts.
namespace RedLeaf.Interfaces.Net;

public struct NetCounters
{
    public long Received;
    public long Transmitted;
    /// <summary>Frames the device flagged with an error, or whose completion was lost.</summary>
    public long Dropped;
}
