// os/abi/Riscv: why RiscvProcess.Run returned (the machine's reasons, as domains see them; the ABI
// knows nothing of machine/). Ecall and Budget are normal; the others are faults, after which rv6
// kills the process as xv6's usertrap does.
namespace RedLeaf.Abi;

public enum RiscvExit
{
    Ecall,
    Budget,
    Breakpoint,
    IllegalInstruction,
    FetchFault,
    LoadFault,
    StoreFault,
}
