// os/kernel/Domains: what the kernel throws at host code when a domain cannot be built, loaded,
// started or restarted. The message names the domain and the reason.
namespace RedLeaf.Os;

public sealed class DomainException : Exception
{
    public DomainException(string message, Exception? inner = null) : base(message, inner) { }
}
