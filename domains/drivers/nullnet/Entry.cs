// domains/drivers/nullnet: the domain's entry: no device to ask for.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Drivers.NullNet;

public static class Entry
{
    [DomainEntry]
    public static INet Start() => new NullNetDriver();
}
