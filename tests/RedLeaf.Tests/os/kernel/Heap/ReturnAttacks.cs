// tests/os/kernel/Heap: the red team's attacks around the end of a lend and the waits of the shared heap (os/README.md,
// section 2, items 4, 7 and 8), after the change that lets the end of a lend take no lock while none of the kernel's
// domains is Shared and keeps that count per kernel. Each attack makes its interleaving happen on every run: a thread
// is held at one of the heap's race pause points (HeapRaceHook), picked out by a marker value in the object it
// touches (unique to this file, so a hold never catches another test's thread), and the test checks that the window
// was hit (the hold lasted through the kill; the victim's object took the freed slot) before it judges containment.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Heap;
using Xunit;
using static RedLeaf.Tests.Kernel.Heap.HeapAttackDomains;

namespace RedLeaf.Tests.Kernel.Heap;

[Trait("suite", "hostile")]
[Collection("heap races")]
public sealed class ReturnAttacks
{
    private const long Secret = 0x5EC2E7_0000_3D3D;
    private const long Evil = 0x0BAD_0000_3D3D;
    private const long Marker = 0x3A2C_0000_3D3D; // the attacker's own object, before its write: where the hold catches it
    private const long DeviceMarker = 0x0DEC_0000_3D3D; // what the host's buffer lent to a driver and on to its device holds
    private const long AbandonMarker = 0x0AB0_0000_3D3D; // the host's payload lent to a reader it gives up on, then to another

    // FINDING (fixed 2026-12-07, HostCall.Wait: the kill on the entry point's deadline runs under an access record of
    // its own; os/README.md, section 2, item 7). A host-call worker makes its RRef accesses under the waiting host
    // thread's record (so a domain the host calls is not taken for one that races itself). The loader waits for a
    // domain's entry point on such a worker, and when the entry overruns KernelOptions.EntryTimeout the waiting thread
    // itself kills the domain, inside the wait: the crash cleanup's grace period (Accesses.WaitFor(0)) waits for every
    // access in flight "but this thread's", and the worker's access was this thread's record. So an entry point that
    // writes its own payload in a loop past its deadline has a write in flight that the cleanup does not wait for:
    // the slot is freed (the block is quarantined, the slot is not), another domain's next allocation takes the slot
    // and points it at a fresh block, and the dead entry's write, whose check passed before the kill, lands through
    // the slot in the other domain's object. Before the fix the victim S read back Evil instead of its secret.
    [Fact]
    public void AnEntryPointKilledAtItsDeadlineCannotWriteThroughASlotAnotherDomainReused()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        using var k = TestDomains.Boot(new KernelOptions { EntryTimeout = timeout });
        var s = k.Load(Compile("return_victim", Victim));
        long before = k.Heap.LiveObjects;

        // The attacker: its entry allocates a payload and writes it, held at the write's check (the hold catches the write
        // by the Marker the payload holds then) for longer than the loader's deadline.
        var attacker = Compile("return_deadline_writer", Hostile("return 0;", entryBody:
            $"var p = RRef<Payload>.New(new Payload({Marker}L, 0)); p.Value = new Payload({Evil}L, {Evil}L);"));

        using var hook = new MarkerHook(Marker, hold: TimeSpan.FromSeconds(3));
        var load = Record.Exception(() => k.Load(attacker));
        Assert.True(load is DomainException, $"the overrunning entry point should fail to load; got {load?.GetType().Name ?? "a loaded domain"}");
        Assert.True(hook.At.IsSet, "the attacker's write never reached its check: the window was not hit");

        // The attacker is dead and its payload's slot is free; S allocates next and takes it.
        using (k.Enter()) Assert.True(s.Get<IHostile>().Run(Secret).IsOk);
        hook.Go.Set();
        Assert.True(hook.Worker!.Join(TimeSpan.FromSeconds(10)), "the attacker's thread never left its entry point");
        Assert.True(hook.HeldFor >= timeout, $"the write was held {hook.HeldFor.TotalMilliseconds:0} ms, less than the deadline: the kill did not happen while it was in flight");

