// domains/test/catcher: catches the kernel's OwnershipViolationException itself (CrashCleanupTests): catching must not save it.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Test.Catcher;

public static class Entry
{
    [DomainEntry]
    public static IBench Start() => new Catcher();
}

internal sealed class Catcher : IBench
{
    private long _caught;

    /// <summary>Reads a null (default) RRef and swallows the violation.</summary>
    public RpcResult Null()
    {
        try { _ = default(RRef<Payload64>).Value[0]; }
        catch (OwnershipViolationException) { _caught++; }
        return RpcResult.Ok;
    }

    /// <summary>Uses an RRef after dropping it, inside a catch-all.</summary>
    public RpcResult<long> Arg(long x)
    {
        try
        {
            var r = RRef<Payload64>.New(default);
            r.Drop();
            _ = r.Value[0];
        }
        catch (Exception) { _caught++; }
        return x;
    }

    /// <summary>Swallows a use after free, then hands back a fresh RRef as if nothing happened.</summary>
    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r)
    {
        try
        {
            r.Drop();
            _ = r.Value[0];
        }
        catch (OwnershipViolationException) { _caught++; }
        return RRef<Payload64>.New(default);
    }

    /// <summary>Writes to a borrowed RRef and swallows the violation.</summary>
    public RpcResult<long> Borrow(in RRef<Payload64> r)
    {
        try { r.Value = default; }
        catch (OwnershipViolationException) { _caught++; }
        return _caught;
    }
}
