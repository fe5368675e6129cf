// tests/os/compiler: the tools of the hostile-domain suite. Hostile domains are C# text written in the
// tests (never under domains/): Source() wraps an attack in a domain exporting IHostile; Refused()
// compiles it through the trusted compiler and checks the refusal (ID, file, line, wording);
// Call()/AssertContained() check run-time containment (crashed or killed, caller got an RpcError,
// heap back to its baseline, context collected, kernel still loads and runs a domain).
using System.Runtime.CompilerServices;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
internal static class HostileKit
{
    /// <summary>A domain exporting IHostile whose Run(long argument) body is <paramref name="run"/>;
    /// <paramref name="members"/> go into the class, <paramref name="types"/> at the top level.</summary>
    public static string Source(string run, string members = "", string types = "", string usings = "") =>
        "using RedLeaf.Abi;\n" +
        "using RedLeaf.Interfaces.Test;\n" +
        usings + "\n" +
        types + "\n" +
        "public static class Entry\n" +
        "{\n" +
        "    [DomainEntry]\n" +
        "    public static IHostile Start() { return new Attack(); }\n" + // block-bodied: see LineNumberAttacks

        "}\n" +
        "\n" +
        "sealed class Attack : IHostile\n" +
        "{\n" +
        members + "\n" +
        "    public RpcResult<long> Run(long argument)\n" +
        "    {\n" +
        run + "\n" +
        "    }\n" +
        "}\n";

    /// <summary>The 1-based line of the first line of <paramref name="source"/> containing <paramref name="marker"/>.</summary>
    public static int LineOf(string source, string marker = "// <-")
    {
        var lines = source.Split('\n');
        int i = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        if (i < 0) throw new ArgumentException($"marker '{marker}' is not in the source");
        return i + 1;
    }

    /// <summary>The 1-based column where <paramref name="construct"/> starts on the line holding <paramref name="marker"/>.</summary>
    public static int ColumnOf(string source, string construct, string marker = "// <-")
    {
        var line = source.Split('\n')[LineOf(source, marker) - 1];
        int c = line.IndexOf(construct, StringComparison.Ordinal);
        if (c < 0) throw new ArgumentException($"'{construct}' is not on the marked line");
        return c + 1;
    }

    /// <summary>Compiles through the trusted pipeline and expects a refusal: returns every diagnostic.</summary>
    public static IReadOnlyList<DomainDiagnostic> Diagnostics(string source, string file, TrustedCompiler? compiler = null)
    {
        var e = Assert.Throws<DomainCompileException>(() => (compiler ?? TrustedCompiler.Default).CompileText(Path.GetFileNameWithoutExtension(file), source, file));
        Assert.NotEmpty(e.Diagnostics);
        return e.Diagnostics;
    }

    /// <summary>Asserts the trusted compiler refuses <paramref name="source"/> with <paramref name="id"/> on the
    /// line marked "// &lt;-" of the file, with a message that mentions <paramref name="mentions"/>.</summary>
    public static DomainDiagnostic Refused(string source, string id, string mentions, string marker = "// <-",
        TrustedCompiler? compiler = null, [CallerMemberName] string test = "")
    {
        string file = $"{test}.cs";
        var found = Diagnostics(source, file, compiler);
        int line = LineOf(source, marker);
        var hit = found.FirstOrDefault(d => d.Id == id && d.File == file && d.Line == line && d.Message.Contains(mentions, StringComparison.Ordinal));
        Assert.True(hit is not null,
            $"expected {id} at {file} line {line} mentioning '{mentions}'; the trusted compiler said:\n{string.Join("\n", found)}");
        return hit!;
    }

    /// <summary>Compiles an attack the compiler must accept (what only shows at run time).</summary>
    public static DomainImage Accepted(string source, [CallerMemberName] string test = "")
    {
        try { return TrustedCompiler.Default.CompileText(test, source, $"{test}.cs"); }
        catch (DomainCompileException e) { throw new Xunit.Sdk.XunitException($"the run-time attack {test} should compile, but:\n{string.Join("\n", e.Diagnostics)}"); }
    }

    public static Microkernel Boot() => TestDomains.Boot();

    /// <summary>Loads <paramref name="image"/> in a fresh kernel and asserts Run(0) returns <paramref name="expected"/>
    /// (for the cases that check a guard left ordinary code meaning what it meant).</summary>
    public static void AssertReturns(DomainImage image, long expected)
    {
        using var k = Boot();
        var outcome = Call(k, k.Load(image), 0);
        Assert.True(outcome.Result.IsOk, outcome.Result.ToString());
        Assert.Equal(expected, outcome.Result.Value);
    }

