// domains/drivers/timer: the domain's entry: the kernel grants it the timer. The ABI does not yet tell
// a domain the TSC's rate, so the driver assumes a 2 GHz TSC for its microseconds (tests count ticks,
// they do not time them).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Timer;

namespace Domains.Drivers.Timer;

public static class Entry
{
    [DomainEntry]
    public static ITicker Start(DeviceAccess timer) => new TimerDriver(timer, cyclesPerMicrosecond: 2_000);
}
