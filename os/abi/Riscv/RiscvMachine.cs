// os/abi/Riscv: the right to run RISC-V user processes on the machine's interpreter (machine/Riscv),
// granted by the kernel to rv6's interpreter domain (domains/rv6/user/riscv): RedLeaf's answer to "how
// does untrusted code reach a CPU it may not touch?". Processes made through it take their memory from
// the kernel's finite RISC-V page pool. The domain holds one machine (its grant) and, for each rv6
// process it serves, a session machine it claims with the ticket the program loader gave it (Claim):
// when that process ends (exit, kill) the kernel revokes the session and frees every RISC-V process made
// through it, whatever the interpreter did; every later use throws RiscvRevokedException, which ends that
// process's Main and nothing else. When the domain itself ends, its grant and every session are revoked.
//
// Fork across domains: a process cannot be moved through a system call, so the parent parks the copy
// with the kernel (Park: an unguessable ticket), passes the ticket to the child it starts, and the
// child's instance adopts it (Adopt). Bind names the child's pid, so the copy is freed if that child
// ends before adopting it; Discard frees it if the child never started.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public sealed class RiscvMachine
{
    private readonly RiscvMachineBackend _b;

    internal RiscvMachine(RiscvMachineBackend backend) => _b = backend;

    internal RiscvMachineBackend Backend => _b;

    /// <summary>Who it was granted to (for messages).</summary>
    public string Holder => _b.Holder;

    /// <summary>Pages of the kernel's RISC-V memory pool, in all, and free now (4 KiB each).</summary>
    public long TotalPages => _b.TotalPages;
    public long FreePages => _b.FreePages;

    private void Check()
    {
        if (_b.Revoked) throw new RiscvRevokedException($"the RISC-V machine granted to {_b.Holder} has been revoked");
    }

    /// <summary>The session machine the program loader offered under <paramref name="ticket"/> for one rv6 process;
    /// null if the ticket names none (already claimed, revoked, or never issued).</summary>
    public RiscvMachine? Claim(long ticket)
    {
        Check();
        var s = _b.Claim(ticket);
        return s is null ? null : new RiscvMachine(s);
    }

    /// <summary>A new process with no memory (size 0): grow it, load it, set its layout, start it.</summary>
    public RiscvProcess Create()
    {
        Check();
        return new RiscvProcess(this, _b.Create());
    }

    /// <summary>Hands <paramref name="process"/> (usually a fork's copy) to the kernel for another instance to
    /// adopt; it is no longer usable here. The ticket to pass on.</summary>
    public long Park(RiscvProcess process)
    {
        Check();
        if (process.Owner != this) throw new ArgumentException("that process was not made through this machine");
        return _b.Park(process.Detach());
    }

    /// <summary>Takes a parked process; null if the ticket names none (used, discarded, or never issued).</summary>
    public RiscvProcess? Adopt(long ticket)
    {
        Check();
        var p = _b.Adopt(ticket);
        return p is null ? null : new RiscvProcess(this, p);
    }

    /// <summary>Names the process (pid) that will adopt the ticket: if it ends first, the kernel frees the copy.</summary>
    public void Bind(long ticket, int pid)
    {
        Check();
        _b.Bind(ticket, pid);
    }

    /// <summary>Frees a parked process nobody will adopt.</summary>
    public void Discard(long ticket)
    {
        Check();
        _b.Discard(ticket);
    }

    internal void CheckLive() => Check();
}
