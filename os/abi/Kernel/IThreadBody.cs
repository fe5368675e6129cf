// os/abi/Kernel: what a domain hands the kernel to run on a thread of its own. The kernel calls Run
// through a proxy into the domain, so the thread runs as the domain, and if the domain crashes or is
// killed the call returns an RpcError and the thread ends.
namespace RedLeaf.Abi;

[DomainInterface]
public interface IThreadBody
{
    /// <summary>The thread's work; the thread ends when it returns.</summary>
    RpcResult Run();
}
