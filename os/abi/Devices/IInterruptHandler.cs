// os/abi/Devices: what a driver domain hands its InterruptLine to be told of interrupts. The kernel
// calls it through a proxy, so the handler runs as the driver; if the driver crashes in it, the
// line is disconnected with the rest of the driver's capabilities.
namespace RedLeaf.Abi;

/// <remarks>When the callee crashes (the driver, inside Interrupt), the kernel's interrupt delivery gets
/// RpcErrorKind.CalleeCrashed and disconnects the line; the driver is cleaned up like any crashed
/// domain (devices reset, buffers in its rings reclaimed), and a restarted driver registers a handler
/// on a fresh line.</remarks>
[DomainInterface]
public interface IInterruptHandler
{
    /// <summary>The vector fired (possibly more than once since the last call: raises coalesce).</summary>
    RpcResult Interrupt(int vector);
}
