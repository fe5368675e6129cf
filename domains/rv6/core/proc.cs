// domains/rv6/core: a process (xv6's struct proc in kernel/proc.h). Each process is a domain of its
// program's image, granted its own Syscalls object, and runs on a kernel thread of the core that calls
// the program's Main. Its state is guarded by the core's lock (Rv6Core.Lock).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

internal enum ProcState { Unused, Used, Running, Zombie }

internal sealed class Proc
{
    public ProcState State;
    public int Pid;
    public Proc? Parent;        // null: the host, or an orphan (reaped as it exits)
    public bool Killed;         // xv6's p->killed: sleeps end, system calls return -1
    public bool Exiting;        // Exit was called: XState holds the status
    public bool Unloaded;       // its domain has been stopped and unloaded
    public int XState;
    public string Name = "";
    public readonly File?[] Ofile = new File?[Param.NOFILE];
    public int Cwd = -1;        // inode handle in the fs domain
    public int CwdEpoch;        // the fs instance Cwd belongs to
    public IProgram? Program;
    public RRefArray<byte> Argv;
    public ISyscalls? Sys;      // the process's own system-call object, granted to each program it runs
    public IProgram? ExecProgram;   // exec: the program that replaces Program once the old Main has returned
    public RRefArray<byte> ExecArgv;

    public void Reset()
    {
        State = ProcState.Unused;
        Pid = 0;
        Parent = null;
        Killed = Exiting = Unloaded = false;
        XState = 0;
        Name = "";
        Array.Clear(Ofile);
        Cwd = -1;
        CwdEpoch = 0;
        Program = null;
        Argv = default;
        Sys = null;
        ExecProgram = null;
        ExecArgv = default;
    }
}
