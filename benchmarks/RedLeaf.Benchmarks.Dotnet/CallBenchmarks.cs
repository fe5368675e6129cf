// benchmarks/RedLeaf.Benchmarks.Dotnet: Table 1's call paths under BenchmarkDotNet. The targets are the very
// objects CallsSuite times (Suites/CallTargets: null_domain through its generated proxy, and the
// same interface on a plain object). BenchmarkDotNet reports nanoseconds and allocated bytes per
// operation; bench/README.md puts them, converted to cycles at the TSC rate, beside the custom
// harness's numbers. Setup and the benchmarks run on one thread (BenchmarkDotNet's default), which
// matters because the kernel's domain is entered per thread.
using BenchmarkDotNet.Attributes;
using RedLeaf.Abi;
using RedLeaf.Benchmarks.Suites;
using RedLeaf.Interfaces.Workloads;

namespace RedLeaf.Benchmarks.Dotnet;

[MemoryDiagnoser]
public class CallBenchmarks
{
    CallTargets? _targets;
    IBench _proxy = null!;
    IBench _direct = null!;
    IBench _shadow = null!;
    RRef<Payload64> _payload;
    int _thread;

    [GlobalSetup]
    public void Setup()
    {
        _targets = new CallTargets();
        _proxy = _targets.Proxy;
        _direct = _targets.Direct;
        _shadow = _targets.Shadow;
        _payload = _targets.Payload;
        _thread = Environment.CurrentManagedThreadId;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Environment.CurrentManagedThreadId != _thread)
            throw new InvalidOperationException("BenchmarkDotNet ran setup and cleanup on different threads; the kernel scope is per thread");
        _targets!.CheckCalleeRunning();
        _targets.Dispose();
    }

    [Benchmark(Description = "direct")]
    public RpcResult Direct() => _direct.Null();

    [Benchmark(Description = "proxy-null")]
    public RpcResult ProxyNull() => _proxy.Null();

    [Benchmark(Description = "proxy-arg")]
    public RpcResult<long> ProxyArg() => _proxy.Arg(42);

    [Benchmark(Description = "proxy-rref")]
    public bool ProxyRref()
    {
        var r = _proxy.Bounce(_payload);
        if (!r.IsOk) throw new InvalidOperationException($"bounce failed: {r.Error}");
        _payload = r.Value;
        return true;
    }

    [Benchmark(Description = "proxy-borrow")]
    public RpcResult<long> ProxyBorrow() => _proxy.Borrow(in _payload);

    [Benchmark(Description = "shadow-null")]
    public RpcResult ShadowNull() => _shadow.Null();

    [Benchmark(Description = "shadow-rref")]
    public bool ShadowRref()
    {
        var r = _shadow.Bounce(_payload);
        if (!r.IsOk) throw new InvalidOperationException($"bounce through the shadow failed: {r.Error}");
        _payload = r.Value;
        return true;
    }
}
