// tests/os/kernel/Domains: attacks that try to run domain code in the kernel's or a caller's context (os/README.md,
// "What isolation guarantees", class 1). A domain's exception is an object of the domain's: its Message,
// ToString, Data, StackTrace, inner exceptions and the static constructors they reach are domain code.
// Whatever of it the kernel needs (a crash's reason) is read as the callee, under its checks, before the
// proxy switches back; everything else is never called. Each attack here made the kernel run such code as
// the caller (the host), where no stop check, stack guard or ownership rule of the domain applies.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Notebook.Session;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Notebooks;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
[Collection(NotebookCollection.Name)] // one attack boots a notebook kernel (Lab.Current is process-wide)
public class KernelContextAttacks
{
    /// <summary>An exception whose Message never ends: the stack guard must stop it, as it does any
    /// recursion of the domain's, so the proxy reading it must read it as the callee. Read as the host,
    /// the recursion overflowed the caller's stack and the whole process died.</summary>
    [Fact]
    public void AnExceptionWhoseMessageRecursesForever() => Sandbox.AssertContained(Sandbox.Run(Accepted(Source("""
                throw new Deep();
        """, types: """
        sealed class Deep : System.Exception
        {
            public override string Message => Down(0).ToString();
            private static long Down(long n) => Down(n + 1) + 1;
        }
        """)), 0), reason: "stack depth limit");

    /// <summary>The same from the entry point: the loader read the message as the host after the entry
    /// threw, so Load itself overflowed the stack.</summary>
    [Fact]
    public void AnEntryPointThatThrowsAnExceptionWhoseMessageRecurses() => Sandbox.AssertLoadRefused(Sandbox.Run(Accepted("""
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start() { throw new Deep(); }
        }
        sealed class Deep : System.Exception
        {
            public override string Message => Down(0).ToString();
            private static long Down(long n) => Down(n + 1) + 1;
        }
        """), 0), "stack depth limit");

    /// <summary>An exception whose Message spins: read as the host, the kill flag was never seen (the
    /// host's checks do not look at the domain), so the kill never landed and the caller waited forever.</summary>
    [Fact]
    public Task AnExceptionWhoseMessageSpinsPastTheKill() => KilledContained(Accepted(Source("""
                throw new Spinning();
        """, types: """
        sealed class Spinning : System.Exception
        {
            public override string Message { get { long n = 0; while (true) n++; } }
        }
        """)));

    /// <summary>No override at all: a base-library exception whose Message formats a value the domain
    /// handed it (ArgumentOutOfRangeException's actual value), whose ToString spins.</summary>
    [Fact]
    public Task ABaseLibraryMessageThatCallsTheDomainsToString() => KilledContained(Accepted(Source("""
                throw new System.ArgumentOutOfRangeException("argument", new Loud(), "out of range");
        """, types: """
        sealed class Loud
        {
            public override string ToString() { long n = 0; while (true) n++; }
        }
        """)));

    /// <summary>The Message getter is the first to touch a type whose static constructor never finishes:
    /// the constructor runs on the thread that reads the message, as whoever that thread runs as.</summary>
    [Fact]
    public Task AMessageThatRunsAStaticConstructorThatSpins() => KilledContained(Accepted(Source("""
                throw new Touching();
        """, types: """
        sealed class Touching : System.Exception
        {
            public override string Message => Slow.Text;
        }
        static class Slow
        {
            public static readonly string Text = Spin();
            private static string Spin() { long n = 0; while (true) n++; }
        }
        """)));

