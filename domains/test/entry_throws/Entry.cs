// domains/test/entry_throws: an entry point that allocates, then throws (LoaderTests): loading fails, the domain is crashed, its RRef freed.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Workloads;

namespace Domains.Test.EntryThrows;

public static class Entry
{
    [DomainEntry]
    public static IBench Start()
    {
        var scratch = RRefArray<long>.New(64);
        scratch[0] = 1;
        throw new InvalidOperationException("entry_throws refuses to start");
    }
}
