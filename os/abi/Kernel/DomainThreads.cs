// os/abi/Kernel: the kernel-call a domain uses to get threads (domains may not create threads
// themselves). Threads belong to the domain that spawned them and are released when it dies.
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public static unsafe class DomainThreads
{
    /// <summary>Starts a kernel thread that runs <paramref name="body"/> as the calling domain; returns its id.</summary>
    public static int Spawn(string name, IThreadBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var token = DomainToken.Of(CurrentDomain.Require()) ?? throw new ObjectDisposedException("microkernel");
        var services = token.Services ?? throw new InvalidOperationException("this kernel offers no threads");
        return services.Spawn(token, name ?? "thread", body);
    }
}
