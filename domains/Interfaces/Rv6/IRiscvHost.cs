// domains/Interfaces/Rv6: what rv6's RISC-V interpreter domain (domains/rv6/user/riscv) exports. One instance
// of it serves every RISC-V process of a system: the program loader asks it for a process's program object
// (an IProgram the core runs like any other program's) instead of loading a fresh domain per process, so a
// fork costs a copy of the address space and a thread, not a load and a JIT (domains/rv6/README.md, "RISC-V
// processes"). Its [DomainEntry] is `static IRiscvHost Start(RiscvMachine machine)`.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (a bug in the interpreter itself: a RISC-V program's faults are handled
/// inside it and end only that process), every RISC-V process it served gets RpcErrorKind.CalleeCrashed from
/// Main and exits with -1; the kernel revokes its machine (every process's memory back in the pool) and the
/// program loader loads a fresh instance for the next RISC-V process.</remarks>
[DomainInterface]
public interface IRiscvHost
{
    /// <summary>A program object for one rv6 process, served through <paramref name="sys"/>, whose RISC-V
    /// processes come from the session machine the loader offered under <paramref name="session"/>
    /// (RiscvMachine.Claim). Its Main runs `riscv PATH ARG...` or adopts a fork's copy, as the process's argv says.</summary>
    RpcResult<IProgram> Serve(long session, ISyscalls sys);
}
