// os/abi/Runtime: which domain the running thread is executing in. Proxies switch it on every
// cross-domain call; RRef checks read it. A thread static of a reference type is an inlined TLS load.
namespace RedLeaf.Abi.Runtime;

internal static class CurrentDomain
{
    [ThreadStatic] internal static DomainToken? Token;

    internal static DomainToken Require() => Token ?? ThrowNoDomain();

    private static DomainToken ThrowNoDomain() =>
        throw new InvalidOperationException(
            "No domain is running on this thread. Host code must enter a kernel first (using var _ = kernel.Enter();).");
}
