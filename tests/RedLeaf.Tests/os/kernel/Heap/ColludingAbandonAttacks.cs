// tests/os/kernel/Heap: two domains colluding around a host call the host gave up on (HostCall.Wait, os/README.md
// section 2, item 4). The host lends a payload to D, which lends it on to its accomplice E (a nested lend, on the
// host's worker thread); E keeps reading it. The host kills D (not E): after HostCall.KillGrace it gives up on the
// worker, which is still running E's loop, and goes on with its payload: it moves it to a third domain F, which
// writes a secret into it. E, alive and still inside the abandoned call, watches the payload for the secret. Whatever
// the kernel does with the host's move (refuse it while the lend is on, or end E's access), E must never see F's
// write, and the host must lose nothing: once the worker has left, the payload is the host's to move. Today the
// kernel refuses the move ("tried to move RRef #1 (Payload) while it is lent out") until the worker has left; E read
// on unharmed and saw no change in three runs of 2026-12-07, the window open each time (E still reading).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using RedLeaf.Os.Proxies;
using Xunit;
using static RedLeaf.Tests.Kernel.Heap.HeapAttackDomains;

namespace RedLeaf.Tests.Kernel.Heap;

[Trait("suite", "hostile")]
[Collection("heap races")]
public sealed class ColludingAbandonAttacks
{
    private const long Marker = 0x0C01_0000_3D3D; // the host's payload: where the hook sees E reading
    private const long Secret = 0x5EC2_0C01_3D3D; // what F writes once the payload is F's

    [Fact]
    public void AnAccompliceStillInsideAnAbandonedCallNeverSeesWhatTheNextOwnerWrites()
    {
        using var k = TestDomains.Boot();
        var e = k.Load(Compile("collude_e", Accomplice));
        var d = k.Load(Compile("collude_d", Lender), e.Export!);
        var f = k.Load(Compile("collude_f", NextOwner));
        using var eReading = new ManualResetEventSlim();
        HeapRaceHook.Install((point, domain, slot, first) =>
        {
            if (point == HeapRacePoint.Checked && first == Marker && domain == e.Id) eReading.Set();
        });
        try
        {
            RRef<Payload> payload;
            using (k.Enter()) payload = RRef<Payload>.New(new Payload(Marker, 1));
            RpcResult<long> first = default, moved = default;
            Exception? moveRefused = null;
            var gaveUp = new ManualResetEventSlim();
            var h = new Thread(() =>
            {
                first = d.Get<ITransfer>().Peek(in payload); // a plain host call: on this thread's host-call worker
                gaveUp.Set();
                RRef<Payload> dummy;
                using (k.Enter()) dummy = RRef<Payload>.New(new Payload(2, 2));
                try { moved = f.Get<ITransfer>().MoveThenLend(payload, in dummy); }
                catch (Exception x) { moveRefused = x; }
            }, 4 << 20)
            { IsBackground = true, Name = "colluding attacks H" };
            h.Start();
            Assert.True(eReading.Wait(TimeSpan.FromSeconds(20)), "the accomplice never read the payload D lent it");
            k.Kill(d, "killed by the colluding attack");
            Assert.True(gaveUp.Wait(TimeSpan.FromSeconds(10)), "the host did not give up on its call into the killed D");
            Assert.False(first.IsOk, $"the call into the killed D: {first}");
            Assert.True(h.Join(TimeSpan.FromSeconds(30)), "the host's move to F did not come back");
            Thread.Sleep(50); // E reads on: a write it could see would be seen by now
            long stillReading = -1, seen = -1;
            using (k.Enter())
            {
                var x = RRef<Payload>.New(new Payload(3, 3));
                var y = RRef<Payload>.New(new Payload(4, 4));
                if (e.Status == DomainStatus.Running) stillReading = e.Get<ITransfer>().LendBoth(in x, in y).Value; // stops E's loop
                Assert.True(SpinWait.SpinUntil(() => HostCall.Abandoned == 0, TimeSpan.FromSeconds(30)), "the abandoned worker never left");
                if (e.Status == DomainStatus.Running) seen = e.Get<ITransfer>().Both(x, y).Value;
                else { x.Drop(); y.Drop(); }
            }
            if (e.Status == DomainStatus.Running)
            {
                // E's read never faulted: the window must have been open (E still reading when F wrote), and E saw nothing.
                Assert.True(seen != Secret, "the accomplice, still inside the call the host gave up on, read what the payload's next owner wrote");
                Assert.True(stillReading == 1 || seen != 0, $"the window was not hit: E had stopped reading before F wrote (E saw {seen})");
                Assert.Equal(0, seen);
            }
            else
            {
                // E was crashed by a read that no longer held: a refused access, not a leak.
                Assert.Contains("RRef", e.LastCrash?.Reason ?? "");
            }

            if (moveRefused is not null || !moved.IsOk)
            {
                // Refused while lent: the host lost nothing, and can move it now that the worker has left.
                RRef<Payload> dummy2;
                using (k.Enter()) dummy2 = RRef<Payload>.New(new Payload(5, 5));
                var again = f.Get<ITransfer>().MoveThenLend(payload, in dummy2);
                Assert.True(again.IsOk, $"the host could not move its payload after the abandoned worker left (first try: {moveRefused?.Message ?? moved.ToString()}; now: {again})");
            }
        }
        finally { HeapRaceHook.Install(null); }
    }

    /// <summary>E: Peek reads the lent payload's B until it changes or LendBoth (called on another thread) stops it, and
    /// keeps what it saw (0: no change; -1: its read faulted, which ends it too); Both returns that; LendBoth returns
    /// whether Peek was still reading when it was stopped (1), the proof that the window was open.</summary>
    private static readonly string Accomplice = Transfer(
        members: "    static volatile int s_stop;\n    static volatile int s_reading;",
        both: "a.Drop(); b.Drop(); return s_seen;",
        lendBoth: "s_stop = 1; return s_reading;",
        peek: "s_reading = 1; s_seen = -1; long before = a.Value.B; s_seen = 0; " +
              "for (long i = 0; i < 4000000000L && s_stop == 0; i++) { s_seen = -1; long now = a.Value.B; s_seen = 0; " +
              "if (now != before) { s_seen = now; s_reading = 0; return now; } } s_reading = 0; return 0;");

    /// <summary>D: Peek lends what it is lent on to its accomplice (granted at load).</summary>
    private static readonly string Lender = Transfer(
        members: "    internal static ITransfer s_e;", entry: "ITransfer accomplice", entryBody: "Attack.s_e = accomplice;",
        peek: "return s_e.Peek(in a);");

    /// <summary>F: MoveThenLend takes the first payload, writes the secret into it and keeps it.</summary>
    private static readonly string NextOwner = Transfer(moveThenLend: $"a.Value = new Payload(a.Value.A, {Secret}L); s_a = a; return 0;");
}
