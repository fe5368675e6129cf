// machine/Riscv: why the interpreter stopped running a program (RiscvHart.Run's result). Ecall and
// Budget are normal stops (a system call; the preemption slice is used up); the rest are faults after
// which xv6 kills the process (usertrap: "unexpected scause").
namespace RedLeaf.Hardware.Riscv;

public enum RiscvStop
{
    /// <summary>The program executed ecall; pc is already past it (xv6: epc += 4).</summary>
    Ecall,
    /// <summary>The instruction budget given to Run was used up (a timer interrupt, in xv6's terms).</summary>
    Budget,
    /// <summary>ebreak.</summary>
    Breakpoint,
    /// <summary>An instruction the machine does not implement.</summary>
    IllegalInstruction,
    /// <summary>pc outside the executable pages.</summary>
    FetchFault,
    /// <summary>A load from the guard page or beyond the process's size.</summary>
    LoadFault,
    /// <summary>A store to text, the guard page, or beyond the process's size.</summary>
    StoreFault,
}
