// os/abi/Ownership: thrown into a domain that has been killed or has crashed when its code tries to
// cross a domain boundary (or, with the compiler's instrumentation, at its next check). It unwinds the
// dead domain's frames back to the proxy that called into it, which reports the kill to its caller.
namespace RedLeaf.Abi;

public sealed class DomainStoppedException : Exception
{
    public DomainStoppedException(string message) : base(message) { }
}
