// tests/os/compiler: what the trusted compiler's instrumentation buys at run time: a domain spinning in
// an infinite loop is stopped by a kill, even inside a catch-all; infinite recursion becomes a crash
// of the domain, not the end of the process; a huge array is refused before it is allocated. In each
// case the kernel carries on, the heap is back to its baseline and the context is collected.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class ContainmentTests
{
    private static DomainImage Spinner => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/spinner"));

    private static async Task AssertContained(Os.Microkernel k, Domain d, long liveBefore)
    {
        Assert.NotEqual(DomainStatus.Running, d.Status);
        Assert.Equal(liveBefore, k.Heap.LiveObjects);
        var collected = await d.LastCrash!.Collection.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(collected.Collected, "the domain's context was not collected");
        var b = k.Load(TestDomains.DomB); // the kernel still loads and runs domains
        Assert.Equal(3, b.Get<IDomB>().Add(1, 2).Value);
    }

    [Theory]
    [InlineData(0)] // a plain infinite loop
    [InlineData(2)] // an infinite loop inside a catch-all that tries to swallow the stop
    public async Task AKilledSpinningDomainStopsAndItsCallerGetsAnError(long mode)
    {
        using var k = TestDomains.Boot();
        var d = k.Load(Spinner);
        long live = k.Heap.LiveObjects;
        // A thread of its own, not the pool's: on a loaded machine a pool task could start after the kill, and the
        // call would then be refused (NotRunning) instead of stopped.
        var done = new TaskCompletionSource<RpcResult<long>>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() => done.SetResult(d.Get<IHostile>().Run(mode))) { IsBackground = true, Name = "spinner caller" }.Start();
        var call = done.Task;
        await Task.Delay(200);
        Assert.False(call.IsCompleted, "the spinner should still be spinning");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        k.Kill(d, "test kill");
        var result = await call.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(RpcErrorKind.CalleeKilled, result.Error.Kind);
        await AssertContained(k, d, live);
    }

    [Fact]
    public async Task InfiniteRecursionCrashesTheDomainNotTheProcess()
    {
        using var k = TestDomains.Boot();
        var d = k.Load(Spinner);
        long live = k.Heap.LiveObjects;
        // Run on a thread of our own with a known stack, as the kernel's threads are.
        RpcResult<long> result = default;
        var t = new Thread(() => result = d.Get<IHostile>().Run(1), 4 * 1024 * 1024);
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(30)), "recursion was not stopped");
        Assert.Equal(RpcErrorKind.CalleeCrashed, result.Error.Kind);
        Assert.Contains("stack depth limit", d.LastCrash!.Reason);
        await AssertContained(k, d, live);
    }

    [Fact]
    public async Task AHugeArrayIsRefusedBeforeItIsAllocated()
    {
        using var k = TestDomains.Boot();
        var d = k.Load(Spinner);
        k.SetLimits(d, new DomainLimits { MaxArrayLength = 1 << 20 });
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = d.Get<IHostile>().Run(3);
        Assert.Equal(RpcErrorKind.CalleeCrashed, result.Error.Kind);
        Assert.Contains("array length limit", d.LastCrash!.Reason);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "the huge array was allocated anyway");
        await AssertContained(k, d, k.Heap.LiveObjects);
    }
}

[Trait("suite", "trusted")]
public class BaseLibrarySizeTests
{
    [Theory]
    [InlineData("new List<long>(int.MaxValue / 2).Count")]
    [InlineData("Enumerable.Repeat(7L, int.MaxValue).LongCount()")]
    [InlineData("new string('x', int.MaxValue / 2).Length")]
    [InlineData("Enumerable.Range(0, int.MaxValue).ToList().Count")]
    public async Task SizesHandedToTheBaseLibraryAreLimitedLikeArrays(string expression)
    {
        var image = TrustedCompiler.Default.CompileText("bcl_size", $$"""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start() => new B(); }
            sealed class B : IHostile { public RpcResult<long> Run(long a) => (long)({{expression}}); }
            """);
        using var k = TestDomains.Boot();
        var d = k.Load(image);
        k.SetLimits(d, new DomainLimits { MaxArrayLength = 1 << 20 });
        var result = d.Get<IHostile>().Run(0);
        Assert.Equal(RpcErrorKind.CalleeCrashed, result.Error.Kind);
        Assert.Contains("array length limit", d.LastCrash!.Reason);
        Assert.True((await d.LastCrash.Collection.WaitAsync(TimeSpan.FromSeconds(10))).Collected);
    }
}
