// domains/test/dom_b: entry point. dom_b is granted nothing and exports IDomB.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomB;

public static class Entry
{
    [DomainEntry]
    public static IDomB Start() => new DomB();
}
