// domains/rv6/user/riscv: rv6's RISC-V interpreter program. One instance of this domain serves every
// RISC-V process of a system (unlike C# programs, where a process is a domain): the program loader asks
// it (IRiscvHost.Serve) for a RiscvProgram per process, given that process's ISyscalls and the ticket of a
// session RiscvMachine (os/abi/Riscv) the kernel revokes when the process ends. A RISC-V process is
// isolated by the interpreter's address-space checks, not by a domain: it cannot reach anything but its
// own memory, so neither this domain nor another process runs on whatever it does (domains/rv6/README.md,
// "RISC-V processes"). Each RiscvProgram is its process's xv6 kernel: it loads the ELF (elf.cs), runs
// slices of instructions, serves ecalls by mapping xv6's system-call ABI onto rv6's (ecall.cs), forks
// (fork.cs), and kills the process on a fault, as xv6's usertrap does.
//   riscv PATH [ARG...]          run the ELF file PATH with argv [PATH, ARG...] (rv6's core starts this
//                                when a spawned name is an ELF file in the file system)
//   riscv -fork TICKET HOLES NAME  a fork's child: adopt the parked copy, close the fds marked in HOLES
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Riscv;

public sealed partial class RiscvProgram : IProgram
{
    /// <summary>Instructions per slice: after each, the loop's back-edge check lets a kill in (xv6's timer tick).</summary>
    private const long Budget = 1 << 20;
    private const int NOFILE = 16, MAXARG = 32, MAXPATH = 128;

    private readonly ISyscalls sys;
    private readonly RiscvMachine machine = null!;
    private readonly bool serving;
    private RiscvProcess? proc;
    private string name = "riscv";

    /// <param name="machine">The process's session machine; null if it could not be claimed (the process ended first).</param>
    public RiscvProgram(ISyscalls sys, RiscvMachine? machine)
    {
        this.sys = sys;
        if (machine is not null) { this.machine = machine; serving = true; }
    }

    // Cold start path, run once per process: compiled without optimisation (collectible domain code is never
    // tiered, so the JIT would fully optimise it in every fresh instance; see README, "What this costs").
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]
    public RpcResult<int> Main(in RRefArray<byte> argv)
    {
        if (!serving) return -1;
        var args = Split(in argv);
        try
        {
            if (args.Length == 5 && args[1] == "-fork")
            {
                name = args[4];
                if (!Adopt(args[2], args[3])) return -1;
            }
            else if (args.Length >= 2)
            {
                name = args[1];
                var p = Exec(args[1], args[1..], out string? error, out _);
                if (p is null)
                {
                    Say($"exec {args[1]} failed: {error}\n");
                    return 1;
                }
                proc = p;
            }
            else
            {
                Say("usage: riscv PATH [ARG...]\n");
                return 1;
            }
            return Loop();
        }
        catch (RiscvRevokedException)
        {
            return -1; // the process was killed (or exited) under us: its session and memory are gone, the others run on
        }
        finally
        {
            proc?.Free();
            proc = null;
        }
    }

    /// <summary>Runs the process until it exits (its status) or faults (-1, as xv6's kill-on-trap).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // see Main
    private int Loop()
    {
        for (;;)
        {
            var stop = proc!.Run(Budget);
            if (stop == RiscvExit.Budget) continue;
            if (stop == RiscvExit.Ecall)
            {
                if (Ecall(out int status)) return status;
                continue;
            }
            // xv6's usertrap: "unexpected scause ... pid= ... sepc= stval=", then the process is killed.
            int pid = sys.Getpid() is { IsOk: true } g ? g.Value : -1;
            Say($"usertrap(): {Describe(stop)} pid={pid} {name} sepc=0x{proc.FaultPc:x} stval=0x{proc.FaultAddress:x}\n");
            return -1;
        }
    }

    private static string Describe(RiscvExit e) => e switch
    {
        RiscvExit.LoadFault => "load page fault",
        RiscvExit.StoreFault => "store page fault",
        RiscvExit.FetchFault => "instruction page fault",
        RiscvExit.IllegalInstruction => "illegal instruction",
        RiscvExit.Breakpoint => "breakpoint",
        _ => e.ToString(),
    };

    /// <summary>Writes a message to fd 2 (the console, usually).</summary>
    private void Say(string s)
    {
        var b = new byte[s.Length];
        for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
        var r = RRefArray<byte>.From(b);
        try { sys.Write(2, in r, b.Length); }
        finally { r.Drop(); }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)] // see Main
    private static string[] Split(in RRefArray<byte> argv)
    {
        var b = new byte[argv.IsNull ? 0 : argv.Length];
        if (b.Length > 0) argv.CopyTo(b);
        var list = new List<string>();
        int start = 0;
        for (int i = 0; i < b.Length; i++)
            if (b[i] == 0)
            {
                list.Add(Ascii(b, start, i - start));
                start = i + 1;
            }
        if (start < b.Length) list.Add(Ascii(b, start, b.Length - start));
        return list.ToArray();
    }

    private static string Ascii(byte[] b, int start, int n)
    {
        var c = new char[n];
        for (int i = 0; i < n; i++) c[i] = (char)b[start + i];
        return new string(c);
    }

    private static byte[] Bytes(string s)
    {
        var b = new byte[s.Length];
        for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
        return b;
    }
}

/// <summary>The domain's export: a RiscvProgram per rv6 process the loader asks it to serve.</summary>
public sealed class RiscvHost : IRiscvHost
{
    private readonly RiscvMachine machine;

    public RiscvHost(RiscvMachine machine) => this.machine = machine;

    public RpcResult<IProgram> Serve(long session, ISyscalls sys) => RpcResult.From<IProgram>(new RiscvProgram(sys, machine.Claim(session)));
}

public static class Entry
{
    [DomainEntry]
    public static IRiscvHost Start(RiscvMachine machine) => new RiscvHost(machine);
}
