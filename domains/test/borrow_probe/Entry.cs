// domains/test/borrow_probe: needs a grant (an ICounter "probe") and calls it while holding a borrow (ProxyTests, LoaderTests).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.BorrowProbe;

public static class Entry
{
    [DomainEntry]
    public static IBench Start(ICounter probe) => new Probe(probe);
}

internal sealed class Probe : IBench
{
    private readonly ICounter _probe;

    public Probe(ICounter probe) => _probe = probe;

    public RpcResult Null() => RpcResult.Ok;

    /// <summary>Calls the probe once; returns what it answered.</summary>
    public RpcResult<long> Arg(long x)
    {
        var n = _probe.Next();
        if (!n.IsOk) return n.Error;
        return n.Value + x;
    }

    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;

    /// <summary>Calls the probe while the borrow is out, then reads the borrowed value.</summary>
    public RpcResult<long> Borrow(in RRef<Payload64> r)
    {
        var n = _probe.Next();
        if (!n.IsOk) return n.Error;
        return r.Value[0];
    }
}
