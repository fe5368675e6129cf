// os/kernel/Riscv: the kernel's RISC-V service for one system (one rv6): the page pool every process's
// memory comes from, the RiscvMachine capabilities it granted (one per interpreter domain instance,
// revoked when the instance ends), and the registry of parked processes (fork's copies on their way
// from a parent's domain to its child's). A parked copy is freed when adopted, discarded, when the
// child it was bound to ends without adopting it, or when its parker ends before binding it.
using System.Security.Cryptography;
using RedLeaf.Abi;
using RedLeaf.Hardware.Riscv;

namespace RedLeaf.Os.Riscv;

public sealed class RiscvService
{
    private readonly Dictionary<long, Parked> _parked = new();

    private sealed class Parked
    {
        public required KernelRiscvProcess Process;
        public required KernelRiscvMachine Parker;
        public int Pid = -1;
    }

    /// <param name="memoryBytes">The pool all processes share (xv6's PHYSTOP-KERNBASE is 128 MiB).</param>
    public RiscvService(long memoryBytes = 128L << 20, ulong maxProcessSize = 1UL << 30)
    {
        Pool = new RiscvMemoryPool(memoryBytes);
        MaxProcessSize = maxProcessSize;
    }

    public RiscvMemoryPool Pool { get; }
    public ulong MaxProcessSize { get; }

    /// <summary>Whether a process id is alive (set by whoever starts processes): a copy bound to a process
    /// that has already ended is freed at once.</summary>
    public Func<int, bool>? IsLive { get; set; }

    /// <summary>Processes parked and not yet adopted (for tests).</summary>
    public int ParkedCount { get { lock (_parked) return _parked.Count; } }

    /// <summary>A fresh capability for one domain instance (pass it to Microkernel.Load).</summary>
    public RiscvMachine Grant(string holder) => new(new KernelRiscvMachine(this, holder));

    private readonly Dictionary<long, KernelRiscvMachine> _offered = new();

    /// <summary>A session machine for one rv6 process, offered to the interpreter domain under the returned ticket
    /// (it claims it with RiscvMachine.Claim). Revoke it when the process ends: its RISC-V processes are freed.</summary>
    public long Offer(string holder, out RiscvMachine session)
    {
        var s = new KernelRiscvMachine(this, holder);
        session = new RiscvMachine(s);
        lock (_offered)
        {
            long ticket = NewTicket(_offered.ContainsKey);
            _offered[ticket] = s;
            return ticket;
        }
    }

    /// <summary>Offers not yet claimed (for tests).</summary>
    public int OfferedCount { get { lock (_offered) return _offered.Count; } }

    internal KernelRiscvMachine? Claim(long ticket, KernelRiscvMachine by)
    {
        KernelRiscvMachine? s;
        lock (_offered) _offered.Remove(ticket, out s);
        if (s is null || s.Revoked) return null;
        if (!by.Adopted(s)) { s.Revoke(); return null; }
        return s;
    }

    /// <summary>An unguessable nonzero ticket not yet in use.</summary>
    private static long NewTicket(Func<long, bool> taken)
    {
        Span<byte> b = stackalloc byte[8];
        long ticket;
        do
        {
            RandomNumberGenerator.Fill(b);
            ticket = BitConverter.ToInt64(b) & long.MaxValue;
        } while (ticket == 0 || taken(ticket));
        return ticket;
    }

    /// <summary>The holder ended: its processes are freed and the capability refuses every use.</summary>
    public void Revoke(RiscvMachine machine)
    {
        var k = (KernelRiscvMachine)machine.Backend;
        lock (_offered) foreach (var t in _offered.Where(kv => kv.Value == k).Select(kv => kv.Key).ToList()) _offered.Remove(t); // never claimed
        k.Revoke();
    }

    /// <summary>Process <paramref name="pid"/> ended: free any copy parked for it that it never adopted.</summary>
    public void ProcessEnded(int pid)
    {
        List<Parked> gone;
        lock (_parked)
        {
            gone = _parked.Where(kv => kv.Value.Pid == pid).Select(kv => kv.Value).ToList();
            foreach (var k in _parked.Where(kv => kv.Value.Pid == pid).Select(kv => kv.Key).ToList()) _parked.Remove(k);
        }
        foreach (var p in gone) p.Process.Space.Free();
    }

    internal long Park(KernelRiscvProcess p, KernelRiscvMachine parker)
    {
        lock (_parked)
        {
            long ticket = NewTicket(_parked.ContainsKey);
            _parked[ticket] = new Parked { Process = p, Parker = parker };
            return ticket;
        }
    }

    internal KernelRiscvProcess? Adopt(long ticket)
    {
        lock (_parked)
        {
            if (!_parked.Remove(ticket, out var p)) return null;
            return p.Process;
        }
    }

    internal void Bind(long ticket, int pid)
    {
        Parked? dead = null;
        lock (_parked)
        {
            if (!_parked.TryGetValue(ticket, out var p)) return;
            // ProcessEnded runs after the process stops being live, and takes this lock: either it sees the
            // binding, or we see the process gone.
            if (IsLive is { } live && !live(pid)) { _parked.Remove(ticket); dead = p; }
            else p.Pid = pid;
        }
        dead?.Process.Space.Free();
    }

    internal void Discard(long ticket)
    {
        Parked? p;
        lock (_parked) _parked.Remove(ticket, out p);
        p?.Process.Space.Free();
    }

    internal void ParkerEnded(KernelRiscvMachine parker)
    {
        List<long> gone;
        List<Parked> freed = new();
        lock (_parked)
        {
            gone = _parked.Where(kv => kv.Value.Parker == parker && kv.Value.Pid < 0).Select(kv => kv.Key).ToList();
            foreach (var k in gone) { freed.Add(_parked[k]); _parked.Remove(k); }
        }
        foreach (var p in freed) p.Process.Space.Free();
    }
}
