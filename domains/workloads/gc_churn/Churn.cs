// domains/workloads/gc_churn: the allocating neighbour of `redleaf bench gc` (benchmarks/.../Gc): a domain
// whose private objects are ordinary managed objects, as every domain's are in this rebuild. Each call
// allocates a number of small objects (a node and its 48-byte payload, linked to the node before it) and
// keeps the newest 65,536 of them in a ring, so a collection always finds live objects to mark and
// promote, as a real domain's caches and queues would give it. Nothing here is shared: it is reachable
// only from this domain, which is what isolates it; but it lives in the one process-wide GC heap, so its
// collections stop every domain's threads, the driver's included.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Bench.GcChurn;

public static class Entry
{
    [DomainEntry]
    public static IHostile Start() => new Churn();
}

internal sealed class Node
{
    public long Value;
    public Node? Previous;
    public byte[] Payload = new byte[48];
}

internal sealed class Churn : IHostile
{
    private const int Kept = 1 << 16;
    private readonly Node?[] _ring = new Node?[Kept];
    private int _next;
    private Node? _last;

    /// <summary>Allocates <paramref name="objects"/> nodes (each with its payload), keeping the newest in the
    /// ring; returns a checksum so the work cannot be left out.</summary>
    public RpcResult<long> Run(long objects)
    {
        long sum = 0;
        for (long i = 0; i < objects; i++)
        {
            var n = new Node { Value = i, Previous = _last };
            n.Payload[0] = (byte)i;
            var old = _ring[_next];
            if (old is not null) { sum += old.Payload[0]; old.Previous = null; } // the chain stays one ring long
            _ring[_next] = n;
            _next = (_next + 1) & (Kept - 1);
            _last = n;
        }
        return sum;
    }
}
