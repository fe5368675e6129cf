// domains/workloads/shadow_bench: a shadow domain in front of null_domain, for Table 1's rows "RedLeaf call
// via a shadow domain" (shadow-null) and "... passing an RRef" (shadow-rref). Like the driver shadows
// (domains/shadow/), it forwards every call and, if the callee crashed, restarts it through its
// RestartCapability and replays the call; a moved RRef that died with the callee is reallocated.
// On the measured path it does what a shadow must and no more: one more crossing and one check.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Bench.ShadowBench;

public sealed class BenchShadow : IBench
{
    private const int MaxReplays = 3;
    private readonly IBench _callee;
    private readonly RestartCapability _restart;

    public BenchShadow(IBench callee, RestartCapability restart)
    {
        _callee = callee;
        _restart = restart;
    }

    public RpcResult Null()
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _callee.Null();
            if (r.IsOk || attempt == MaxReplays) return r;
            _restart.Restart();
        }
    }

    public RpcResult<long> Arg(long x)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _callee.Arg(x);
            if (r.IsOk || attempt == MaxReplays) return r;
            _restart.Restart();
        }
    }

    public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> payload)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _callee.Bounce(payload);
            if (r.IsOk || attempt == MaxReplays) return r;
            // Moved into the callee and lost with it (unless refused before entering): a new one.
            if (r.Error.Kind != RpcErrorKind.NotRunning) payload = RRef<Payload64>.New(default);
            _restart.Restart();
        }
    }

    public RpcResult<long> Borrow(in RRef<Payload64> payload)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = _callee.Borrow(payload);
            if (r.IsOk || attempt == MaxReplays) return r;
            _restart.Restart();
        }
    }
}
