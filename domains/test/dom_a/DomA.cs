// domains/test/dom_a: the caller of the kernel's tests (after RedLeaf's dom_a). It calls dom_b only
// through the proxy it was granted, and checks every RpcResult as domain code must.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomA;

internal sealed class DomA : IDomA
{
    private readonly IDomB _b;

    public DomA(IDomB b) => _b = b;

    public RpcResult<long> Run(long n)
    {
        long sum = 0;
        for (long i = 0; i < n; i++)
        {
            var z = _b.Null();
            if (!z.IsOk) return z.Error;
            var r = _b.Add(i, 1);
            if (!r.IsOk) return r.Error;
            sum += r.Value;
        }
        return sum;
    }

    public RpcResult<long> SurviveCalleeCrash()
    {
        var crash = _b.Crash();
        if (crash.IsOk || crash.Error.Kind != RpcErrorKind.CalleeCrashed) return 0;
        var after = _b.Add(1, 2);
        bool refused = !after.IsOk && after.Error.Kind == RpcErrorKind.NotRunning;
        return refused ? 1 : 0;
    }

    public RpcResult<long> UseAfterMove()
    {
        var p = RRef<Payload>.New(new Payload(1, 2));
        var kept = _b.Keep(p);
        if (!kept.IsOk) return kept.Error;
        return p.Value.A; // p now belongs to dom_b: this read is a use after move
    }

    public RpcResult<long> RoundTrip(long a, long b)
    {
        var produced = _b.Produce(a, b);
        if (!produced.IsOk) return produced.Error;
        var p = produced.Value;
        var v = p.Value; // dom_a owns it now
        p.Value = new Payload(v.A * 2, v.B * 2);
        return _b.Keep(p);
    }
}
