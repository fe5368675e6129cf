// os/kernel/Kernel: lets host code (a test, a notebook cell, the CLI) act as the kernel on this
// thread, e.g. to allocate the RRefs it passes into a domain. Disposing restores what ran before.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Os;

public readonly struct KernelScope : IDisposable
{
    private readonly DomainToken? _previous;

    internal KernelScope(DomainToken kernel)
    {
        _previous = CurrentDomain.Token;
        CurrentDomain.Token = kernel;
    }

    public void Dispose() => CurrentDomain.Token = _previous;
}
