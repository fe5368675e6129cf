// domains/test/dom_b: an object of dom_b's that other domains reach only through a proxy.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomB;

internal sealed class Counter : ICounter
{
    private long _value;

    public Counter(long start) => _value = start;

    public RpcResult<long> Next() => ++_value;
}