    /// <summary>A kernel thread's body throws an exception whose Message spins. The thread's proxy read it
    /// after switching to the kernel thread's own context (no domain), so a kill never stopped the thread
    /// and the domain's code could never be collected.</summary>
    [Fact]
    public async Task AThreadBodyThatThrowsAnExceptionWhoseMessageSpins()
    {
        var image = Accepted(Source("""
                    DomainThreads.Spawn("thrower", new Thrower());
                    while (true) { }
            """, types: """
            sealed class Thrower : IThreadBody
            {
                public RpcResult Run() { throw new Spinning(); }
            }
            sealed class Spinning : System.Exception
            {
                public override string Message { get { long n = 0; while (true) n++; } }
            }
            """));
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var outcome = Call(k, d, 0, killAfter: TimeSpan.FromMilliseconds(300));
        Assert.Equal(RpcErrorKind.CalleeKilled, outcome.Result.Error.Kind);
        var thread = Assert.Single(k.Threads, t => t.DomainId == d.Id);
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), $"{thread} still runs after the kill: its exception's Message ran outside the domain");
        await AssertContained(k, d, live, "killed by the hostile suite");
    }

    private const string Peeker = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static ITransfer Start() { return new Peeker(); } }
        static class Stash { public static RRef<Payload> Lent; }
        sealed class Peeker : ITransfer
        {
            public RpcResult<long> Both(RRef<Payload> a, RRef<Payload> b) => 0;
            public RpcResult<long> LendThenMove(in RRef<Payload> a, RRef<Payload> b) => 0;
            public RpcResult<long> MoveThenLend(RRef<Payload> a, in RRef<Payload> b) => 0;
            public RpcResult<long> LendBoth(in RRef<Payload> a, in RRef<Payload> b) => 0;
            public RpcResult<long> BatchThenOne(RRefDeque<RRef<Payload>> batch, RRef<Payload> b) => 0;
            public RpcResult<long> MoveThenCounter(RRef<Payload> a, ICounter counter) => 0;
            public RpcResult<long> Peek(in RRef<Payload> a)
            {
                Stash.Lent = a; // a copy of the lent handle, to use once the proxy has given the object back
                throw new Sneaky();
            }
        }
        sealed class Sneaky : System.Exception
        {
            // Runs when the proxy reads the crash's reason: by then the lend has ended.
            public override string Message { get { SNEAK return "sneaked"; } }
        }
        """;

    /// <summary>An exception whose Message writes the RRef its caller lent (read-only) for the call. The
    /// proxy ends the lend, switches back to the caller, then read the message: as the caller, who owns
    /// the object again, so the write went through. Here the caller is host code acting as the kernel
    /// (what a notebook cell does to pass an RRef), and its object was changed.</summary>
    [Fact]
    public async Task AnExceptionWhoseMessageWritesTheCallersLentRRef()
    {
        using var k = Boot();
        var d = k.Load(Accepted(Peeker.Replace("SNEAK", "var v = Stash.Lent.Value; v.A = 666; Stash.Lent.Value = v;")));
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var victim = RRef<Payload>.New(new Payload(1, 2));
            var r = d.Get<ITransfer>().Peek(in victim);
            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(1, victim.Value.A); // the caller's object is as it lent it
            victim.Drop();
        }
        var crash = await AssertContained(k, d, live);
        Assert.DoesNotContain("sneaked", crash.Reason); // the getter was stopped, not obeyed
    }

    /// <summary>The same getter drops the lent object instead: as the caller it freed the caller's
    /// object, and the caller's next use of its own RRef failed.</summary>
    [Fact]
    public async Task AnExceptionWhoseMessageDropsTheCallersLentRRef()
    {
        using var k = Boot();
        var d = k.Load(Accepted(Peeker.Replace("SNEAK", "Stash.Lent.Drop();")));
        long live = k.Heap.LiveObjects;
        using (k.Enter())
        {
            var victim = RRef<Payload>.New(new Payload(7, 8));
            var r = d.Get<ITransfer>().Peek(in victim);
            Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
            Assert.Equal(7, victim.Value.A);
            victim.Drop();
        }
        await AssertContained(k, d, live);
    }

    /// <summary>Everything else an exception has that is domain code (ToString, Data, StackTrace, Source,
    /// HelpLink, and an inner exception whose members spin too) is never called: a crash keeps the type's
    /// name and the message read as the callee. The notebook host is the victim: its crash report, domain
    /// table, kernel view and log are all drawn from those strings, within a bound.</summary>
    [Fact]
    public async Task ANotebookShowsACrashWhoseExceptionMembersAllSpin()
    {
        using var kernel = Lab.Boot();
        kernel.Define("loud", Source("""
                    throw new Loud("plain words", new Loud("inner", null));
            """, types: """
            sealed class Loud : System.Exception
            {
                public Loud(string message, System.Exception? inner) : base(message, inner) { }
                public override string ToString() { long n = 0; while (true) n++; }
                public override System.Collections.IDictionary Data { get { long n = 0; while (true) n++; } }
                public override string? StackTrace { get { long n = 0; while (true) n++; } }
                public override string? Source { get { long n = 0; while (true) n++; } set { } }
                public override string? HelpLink { get { long n = 0; while (true) n++; } set { } }
                public override System.Exception GetBaseException() { long n = 0; while (true) n++; }
                public override bool Equals(object? obj) { long n = 0; while (true) n++; }
                public override int GetHashCode() { long n = 0; while (true) n++; }
            }
            """));
        long live = kernel.Core.Heap.LiveObjects;
        string? shown = null;
        var cell = new Thread(() =>
        {
            var report = kernel.Watch(() => kernel.Use<IHostile>("loud").Run(0));
            shown = report.ToString() + report.ToHtml() + kernel.ToString() + kernel.ToHtml() + kernel.Domains.ToHtml() + kernel["loud"].ToHtml();
        })
        { IsBackground = true };
        cell.Start();
        if (!cell.Join(TimeSpan.FromSeconds(20)))
        {
            kernel.Core.Kill(kernel.Core["loud"], "the notebook cell hung");
            Assert.Fail("the notebook cell showing the crash did not finish within 20 s: a view called a member of the domain's exception");
        }
        Assert.NotNull(shown);
        Assert.Contains("Loud: plain words", shown);
        var d = kernel.Core["loud"];
        Assert.Equal(DomainStatus.Crashed, d.Status);
        await AssertContained(kernel.Core, d, live, "Loud: plain words");
    }
}
