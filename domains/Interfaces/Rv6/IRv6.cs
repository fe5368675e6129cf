// domains/Interfaces/Rv6: rv6's core as the host sees it (the `redleaf rv6` command, notebooks): run a
// command line the way init runs the shell, and look at the processes.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (rv6's core), the host gets RpcErrorKind.CalleeCrashed (CalleeKilled
/// after a kill) and later calls NotRunning: nothing restarts the core, so Rv6System throws
/// Rv6BootException naming the last crash ("boot again"). The argv lent to Run stays the host's.</remarks>
[DomainInterface]
public interface IRv6
{
    /// <summary>Starts <paramref name="argv"/> (NUL-terminated arguments) as a process whose file descriptors
    /// 0, 1, 2 are the console, as init starts sh, and waits for it: its exit status, or -1 if there is no such program.</summary>
    RpcResult<int> Run(in RRefArray<byte> argv);

    /// <summary>Processes alive now.</summary>
    RpcResult<int> ProcessCount();

    /// <summary>The file system's counters.</summary>
    RpcResult<FsStats> FsStatistics();
}
