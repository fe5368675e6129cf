// domains/rv6/user/riscv: fork across domains. The child is a new rv6 process, so a new instance of
// this domain: the parent copies its process (RiscvProcess.Fork: memory, registers; the decoded text is
// shared, it never changes), sets the copy's a0 to 0, parks it with the kernel for a ticket, and spawns
// `riscv -fork TICKET HOLES` with all its open file descriptors in place (rv6's Spawn passes a list; a
// closed fd is passed as some open one and marked in HOLES, and the child closes it, so the child's
// table matches the parent's). The child adopts the copy and runs it. What this costs, against xv6's
// fork (copy the pages), is a domain load and a spawn: measured in domains/rv6/README.md.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Riscv;

public sealed partial class RiscvProgram
{
    private long Fork()
    {
        var child = proc!.Fork();
        if (child is null) return -1;
        child.SetRegister(10, 0);
        long ticket = machine.Park(child);

        // The open descriptors, found by dup'ing each (rv6 has no call that lists them, and fstat fails on pipes).
        var open = new bool[NOFILE];
        int last = -1, any = -1;
        for (int fd = 0; fd < NOFILE; fd++)
        {
            int d = Value(sys.Dup(fd));
            if (d < 0) continue;
            sys.Close(d);
            open[fd] = true;
            last = fd;
            if (any < 0) any = fd;
        }
        if (last < 0 && sys.Fstat(0) is { IsOk: true } s0 && s0.Value.Type != 0)
        {
            // Every dup failed yet fd 0 is open: the table is full, so every descriptor is open.
            for (int fd = 0; fd < NOFILE; fd++) open[fd] = true;
            last = NOFILE - 1;
            any = 0;
        }
        var fds = new int[last + 1];
        var holes = new char[Math.Max(1, last + 1)];
        holes[0] = '-';
        for (int fd = 0; fd <= last; fd++)
        {
            fds[fd] = open[fd] ? fd : any;
            holes[fd] = open[fd] ? '-' : 'x';
        }
        var argv = Bytes($"riscv\0-fork\0{ticket}\0{new string(holes)}\0{name}\0");
        var a = RRefArray<byte>.From(argv);
        var f = RRefArray<int>.From(fds);
        int pid;
        try { pid = Value(sys.Spawn(a, f)); }
        finally { a.Drop(); f.Drop(); }
        if (pid < 0) { machine.Discard(ticket); return -1; }
        machine.Bind(ticket, pid);
        return pid;
    }

    /// <summary>The child's half: take the parked copy, close the descriptors the parent did not have.</summary>
    private bool Adopt(string ticketText, string holes)
    {
        if (!long.TryParse(ticketText, out long ticket) || (proc = machine.Adopt(ticket)) is null)
        {
            Say("riscv: -fork: no such parked process\n");
            return false;
        }
        for (int fd = 0; fd < holes.Length; fd++)
            if (holes[fd] == 'x') sys.Close(fd);
        return true;
    }
}
