// domains/Interfaces/Rv6: the console driver (domains/drivers/console, on the machine's UART), as
// rv6's core calls it for the console device file (major 1).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

[DomainInterface]
public interface IConsole
{
    /// <summary>Transmits the first <paramref name="n"/> bytes of <paramref name="data"/>; bytes written.</summary>
    RpcResult<int> Write(in RRefArray<byte> data, int n);

    /// <summary>Reads up to io.Count bytes of typed input, at most one line (as xv6's consoleread);
    /// waits for input. io.Count becomes the count: 0 at end of input (^D, or the host closed it).</summary>
    RpcResult<RRef<IoVec>> Read(RRef<IoVec> io);
}
