// domains/test/hog: keeps everything it allocates (SharedHeapTests): fills the heap's slots or its physical memory on request.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Test.Hog;

public static class Entry
{
    [DomainEntry]
    public static IBench Start() => new Hog();
}

internal sealed class Hog : IBench
{
    private readonly List<RRef<Payload64>> _values = new();
    private readonly List<RRefArray<long>> _arrays = new();

    /// <summary>Allocates one 64-byte value (one heap slot) and keeps it.</summary>
    public RpcResult Null()
    {
        _values.Add(RRef<Payload64>.New(default));
        return RpcResult.Ok;
    }

    /// <summary>Allocates an array of <paramref name="x"/> longs and keeps it; returns its length.</summary>
    public RpcResult<long> Arg(long x)
    {
        var a = RRefArray<long>.New((int)x);
        _arrays.Add(a);
        return a.Length;
    }

    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;

    public RpcResult<long> Borrow(in RRef<Payload64> r) => r.Value[0];
}
