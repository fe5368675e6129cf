// domains/Interfaces/Rv6: what every rv6 user program exports. Its [DomainEntry] is
// `static IProgram Start(ISyscalls sys)`: each process is a fresh domain of the program's image,
// granted its own system-call object. Main's result is the exit status (as returning from main).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (a user program's domain), the process's thread in rv6's core gets
/// RpcErrorKind.CalleeCrashed (CalleeKilled after kill) from Main, and the process exits with status -1,
/// as xv6 kills a faulting process: its parent's wait sees -1, the core unloads the domain through the
/// program loader and everything it held on the shared heap is reclaimed. The argv lent to Main stays the
/// core's. Programs are not restarted.</remarks>
[DomainInterface]
public interface IProgram
{
    /// <summary>Runs the program. <paramref name="argv"/>: each argument followed by a NUL byte (argv[0]: its name).</summary>
    RpcResult<int> Main(in RRefArray<byte> argv);
}
