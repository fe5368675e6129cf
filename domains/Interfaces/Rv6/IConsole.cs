// domains/Interfaces/Rv6: the console driver (domains/drivers/console, on the machine's UART), as
// rv6's core calls it for the console device file (major 1).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (the console driver), rv6's core gets RpcErrorKind.CalleeCrashed
/// (CalleeKilled after a kill) and the driver's UART registers and interrupt line are revoked with it:
/// the data lent to Write stays the core's and the process's write returns -1; the IoVec moved into Read
/// is gone and the core gives the process a fresh one with Count -1. Nothing restarts the console (the
/// core holds no restart capability for it), so later console I/O returns NotRunning, -1 to processes.</remarks>
[DomainInterface]
public interface IConsole
{
    /// <summary>Transmits the first <paramref name="n"/> bytes of <paramref name="data"/>; bytes written.</summary>
    RpcResult<int> Write(in RRefArray<byte> data, int n);

    /// <summary>Reads up to io.Count bytes of typed input, at most one line (as xv6's consoleread);
    /// waits for input. io.Count becomes the count: 0 at end of input (^D, or the host closed it).</summary>
    RpcResult<RRef<IoVec>> Read(RRef<IoVec> io);
}
