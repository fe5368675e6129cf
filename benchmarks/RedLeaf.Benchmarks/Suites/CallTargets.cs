// benchmarks/RedLeaf.Benchmarks/Suites: what the call benchmarks call, set up once: a booted microkernel, the null_domain
// (domains/workloads/null_domain) loaded through the trusted compiler and reached by its generated
// proxy, the same callee behind a shadow domain (workloads/shadow_bench), the same interface on a plain
// object for the `direct` row, and one RRef payload owned by the kernel's domain. Shared by CallsSuite and the BenchmarkDotNet cross-check
// (benchmarks/RedLeaf.Benchmarks.Dotnet), so both time exactly the same call paths.
// The constructor enters the kernel's domain on the calling thread; use and dispose it there.
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Benchmarks.Suites;

public sealed class CallTargets : IDisposable
{
    readonly Microkernel _kernel;
    readonly KernelScope _scope;
    readonly Domain _domain;
    readonly Domain _shadow;

    public CallTargets()
    {
        _kernel = Microkernel.Boot(new MachineConfig { MemoryBytes = 64L << 20 });
        _domain = _kernel.Load(TrustedCompiler.Default.CompileFolder(DomainTree.Folder("workloads/null_domain")));
        Proxy = _domain.Get<IBench>();
        _shadow = _kernel.Load(TrustedCompiler.Default.CompileFolder(DomainTree.Folder("workloads/shadow_bench")), _domain.Export!, _kernel.GrantRestart(_domain));
        Shadow = _shadow.Get<IBench>();
        _scope = _kernel.Enter();
        Payload = RRef<Payload64>.New(default);
    }

    /// <summary>null_domain's IBench, through its generated proxy.</summary>
    public IBench Proxy { get; }
    /// <summary>null_domain behind its shadow (domains/workloads/shadow_bench): two crossings and the shadow's check.</summary>
    public IBench Shadow { get; }
    /// <summary>The same work with no domain boundary.</summary>
    public IBench Direct { get; } = new DirectBench();
    /// <summary>An RRef owned by the kernel's domain, for the move and borrow rows.</summary>
    public RRef<Payload64> Payload { get; }

    /// <summary>Throws if the callee crashed (a benchmark of a dead domain measures an error path).</summary>
    public void CheckCalleeRunning()
    {
        foreach (var d in new[] { _domain, _shadow })
            if (d.Status != DomainStatus.Running || d.Restarts != 0)
                throw new InvalidOperationException($"benchmark domain {d.Name} stopped or restarted during the run: {d.LastCrash}");
    }

    public void Dispose()
    {
        _scope.Dispose();
        _kernel.Dispose();
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
