// domains/test/dom_a: entry point. dom_a is granted dom_b (through a proxy) and exports IDomA.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomA;

public static class Entry
{
    [DomainEntry]
    public static IDomA Start(IDomB domB) => new DomA(domB);
}
