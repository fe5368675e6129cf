// kernel-ext/RedLeaf.Cli: `redleaf demo`: the foundation's story end to end, printed step by step:
// boot, two domains calling through proxies, RRefs moving, a crash cleaned up, a restart, a use
// after move that crashes only the offender. Every step checks what it claims and fails loudly.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Cli.Commands;

internal static class DemoCommand
{
    public static int Run(Args args)
    {
        args.RejectUnknown();
        using var kernel = Microkernel.Boot();
        var compiler = TrustedCompiler.Default;
        var b = kernel.Load(compiler.CompileFolder(DomainTree.Folder("test/dom_b")));
        var a = kernel.Load(compiler.CompileFolder(DomainTree.Folder("test/dom_a")), b.Export!);
        var domA = a.Get<IDomA>();
        var domB = b.Get<IDomB>();
        Step("booted", $"{kernel.Domains.Count} domains: {string.Join(", ", kernel.Domains)}");

        long sum = Check(domA.Run(1000), "dom_a.Run(1000)");
        Step("dom_a -> dom_b, 2000 calls through the proxy", $"sum of Add results = {sum} (expected {Enumerable.Range(0, 1000).Sum(i => (long)i + 1)})");

        long kept = Check(domA.RoundTrip(3, 4), "dom_a.RoundTrip");
        Step("an RRef made in dom_b, moved to dom_a, changed, moved back", $"dom_b saw A+B = {kept} (expected 14)");

        Check(domB.DropKept(), "dom_b.DropKept");
        var before = (kernel.Heap.LiveObjects, kernel.Heap.LiveBytes);
        using (kernel.Enter())
        {
            var pair = RRef<Pair>.New(new Pair { Left = RRef<Payload>.New(new Payload(1, 2)), Right = RRef<Payload>.New(new Payload(3, 4)), Tag = 9 });
            var crash = domB.CrashHolding(pair);
            Step("dom_b crashes while owning a nested RRef", $"caller got {crash}; dom_b is {b.Status}");
        }
        var record = b.LastCrash!;
        var collected = record.Collection.GetAwaiter().GetResult();
        Step("cleanup", $"{record}; heap back to {kernel.Heap.LiveObjects} objects/{kernel.Heap.LiveBytes} bytes (before: {before.LiveObjects}/{before.LiveBytes}); context collected: {collected.Collected} after {collected.FullCollections} GCs, {collected.Milliseconds:F1} ms");
        if (kernel.Heap.LiveObjects != before.LiveObjects || !collected.Collected) throw new InvalidOperationException("cleanup did not restore the heap or collect the context");

        kernel.Restart(b);
        Step("dom_b restarted", $"dom_b is {b.Status} as instance {b.Id}; Add(20, 22) = {Check(domB.Add(20, 22), "Add")}");

        var uam = domA.UseAfterMove();
        Step("dom_a uses an RRef after moving it", $"dom_a got {uam}: {a.LastCrash?.Reason}; dom_b is still {b.Status}");
        if (b.Status != DomainStatus.Running || a.Status != DomainStatus.Crashed) throw new InvalidOperationException("the offender was not the only domain crashed");

        Console.Out.WriteLine();
        Console.Out.WriteLine("kernel log:");
        Console.Out.WriteLine(kernel.Log);
        return 0;
    }

    private static T Check<T>(RpcResult<T> r, string what) => r.IsOk ? r.Value : throw new InvalidOperationException($"{what} failed: {r.Error}");

    private static void Step(string title, string detail) => Console.Out.WriteLine($"== {title}\n   {detail}");
}
