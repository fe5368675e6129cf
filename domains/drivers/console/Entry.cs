// domains/drivers/console: the domain's entry: the kernel grants it the machine's UART.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Drivers.Console;

public static class Entry
{
    [DomainEntry]
    public static IConsole Start(DeviceAccess uart) => new ConsoleDriver(uart);
}
