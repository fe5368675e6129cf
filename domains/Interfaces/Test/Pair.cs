// domains/Interfaces/Test: an RRef holding RRefs, to exercise nested ownership (moves and drops walk it).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Test;

public struct Pair
{
    public RRef<Payload> Left;
    public RRef<Payload> Right;
    public long Tag;
}
