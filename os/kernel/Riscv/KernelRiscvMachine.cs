// os/kernel/Riscv: the kernel's side of one granted RiscvMachine: the processes made through it (freed
// when it is revoked), and parking through the service's registry.
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware.Riscv;

namespace RedLeaf.Os.Riscv;

internal sealed class KernelRiscvMachine : RiscvMachineBackend
{
    private readonly RiscvService _service;
    private readonly HashSet<KernelRiscvProcess> _live = new();
    private volatile bool _revoked;

    internal KernelRiscvMachine(RiscvService service, string holder)
    {
        _service = service;
        Holder = holder;
    }

    internal override string Holder { get; }
    internal override bool Revoked => _revoked;
    internal override long TotalPages => _service.Pool.TotalPages;
    internal override long FreePages => _service.Pool.FreePages;

    internal override RiscvProcessBackend Create() =>
        Track(new KernelRiscvProcess(this, new RiscvAddressSpace(_service.Pool, _service.MaxProcessSize)));

    internal KernelRiscvProcess Track(KernelRiscvProcess p)
    {
        lock (_live)
        {
            if (_revoked) { p.Space.Free(); throw new RiscvRevokedException($"the RISC-V machine granted to {Holder} has been revoked"); }
            _live.Add(p);
        }
        return p;
    }

    internal void Untrack(KernelRiscvProcess p)
    {
        lock (_live) _live.Remove(p);
    }

    internal override long Park(RiscvProcessBackend p)
    {
        var kp = (KernelRiscvProcess)p;
        Untrack(kp);
        return _service.Park(kp, this);
    }

    internal override RiscvProcessBackend? Adopt(long ticket)
    {
        var p = _service.Adopt(ticket);
        if (p is null) return null;
        p.Machine = this;
        return Track(p);
    }

    internal override void Bind(long ticket, int pid) => _service.Bind(ticket, pid);
    internal override void Discard(long ticket) => _service.Discard(ticket);
    internal override RiscvMachineBackend? Claim(long ticket) => _service.Claim(ticket, this);

    /// <summary>Sessions claimed through this machine (the interpreter domain's grant): revoked with it.</summary>
    private readonly List<KernelRiscvMachine> _sessions = new();

    /// <summary>Records a session claimed through this machine; false (the session is revoked at once) if this one is revoked.</summary>
    internal bool Adopted(KernelRiscvMachine session)
    {
        lock (_live)
        {
            if (_revoked) return false;
            _sessions.RemoveAll(s => s.Revoked); // ended processes' sessions: the list stays as long as the live ones
            _sessions.Add(session);
            return true;
        }
    }

    /// <summary>The holder ended: free every process it still holds, and what it parked for nobody yet.</summary>
    internal void Revoke()
    {
        KernelRiscvProcess[] live;
        KernelRiscvMachine[] sessions;
        lock (_live)
        {
            _revoked = true;
            live = _live.ToArray();
            _live.Clear();
            sessions = _sessions.ToArray();
            _sessions.Clear();
        }
        foreach (var p in live) p.Space.Free();
        foreach (var s in sessions) s.Revoke();
        _service.ParkerEnded(this);
    }
}
