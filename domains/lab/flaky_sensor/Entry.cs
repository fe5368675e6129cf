// domains/lab/flaky_sensor: entry point. Granted nothing; exports ISensor.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Lab;

namespace Domains.Lab.FlakySensor;

public static class Entry
{
    [DomainEntry]
    public static ISensor Start() => new FlakySensor();
}
