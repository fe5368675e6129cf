// tests/os/kernel/Heap: the attack domains the shared heap's red-team tests compile from text (SettleAttacks,
// ReturnAttacks, ColludingAbandonAttacks, WriteAfterMoveAttacks): an ITransfer and an IHostile domain whose bodies a test
// writes, a domain keeping a secret, the trusted compiler's run that says what failed to compile, and the attack's
// threads. The holds they use are in HeapRaceHolds.cs.
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Tests.Kernel.Heap;

internal static class HeapAttackDomains
{
    public static DomainImage Compile(string name, string source)
    {
        try { return TrustedCompiler.Default.CompileText(name, source, name + ".cs"); }
        catch (DomainCompileException e) { throw new Xunit.Sdk.XunitException($"{name} should compile, but:\n{string.Join("\n", e.Diagnostics)}"); }
    }

    /// <summary>A domain exporting ITransfer with the given method bodies (the rest return 0), extra
    /// <paramref name="members"/>, fields s_a, s_b (payloads) and s_seen, and an entry point taking
    /// <paramref name="entry"/> (grants) that runs <paramref name="entryBody"/>.</summary>
    public static string Transfer(string peek = "return 0;", string both = "return 0;", string lendBoth = "return 0;", string moveThenLend = "return 0;",
        string members = "", string entry = "", string entryBody = "") =>
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Test;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static ITransfer Start(" + entry + ") { " + entryBody + " return new Attack(); }\n}\n" +
        "sealed class Attack : ITransfer\n{\n" + members + "\n" +
        "    static RRef<Payload> s_a; static RRef<Payload> s_b; static long s_seen;\n" +
        "    public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) { " + both + " }\n" +
        "    public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) { " + moveThenLend + " }\n" +
        "    public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) { " + lendBoth + " }\n" +
        "    public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) { return 0; }\n" +
        "    public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) { return 0; }\n" +
        "    public RpcResult<long> Peek(in RRef<Payload> a) { " + peek + " }\n" +
        "}\n";

    /// <summary>Keeps what it is given: Run(x) allocates a payload holding x twice and keeps it; Run(0) reads the first back.</summary>
    public static readonly string SecretKeeper = HostileSource(
        "if (argument == 0) return s_all[0].Value.A; s_all.Add(RRef<Payload>.New(new Payload(argument, argument))); return s_all.Count;",
        "static readonly System.Collections.Generic.List<RRef<Payload>> s_all = new();");

    /// <summary>A domain exporting IHostile (as HostileKit.Source) whose entry point takes <paramref name="entry"/>
    /// (grants) and runs <paramref name="entryBody"/>.</summary>
    public static string HostileSource(string run, string members = "", string entry = "", string entryBody = "") =>
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Test;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static IHostile Start(" + entry + ") { " + entryBody + " return new Attack(); }\n}\n" +
        "sealed class Attack : IHostile\n{\n" + members + "\n" +
        "    public RpcResult<long> Run(long argument)\n    {\n" + run + "\n    }\n}\n";

    /// <summary>A background thread of the attack (4 MiB stack), started.</summary>
    public static Thread Run(string name, Action body)
    {
        var t = new Thread(() => body(), 4 << 20) { IsBackground = true, Name = "heap attack " + name };
        t.Start();
        return t;
    }

    public static bool SpinUntil(Func<bool> condition, TimeSpan bound) => SpinWait.SpinUntil(condition, bound);
}