        long seen;
        using (k.Enter()) seen = s.Get<IHostile>().Run(0).Value;
        Assert.True(seen == Secret, $"the victim's payload reads 0x{seen:x}, not its secret: the dead entry point's write landed in it through the reused slot {hook.Slot}");
        Assert.Equal(before + 1, k.Heap.LiveObjects);
        Assert.Equal(DomainStatus.Running, s.Status);
    }

    // CONTAINED (no escape). Several kernels run in one process (the tests, a notebook). A grant of one kernel's domain
    // to a domain of another is refused at load (MultiKernelTests.AGrantCannotBridgeTwoKernels), but a proxy passed as
    // an argument crosses as it is (ProxyRuntime.Wrap leaves a Proxy alone): here the host hands domain X of k1 the
    // ISyscalls of domain Y of k2 (IRiscvHost.Serve). X's call through it takes CallerOf's "host code running as another
    // kernel" path: the caller is k2's kernel, so X's RRef arguments are checked against k2's registry as if k2's host
    // had passed them. Slot numbers start alike in every kernel, so X's arrays (k1, slots 1..8) name the slots of k2's
    // host's secrets (k2, slots 1..8). What holds: every heap tags its generations (SharedHeap._tag, 12 bits above the
    // 20 a slot counts through), so no handle of k1's names a live object of k2's: the first lend fails its check and
    // X crashes ("use after free"), Y reads nothing. (The tag repeats after 4095 heaps in one process.)
    [Fact]
    public void AProxyOfAnotherKernelHandedToADomainDoesNotCheckItsHandlesAgainstThatKernelsHeap()
    {
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var y = k2.Load(Compile("return_spy_syscalls", Spy));
        var secrets = new List<RRefArray<byte>>();
        using (k2.Enter())
            for (int i = 0; i < 8; i++) secrets.Add(RRefArray<byte>.From(BitConverter.GetBytes(Secret)));
        var x = k1.Load(Compile("return_cross_kernel", CrossKernel));
        long k1Before = k1.Heap.LiveObjects;

        var served = x.Get<IRiscvHost>().Serve(0, y.Get<ISyscalls>());

        int read = y.Get<ISyscalls>().Getpid().Value; // the spy's count of secrets it read
        int calls = y.Get<ISyscalls>().Uptime().Value; // and of writes it served
        Assert.True(read == 0, $"domain {y.Id} of k2 read {read} of k2's host's secrets through RRefs of k1's domain {x.Id} (served: {served})");
        Assert.True(calls == 0, $"domain {x.Id} of k1 lent {calls} of its RRefs to k2's domain {y.Id}, checked against k2's heap");
        Assert.True(served.Error.Kind == RpcErrorKind.CalleeCrashed, $"the first foreign lend should fault the caller; Serve returned {served}");
        using (k2.Enter())
            foreach (var r in secrets)
            {
                Assert.Equal(Microkernel.KernelId, k2.Heap.OwnerOf(r));
                Assert.Equal(Secret, BitConverter.ToInt64([r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]]));
                r.Drop();
            }
        Assert.Equal(0, k2.Heap.LiveObjects);
        Assert.True(k1.Heap.LiveObjects <= k1Before, $"k1 holds {k1.Heap.LiveObjects} objects, {k1Before} before");
        Assert.Equal(DomainStatus.Running, y.Status);
    }

    // FINDING (fixed 2026-12-07, DmaRing.Revoke: the crash cleanup ends the device's lends with the kernel's ends of lends
    // under the ownership lock, after waiting out those in flight without it (Accesses.LockReturns); os/README.md,
    // section 2, item 4). The end of a lend takes no lock while none of the kernel's domains is Shared, on the premise that
    // one thread alone touches a lent object's counts then. The crash cleanup is another thread. The host (T1) lends
    // buffer b to driver D (ISyscalls.Write); D lends it on to its device (DmaRing.Lend: b is lent twice, to the kernel
    // last) and returns without releasing it. T1's proxy ends the host's lend and is held after reading b's count; the
    // host kills D from thread Z, whose cleanup revokes the ring and ends the device's lend (ReturnLend) from the same
    // stale count. Before the fix the two plain read-modify-writes lost one end of a lend: b stayed lent for good (to
    // the dead driver), and the host could never drop it.
    [Fact]
    public void ACleanupEndingADeviceLendDoesNotRaceTheCallersEndOfTheSameLend()
    {
        using var k = Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { Cpus = 1, MemoryBytes = 64L << 20 });
        var dev = k.Machine.Attach(new RedLeaf.Hardware.Devices.NvmeDevice("nvme0", new RedLeaf.Hardware.Devices.MemoryBlockStore(4096, 16), 64));
        var driver = Compile("return_lending_driver", Driver);
        using var hook = new MarkerHook(0, hold: TimeSpan.FromSeconds(1));
        hook.WaitAtHit = 4; // T1's end of the host's lend (after the host's lend, the ring's check and its lend on)
        Domain? d = null;
        long before = -1, dropped = -1;
        RpcResult<int> written = default;
        var goDrop = new ManualResetEventSlim();
        var t1 = new Thread(() =>
        {
            using var _ = k.Enter();
            // Loaded from this thread (its entry runs under this thread's record), so T1 is D's only thread: D is not Shared.
            d = k.Load(driver, dev);
            before = k.Heap.LiveObjects;
            var b = RRefArray<byte>.New(4096);
            hook.Watch(Environment.CurrentManagedThreadId);
            b.CopyFrom(BitConverter.GetBytes(DeviceMarker)); // the check that names b's slot to the hook
            written = d.Get<ISyscalls>().Write(1, in b, 8);
            goDrop.Wait(TimeSpan.FromSeconds(10));
            dropped = Record.Exception(() => b.Drop()) is null ? 1 : 0;
        }, 4 << 20)
        { IsBackground = true, Name = "return attacks T1" };
        t1.Start();
        // T1 has read b's count in its end of the lend and waits (until Z is held, or 1 s).
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref hook.Watched) >= 4, TimeSpan.FromSeconds(10)), "the host's end of its lend never reached its check");

        var z = new Thread(() => { hook.HoldHere(); k.Kill(d!, "killed by the return attacks"); }, 4 << 20) { IsBackground = true, Name = "return attacks Z" };
        z.Start();
        // Z either reaches its own check of b's count (held there: T1 then writes first, and Z after it, from what it read)
        // or waits for T1's end of the lend to finish and then ends the device's lend under the lock.
        Assert.True(SpinWait.SpinUntil(() => hook.At.IsSet || !z.IsAlive, TimeSpan.FromSeconds(10)), "the kill neither reached the device's lend nor came back");
        hook.Go.Set();
        Assert.True(z.Join(TimeSpan.FromSeconds(10)), "the kill did not come back");
        goDrop.Set();
        Assert.True(t1.Join(TimeSpan.FromSeconds(10)), "T1 did not come back");

        Assert.True(written.IsOk || written.Error.Kind == RpcErrorKind.CalleeKilled, $"the driver's Write: {written}"); // killed before its proxy left it
        Assert.True(dropped == 1, "the host could not drop its own buffer after the driver died: one end of a lend was lost and it stays lent for good");
        Assert.Equal(before, k.Heap.LiveObjects);
        Assert.Equal(0, k.Heap.OrphanedTrees);
    }

    // FINDING (fixed 2026-12-07, Accesses.BeginAbandon; os/README.md, section 2, item 7). A host call's lend can outlive
    // the host's wait: host thread H lends payload b to D0 (ITransfer.Peek), which reads it in a loop on H's host-call
    // worker W1. The host kills D0 while W1 is inside a read (held there, as a thread stuck in a long base-library call
    // would be); H gives up on W1 after HostCall.KillGrace and gets CalleeKilled, and lends b to an innocent reader E
    // (held between its two reads). Then W1 leaves D0 and its proxy ends D0's lend, late: the lend to E, made after it,
    // is still on. Before the fix the late end restored the borrower from before D0's lend (nobody), so E's second read
    // failed its check and E was crashed ("tried to read RRef #1 owned by domain 1: use after move"). Now the late end
    // of a lend by a worker given up on only drops the count while the object is lent to someone else.
    [Fact]
    public void AnAbandonedWorkersLateEndOfALendDoesNotEndALendMadeAfterIt()
    {
        var run = AbandonRun.Start(holdReturn: false);
        using var _ = run;
        Assert.True(run.Hook.AtE.Wait(TimeSpan.FromSeconds(10)), $"H did not give up on W1 and lend the payload to E while W1 was held: the window was not hit (D0's call: {run.First}; H alive: {run.H.IsAlive})");
        run.Hook.GoW1.Set();
        Assert.True(run.Hook.W1!.Join(TimeSpan.FromSeconds(10)), "W1 did not leave");
        run.Hook.GoE.Set();
        run.AssertContained();
    }

    // FINDING (fixed 2026-12-07, Accesses.SettleAbandon), the same race inside one count update: W1 leaves the killed D0
    // at once and its proxy ends D0's lend without the lock (no domain of the kernel is Shared), held after it read the
    // count and before it wrote it; meanwhile H gives up on W1 and lends b to E, also without the lock. Before the fix
    // the two plain read-modify-writes of the count interleaved: H's lend to E went ahead while W1 was held (E reached its
    // first read), and W1's write then erased it. Now giving up on a worker waits for its lock-free ends of lends in
    // flight, and puts the kernel's ends of lends and the host's lends under the lock until the worker has left.
    [Fact]
    public void AHostGivingUpOnAWorkerDoesNotLendAgainInsideTheWorkersEndOfTheLend()
    {
        var run = AbandonRun.Start(holdReturn: true);
        using var _ = run;
        Assert.True(run.Hook.AtReturn.Wait(TimeSpan.FromSeconds(10)), $"W1 never ended D0's lend (D0's call: {run.First})");
        bool lentMeanwhile = run.Hook.AtE.Wait(TimeSpan.FromSeconds(1)); // H gives up after KillGrace (50 ms)
        run.Hook.GoReturn.Set();
        Assert.False(lentMeanwhile, "H lent the payload to E while W1 was inside its end of D0's lend of it");
        Assert.True(run.Hook.W1!.Join(TimeSpan.FromSeconds(10)), "W1 did not leave");
        Assert.True(run.Hook.AtE.Wait(TimeSpan.FromSeconds(10)), "H did not lend the payload to E once W1 had ended its lend");
        run.Hook.GoE.Set();
        run.AssertContained();
    }

    /// <summary>The abandoned-worker attacks' set-up: host thread H lends a payload to D0, which reads it in a loop on
    /// H's host-call worker W1, until the test kills D0 (<see cref="Start"/> does, once D0 reads; without holdReturn, W1
    /// is held inside its read through the kill); H then gives up on W1 and lends the payload to E.</summary>
    private sealed class AbandonRun : IDisposable
    {
        public readonly Microkernel K = TestDomains.Boot();
        public readonly AbandonHook Hook = new(AbandonMarker);
        public readonly Thread H;
        public Domain? D0, E;
        public RpcResult<long> First, Second;
        public long Dropped = -1;

        private AbandonRun()
        {
            var stuck = Compile("return_stuck_reader", Transfer("long s = 0; for (long i = 0; i < long.MaxValue; i++) s ^= a.Value.A; return s;"));
            var innocent = Compile("return_innocent_reader", Transfer("long s = a.Value.A; s += a.Value.A; return s;"));
            var loaded = new ManualResetEventSlim();
            H = new Thread(() =>
            {
                D0 = K.Load(stuck);
                Hook.D0 = D0.Id;
                loaded.Set();
                RRef<Payload> b;
                using (K.Enter()) b = RRef<Payload>.New(new Payload(AbandonMarker, 1));
                First = D0.Get<ITransfer>().Peek(in b); // a plain host call: on this thread's host-call worker
                // Loaded now, under the record this thread took when it gave up on W1, so H's calls are E's only thread
                // (E is not Shared: no Shared domain's settling waits for W1's end of the lend).
                E = K.Load(innocent);
                Hook.E = E.Id;
                Second = E.Get<ITransfer>().Peek(in b);
                using (K.Enter()) Dropped = Record.Exception(() => b.Drop()) is null ? 1 : 0;
            }, 4 << 20)
            { IsBackground = true, Name = "return attacks H" };
            H.Start();
            Assert.True(loaded.Wait(TimeSpan.FromSeconds(20)), "the readers did not load");
        }

        public static AbandonRun Start(bool holdReturn)
        {
            var run = new AbandonRun();
            run.Hook.HoldReturn = holdReturn;
            Assert.True(run.Hook.D0Reading.Wait(TimeSpan.FromSeconds(10)), "D0 never read the payload");
            if (!holdReturn)
            {
                run.Hook.KillIssued = true; // W1's next read in D0 is held; D0 is killed under it
                Assert.True(run.Hook.AtW1.Wait(TimeSpan.FromSeconds(10)), "W1 was not held inside D0's read");
            }
            run.K.Kill(run.D0!, "killed by the return attacks");
            return run;
        }

        public void AssertContained()
        {
            Assert.True(H.Join(TimeSpan.FromSeconds(10)), "H did not come back");
            Assert.False(First.IsOk, $"D0's call: {First}");
            Assert.True(Second.IsOk && Second.Value == 2 * AbandonMarker, $"the innocent reader's call: {Second}; E {E!.Status}: {E.LastCrash?.Reason}");
            Assert.Equal(DomainStatus.Running, E.Status);
            Assert.True(Dropped == 1, "the host could not drop its payload after both lends ended");
            Assert.Equal(0, K.Heap.LiveObjects);
        }

        public void Dispose()
        {
            Hook.Dispose();
            H.Join(TimeSpan.FromSeconds(10));
            K.Dispose();
        }
    }

    /// <summary>The pause points of the abandoned-worker attacks, told apart by the payload's marker and the domain a
    /// point runs as: D0's reads name W1; once KillIssued is set, W1's next read in D0 is held (the test kills D0 under
    /// it; released, W1 leaves D0 and its proxy ends the lend); with HoldReturn, W1's end of the lend (a point run as
    /// the lender, not D0) is held; E's first read is held.</summary>
    private sealed class AbandonHook : IDisposable
    {
        private readonly long _marker;
        public int D0 = -1, E = -1;
        public volatile bool KillIssued, HoldReturn;
        public Thread? W1;
        private int _w1Held, _returnHeld, _eHeld;
        public readonly ManualResetEventSlim D0Reading = new(), AtW1 = new(), GoW1 = new(), AtReturn = new(), GoReturn = new(), AtE = new(), GoE = new();

        public AbandonHook(long marker)
        {
            _marker = marker;
            HeapRaceHook.Install(OnPoint);
        }

        private void OnPoint(HeapRacePoint point, int domain, int slot, long first)
        {
            if (point != HeapRacePoint.Checked || first != _marker) return;
            if (domain == D0 && W1 is null) { W1 = Thread.CurrentThread; D0Reading.Set(); return; }
            if (KillIssued && Thread.CurrentThread == W1 && domain == D0 && Interlocked.Exchange(ref _w1Held, 1) == 0)
            {
                AtW1.Set();
                GoW1.Wait(TimeSpan.FromSeconds(10));
                return;
            }
            if (HoldReturn && Thread.CurrentThread == W1 && domain != D0 && Interlocked.Exchange(ref _returnHeld, 1) == 0)
            {
                AtReturn.Set();
                GoReturn.Wait(TimeSpan.FromSeconds(3));
                return;
            }
            if (domain == E && Interlocked.Exchange(ref _eHeld, 1) == 0)
            {
                AtE.Set();
                GoE.Wait(TimeSpan.FromSeconds(10));
            }
        }

        public void Dispose()
        {
            HeapRaceHook.Install(null);
            GoW1.Set();
            GoReturn.Set();
            GoE.Set();
        }
    }

    // ---- domains -------------------------------------------------------------------------------------------------

    /// <summary>Run(v != 0) allocates a payload (v, v) and keeps it; Run(0) returns the kept payload's A if A == B.</summary>
    private const string Victim =
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Test;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static IHostile Start() { return new Keeper(); }\n}\n" +
        "sealed class Keeper : IHostile\n{\n    static RRef<Payload> s_kept;\n" +
        "    public RpcResult<long> Run(long argument)\n    {\n" +
        "        if (argument != 0) { s_kept = RRef<Payload>.New(new Payload(argument, argument)); return 0; }\n" +
        "        var v = s_kept.Value;\n        return v.A == v.B ? v.A : -1;\n    }\n}\n";

    /// <summary>The ISyscalls methods the test domains do not use.</summary>
    private const string Rest =
        "    public RpcResult<int> Spawn(in RRefArray<byte> argv, in RRefArray<int> fds) { return -1; }\n" +
        "    public RpcResult<int> Exec(in RRefArray<byte> argv) { return -1; }\n" +
        "    public RpcResult<WaitStatus> Wait() { return default(WaitStatus); }\n" +
        "    public RpcResult Exit(int status) { return default(RpcResult); }\n" +
        "    public RpcResult<int> Kill(int pid) { return -1; }\n" +
        "    public RpcResult<int> Sleep(int ticks) { return -1; }\n" +
        "    public RpcResult<FdPair> Pipe() { return default(FdPair); }\n" +
        "    public RpcResult<RRef<IoVec>> Read(int fd, RRef<IoVec> io) { return io; }\n" +
        "    public RpcResult<int> Open(in RRefArray<byte> path, int omode) { return -1; }\n" +
        "    public RpcResult<int> Close(int fd) { return -1; }\n" +
        "    public RpcResult<int> Dup(int fd) { return -1; }\n" +
        "    public RpcResult<Stat> Fstat(int fd) { return default(Stat); }\n" +
        "    public RpcResult<int> Chdir(in RRefArray<byte> path) { return -1; }\n" +
        "    public RpcResult<int> Mkdir(in RRefArray<byte> path) { return -1; }\n" +
        "    public RpcResult<int> Mknod(in RRefArray<byte> path, short major, short minor) { return -1; }\n" +
        "    public RpcResult<int> Link(in RRefArray<byte> oldPath, in RRefArray<byte> newPath) { return -1; }\n" +
        "    public RpcResult<int> Unlink(in RRefArray<byte> path) { return -1; }\n";

    /// <summary>k2's ISyscalls: Write reads what it is lent and counts the secrets; Getpid returns that count, Uptime the writes.</summary>
    private static readonly string Spy =
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Rv6;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static ISyscalls Start() { return new Spy(); }\n}\n" +
        "sealed class Spy : ISyscalls\n{\n    static int s_secrets; static int s_writes;\n" +
        "    public RpcResult<int> Write(int fd, in RRefArray<byte> data, int n)\n    {\n" +
        "        s_writes++;\n        long v = 0;\n        for (int i = 0; i < 8 && i < data.Length; i++) v |= (long)data[i] << (8 * i);\n" +
        $"        if (v == {Secret}L) s_secrets++;\n        return n;\n    }}\n" +
        "    public RpcResult<int> Getpid() { return s_secrets; }\n" +
        "    public RpcResult<int> Uptime() { return s_writes; }\n" +
        Rest + "}\n";

    /// <summary>A driver serving ISyscalls: Write lends what it is lent on to its device (slot 0 of nvme0's sq) and returns.</summary>
    private static readonly string Driver =
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Rv6;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static ISyscalls Start(DeviceAccess device) { Spy.s_sq = device.Ring(\"sq\"); return new Spy(); }\n}\n" +
        "sealed class Spy : ISyscalls\n{\n    internal static DmaRing s_sq;\n" +
        "    public RpcResult<int> Write(int fd, in RRefArray<byte> data, int n)\n    {\n" +
        "        s_sq.Lend(0, in data);\n        return n;\n    }\n" +
        "    public RpcResult<int> Getpid() { return 0; }\n" +
        "    public RpcResult<int> Uptime() { return 0; }\n" + Rest + "}\n";

    /// <summary>k1's IRiscvHost: Serve lends eight arrays of its own, one at a time, to the ISyscalls it is handed.</summary>
    private const string CrossKernel =
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Rv6;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static IRiscvHost Start() { return new Bridge(); }\n}\n" +
        "sealed class Bridge : IRiscvHost\n{\n" +
        "    public RpcResult<IProgram> Serve(long session, ISyscalls sys)\n    {\n" +
        "        var mine = new RRefArray<byte>[8];\n" +
        "        for (int i = 0; i < 8; i++) mine[i] = RRefArray<byte>.New(8);\n" +
        "        for (int i = 0; i < 8; i++) sys.Write(1, in mine[i], 8);\n" +
        "        for (int i = 0; i < 8; i++) mine[i].Drop();\n" +
        "        IProgram none = null;\n        return new RpcResult<IProgram>(none);\n    }\n}\n";

    /// <summary>A domain exporting IHostile whose entry point runs <paramref name="entryBody"/>.</summary>
    private static string Hostile(string run, string entryBody = "") =>
        "using RedLeaf.Abi;\nusing RedLeaf.Interfaces.Test;\n" +
        "public static class Entry\n{\n    [DomainEntry]\n    public static IHostile Start() { " + entryBody + " return new Attack(); }\n}\n" +
        "sealed class Attack : IHostile\n{\n    public RpcResult<long> Run(long argument)\n    {\n" + run + "\n    }\n}\n";

    /// <summary>Holds the first thread that reaches a Checked pause point on an object whose first 8 bytes are
    /// <paramref name="marker"/>, until Go is set or <paramref name="hold"/> has passed.</summary>
    private sealed class MarkerHook : IDisposable
    {
        private readonly long _marker;
        private readonly TimeSpan _hold;
        private int _used;
        public readonly ManualResetEventSlim At = new();
        public readonly ManualResetEventSlim Go = new();
        public Thread? Worker;
        /// <summary>Marker hits on the watched thread (not held there).</summary>
        public int Watched;
        /// <summary>The watched thread's hit that waits (before its write) until the held thread is held; 0: none.</summary>
        public int WaitAtHit;
        /// <summary>The watched thread's wait ended before the held thread was held.</summary>
        public bool WaitedOut;
        private int _watched = -1, _holder = -1, _slot;
        public int Slot;
        public TimeSpan HeldFor;

        public MarkerHook(long marker, TimeSpan hold)
        {
            _marker = marker;
            _hold = hold;
            HeapRaceHook.Install(OnPoint);
        }

        private void OnPoint(HeapRacePoint point, int domain, int slot, long first)
        {
            if (point != HeapRacePoint.Checked) return;
            int me = Environment.CurrentManagedThreadId;
            if (me == Volatile.Read(ref _watched) && Volatile.Read(ref _slot) == 0) { Volatile.Write(ref _slot, slot); return; } // its object's first check
            if (_marker != 0 ? first != _marker : slot != Volatile.Read(ref _slot)) return;
            if (me == Volatile.Read(ref _watched))
            {
                if (Interlocked.Increment(ref Watched) == WaitAtHit && !At.Wait(_hold)) WaitedOut = true; // read, not yet written: until the held thread is too
                return;
            }
            int holder = Volatile.Read(ref _holder);
            if ((holder >= 0 && me != holder) || Interlocked.Exchange(ref _used, 1) != 0) return;
            Worker = Thread.CurrentThread;
            Slot = slot;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            At.Set();
            Go.Wait(_hold);
            HeldFor = sw.Elapsed;
        }

        /// <summary>Counts the marker's hits on <paramref name="thread"/> instead of holding it. With marker 0 (an object
        /// whose elements are under 8 bytes: no first 8 bytes at its checks), the object is the one of that thread's next
        /// check, and hits are checks of its slot.</summary>
        public void Watch(int thread) => Volatile.Write(ref _watched, thread);

        /// <summary>Holds only the calling thread (by default, the first thread to hit the marker).</summary>
        public void HoldHere() => Volatile.Write(ref _holder, Environment.CurrentManagedThreadId);

        public void Dispose()
        {
            HeapRaceHook.Install(null);
            Go.Set();
        }
    }
}
