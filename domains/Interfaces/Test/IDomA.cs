// domains/Interfaces/Test: the calling test domain (dom_a): it drives dom_b and reports what it saw,
// so tests can check behaviour from inside a domain, not only from the host.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

/// <remarks>When the callee crashes (dom_a: UseAfterMove does it on purpose), the caller gets
/// RpcErrorKind.CalleeCrashed (CalleeKilled after a kill), dom_a is unloaded with what it owned, and later
/// calls return NotRunning until it is restarted. A crash of dom_b below it is not dom_a's:
/// SurviveCalleeCrash sees dom_b's CalleeCrashed itself and returns normally.</remarks>
[DomainInterface]
public interface IDomA
{
    /// <summary>Makes n null calls and n Add calls to dom_b; returns the sum of the Adds.</summary>
    RpcResult<long> Run(long n);

    /// <summary>Asks dom_b to crash, then checks it got CalleeCrashed and can still compute; returns 1 if so.</summary>
    RpcResult<long> SurviveCalleeCrash();

    /// <summary>Moves an RRef to dom_b, then reads it again: a use after move, so dom_a itself crashes.</summary>
    RpcResult<long> UseAfterMove();

    /// <summary>Round trip of an RRef through dom_b (Produce then Keep); returns what Keep returned.</summary>
    RpcResult<long> RoundTrip(long a, long b);
}
