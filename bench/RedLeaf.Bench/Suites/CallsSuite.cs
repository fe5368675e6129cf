// bench/Suites: Table 1 of the paper on this machine: what one cross-domain call costs, next to a
// plain interface call. The callee is domains/bench/null_domain, loaded by the kernel and reached
// only through its generated proxy; the caller is host code running as the kernel's domain, so
// each call takes the same proxy path a domain-to-domain call takes.
using RedLeaf.Abi;
using RedLeaf.Bench.Measure;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Bench;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Bench.Suites;

public static class CallsSuite
{
    public const string Name = "calls";

    public static SuiteResult Run(bool quick, Action<string>? progress = null)
    {
        var settings = quick ? SamplerSettings.Quick : SamplerSettings.Full;
        progress ??= _ => { };
        progress($"calls: clock {Tsc.Source} at {Tsc.Hz / 1e9:F3} GHz, read cost {Tsc.ReadCost:F1} cycles");

        using var kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 64L << 20 });
        var domain = kernel.Load(TrustedCompiler.Default.CompileFolder(DomainTree.Folder("bench/null_domain")));
        IBench proxy = domain.Get<IBench>();
        IBench direct = new DirectBench();
        using var scope = kernel.Enter();
        var payload = RRef<Payload64>.New(default);

        var rows = new List<BenchRow>();
        BenchRow Row<T>(string name, T op) where T : struct, IOperation
        {
            progress($"calls: {name} ...");
            var m = Sampler.Measure(ref op, settings);
            var row = BenchRow.FromMeasurement(name, m);
            progress($"calls: {name} median {m.Batch.Median:F1} cycles, {m.AllocBytesPerOp:F2} bytes/op");
            rows.Add(row);
            return row;
        }

        Row("direct", new NullOp { Target = direct });
        Row("proxy-null", new NullOp { Target = proxy });
        Row("proxy-arg", new ArgOp { Target = proxy });
        var bounce = new BounceOp { Target = proxy, Payload = payload };
        Row("proxy-rref", bounce);
        Row("proxy-borrow", new BorrowOp { Target = proxy, Payload = payload });

        if (domain.Status != Os.Domains.DomainStatus.Running)
            throw new InvalidOperationException($"the benchmark domain stopped during the run: {domain.LastCrash}");
        return new SuiteResult(Name, quick, rows);
    }

    private struct NullOp : IOperation
    {
        public IBench Target;
        public void Run() => Target.Null();
    }

    private struct ArgOp : IOperation
    {
        public IBench Target;
        public void Run() => Target.Arg(42);
    }

    /// <summary>Moves the payload to the callee and back: after every call the host owns it again.</summary>
    private struct BounceOp : IOperation
    {
        public IBench Target;
        public RRef<Payload64> Payload;
        public void Run()
        {
            var r = Target.Bounce(Payload);
            if (!r.IsOk) throw new InvalidOperationException($"bounce failed: {r.Error}");
            Payload = r.Value;
        }
    }

    private struct BorrowOp : IOperation
    {
        public IBench Target;
        public RRef<Payload64> Payload;
        public void Run() => Target.Borrow(in Payload);
    }

    /// <summary>The same work as null_domain, called without a domain boundary.</summary>
    private sealed class DirectBench : IBench
    {
        public RpcResult Null() => RpcResult.Ok;
        public RpcResult<long> Arg(long x) => x;
        public RpcResult<RRef<Payload64>> Bounce(RRef<Payload64> r) => r;
        public RpcResult<long> Borrow(in RRef<Payload64> r) => r.Value[0];
    }
}
