// os/abi/Runtime: life states of a domain instance as the hot path sees them (0 is the only good one).
namespace RedLeaf.Abi.Runtime;

internal static class DomainState
{
    internal const int Running = 0;
    /// <summary>A runtime check failed inside the domain; the proxy crashes it when control returns.</summary>
    internal const int Faulted = 1;
    internal const int Crashed = 2;
    internal const int Killed = 3;
    internal const int Stopped = 4;
}
