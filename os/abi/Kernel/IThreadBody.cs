// os/abi/Kernel: what a domain hands the kernel to run on a thread of its own. The kernel calls Run
// through a proxy into the domain, so the thread runs as the domain, and if the domain crashes or is
// killed the call returns an RpcError and the thread ends.
namespace RedLeaf.Abi;

/// <remarks>When the callee crashes (the domain the thread runs for), Run returns RpcErrorKind.CalleeCrashed
/// (CalleeKilled after a kill) to the kernel's thread, which then ends; the domain's other threads are
/// released and leave its code at their next check.</remarks>
[DomainInterface]
public interface IThreadBody
{
    /// <summary>The thread's work; the thread ends when it returns.</summary>
    RpcResult Run();
}
