// os/abi/Riscv: thrown by a RiscvMachine (and the processes made through it) once the kernel has revoked it:
// the rv6 process it served was killed or exited, and its memory is back in the pool. The interpreter domain
// hosts many processes, so this ends one process's Main (the interpreter catches it and returns -1), not the
// domain: it is an ordinary exception, unlike a stop.
namespace RedLeaf.Abi;

public sealed class RiscvRevokedException : Exception
{
    public RiscvRevokedException(string message) : base(message) { }
}
