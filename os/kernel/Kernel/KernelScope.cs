// os/kernel/Kernel: lets host code (a test, a notebook cell, the CLI) act as the kernel on this
// thread, e.g. to allocate the RRefs it passes into a domain. Disposing restores what ran before.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os;

public readonly unsafe struct KernelScope : IDisposable
{
    private readonly DomainCell* _previous;

    internal KernelScope(DomainToken kernel)
    {
        _previous = CurrentDomain.Cell;
        CurrentDomain.Cell = kernel.Cell;
    }

    public void Dispose() => CurrentDomain.Cell = _previous;
}
