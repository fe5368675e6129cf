// tests/os/kernel/Kernel: shared helpers for the kernel suite: compiled test domains (cached per process),
// a booted kernel with dom_b, or dom_a calling dom_b, loaded, and small heap-inspection helpers.
using System.Globalization;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;

namespace RedLeaf.Tests.Kernel;

internal static class TestDomains
{
    public static DomainImage DomA => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/dom_a"));
    public static DomainImage DomB => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/dom_b"));
    public static DomainImage NullDomain => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("workloads/null_domain"));
    /// <summary>Catches OwnershipViolationException itself (IBench).</summary>
    public static DomainImage Catcher => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/catcher"));
    /// <summary>Its entry point allocates an RRefArray, then throws.</summary>
    public static DomainImage EntryThrows => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/entry_throws"));
    /// <summary>Needs an ICounter grant; calls it while holding a borrow (IBench.Borrow).</summary>
    public static DomainImage BorrowProbe => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/borrow_probe"));
    /// <summary>Keeps everything it allocates: Null() takes one slot, Arg(n) an array of n longs.</summary>
    public static DomainImage Hog => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("test/hog"));

    public static Microkernel Boot() => Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = 64L << 20 });

    public static Microkernel Boot(KernelOptions options, long memoryBytes = 64L << 20) =>
        Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = memoryBytes }, options);

    /// <summary>A kernel with dom_b loaded; returns its export proxy.</summary>
    public static (Microkernel Kernel, Domain B, IDomB Proxy) WithDomB()
    {
        var k = Boot();
        var b = k.Load(DomB);
        return (k, b, b.Get<IDomB>());
    }

    /// <summary>A kernel with dom_b and dom_a (granted dom_b's proxy).</summary>
    public static (Microkernel Kernel, Domain A, Domain B) WithDomAandB()
    {
        var k = Boot();
        var b = k.Load(DomB);
        var a = k.Load(DomA, b.Export!);
        return (k, a, b);
    }
}

/// <summary>Reading the shared heap from tests: the registry index of a handle, and its snapshot node.</summary>
internal static class HeapProbe
{
    // Handles print as "RRef<Payload>#12": the number is the registry index the snapshot uses.
    public static int IndexOf(object handle)
    {
        var s = handle.ToString()!;
        return int.Parse(s[(s.LastIndexOf('#') + 1)..], CultureInfo.InvariantCulture);
    }

    public static HeapNode Node(this SharedHeap heap, object handle)
    {
        int index = IndexOf(handle);
        return heap.Snapshot().Nodes.SingleOrDefault(n => n.Index == index)
            ?? throw new Xunit.Sdk.XunitException($"no live heap node #{index} for {handle}");
    }

    public static bool IsLive(this SharedHeap heap, object handle)
    {
        int index = IndexOf(handle);
        return heap.Snapshot().Nodes.Any(n => n.Index == index);
    }

    public static int OwnerOf(this SharedHeap heap, object handle) => heap.Node(handle).Owner;

    /// <summary>A Pair whose two payloads are (a, a+1) and (b, b+1), allocated by the running domain.</summary>
    public static RRef<Pair> NewPair(long a, long b, long tag = 0) => RRef<Pair>.New(new Pair
    {
        Left = RRef<Payload>.New(new Payload(a, a + 1)),
        Right = RRef<Payload>.New(new Payload(b, b + 1)),
        Tag = tag,
    });

    /// <summary>Waits (bounded) for a crash's collection check; fails if it does not finish in time.</summary>
    public static async Task<CollectionResult> CollectedWithin(CrashRecord record, TimeSpan limit)
    {
        var done = await Task.WhenAny(record.Collection, Task.Delay(limit));
        Xunit.Assert.True(done == record.Collection, $"collection of {record.Domain}#{record.InstanceId} not confirmed within {limit}");
        return await record.Collection;
    }
}