    /// <summary>Calls Run(argument) on a thread of its own (4 MiB stack, as a kernel thread), waiting at most
    /// <paramref name="timeout"/>; after <paramref name="killAfter"/>, if the call is still running, kills the domain.</summary>
    public static CallOutcome Call(Microkernel k, Domain d, long argument, TimeSpan? killAfter = null, TimeSpan? timeout = null)
    {
        var proxy = d.Get<IHostile>();
        RpcResult<long> result = default;
        Exception? thrown = null;
        var t = new Thread(() =>
        {
            try { result = proxy.Run(argument); }
            catch (Exception e) { thrown = e; }
        }, 4 << 20)
        { IsBackground = true, Name = $"hostile call {d.Name}" };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        t.Start();
        TimeSpan? killedAt = null;
        if (killAfter is { } after && !t.Join(after))
        {
            killedAt = sw.Elapsed;
            k.Kill(d, "killed by the hostile suite");
        }
        bool done = t.Join(timeout ?? TimeSpan.FromSeconds(10));
        var stoppedAfterKill = killedAt is { } at ? sw.Elapsed - at : (TimeSpan?)null;
        if (!done && killedAt is null)
        {
            k.Kill(d, "killed by the hostile suite after the call overran"); // do not leave it spinning in the test host
            t.Join(TimeSpan.FromSeconds(5));
        }
        Assert.True(done, $"the call into {d.Name} did not return within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s{(killedAt is null ? "" : " of the kill")}: the domain was not stopped");
        if (thrown is not null) throw new Xunit.Sdk.XunitException($"the proxy threw instead of returning an RpcError: {thrown}");
        return new CallOutcome(result, killedAt is not null, stoppedAfterKill);
    }

    /// <summary>Everything a contained attack leaves behind: the domain is not running, its crash names the
    /// reason, the shared heap is back to <paramref name="liveBefore"/>, the context is collected, and the
    /// kernel still loads and calls another domain.</summary>
    public static async Task<CrashRecord> AssertContained(Microkernel k, Domain d, long liveBefore, string? reason = null)
    {
        Assert.NotEqual(DomainStatus.Running, d.Status);
        var crash = d.LastCrash;
        Assert.NotNull(crash);
        if (reason is not null) Assert.Contains(reason, crash!.Reason);
        Assert.Equal(liveBefore, k.Heap.LiveObjects);
        var done = await Task.WhenAny(crash!.Collection, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(done == crash.Collection, "the collection check did not finish within 10 s");
        var collected = await crash.Collection;
        Assert.True(collected.Collected, $"the domain's load context was not collected ({collected.FullCollections} full collections): something still roots its code");
        var b = k.Load(TestDomains.DomB); // the kernel still loads and runs domains
        Assert.Equal(3, b.Get<IDomB>().Add(1, 2).Value);
        return crash;
    }

    /// <summary>Loads <paramref name="image"/> in a fresh kernel, calls Run(argument) and expects CalleeCrashed
    /// with <paramref name="reason"/> in the crash, then full containment.</summary>
    public static async Task<CrashRecord> CrashesContained(DomainImage image, long argument, string reason, Action<Microkernel, Domain>? setup = null)
    {
        using var k = Boot();
        var d = k.Load(image);
        setup?.Invoke(k, d);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, argument);
        Assert.True(outcome.Result.Error.Kind == RpcErrorKind.CalleeCrashed,
            $"expected CalleeCrashed, got {outcome.Result}; domain {d.Status}, crash: {d.LastCrash}");
        return await AssertContained(k, d, live, reason);
    }

    /// <summary>Loads <paramref name="image"/>, calls Run(argument), kills the domain after 150 ms (longer, after a restart,
    /// if the kill came before the call entered the domain), expects the call to come back CalleeKilled within
    /// <paramref name="within"/> of the kill, then full containment.</summary>
    public static async Task<CallOutcome> KilledContained(DomainImage image, long argument = 0, double within = 5.0)
    {
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, argument, killAfter: TimeSpan.FromMilliseconds(150));
        // NotRunning: the kill came before the call entered the domain (on a loaded machine a host call's worker can take
        // longer than the wait to start), so the attack never ran. Restart the domain and give the call longer.
        for (int wait = 1000; outcome.Result.Error.Kind == RpcErrorKind.NotRunning && wait <= 4000; wait *= 2)
        {
            k.Restart(d);
            outcome = Call(k, d, argument, killAfter: TimeSpan.FromMilliseconds(wait));
        }
        Assert.True(outcome.Killed, $"the attack returned by itself ({outcome.Result}) instead of running until the kill; crash: {d.LastCrash}");
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        Assert.True(outcome.StoppedAfterKill < TimeSpan.FromSeconds(within),
            $"the domain stopped {outcome.StoppedAfterKill?.TotalMilliseconds:F0} ms after the kill (bound {within * 1000:F0} ms)");
        await AssertContained(k, d, live, "killed by the hostile suite");
        return outcome;
    }
}

[Trait("suite", "hostile")]
internal sealed record CallOutcome(RpcResult<long> Result, bool Killed, TimeSpan? StoppedAfterKill);
