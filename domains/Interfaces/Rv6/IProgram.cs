// domains/Interfaces/Rv6: what every rv6 user program exports. Its [DomainEntry] is
// `static IProgram Start(ISyscalls sys)`: each process is a fresh domain of the program's image,
// granted its own system-call object. Main's result is the exit status (as returning from main).
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

[DomainInterface]
public interface IProgram
{
    /// <summary>Runs the program. <paramref name="argv"/>: each argument followed by a NUL byte (argv[0]: its name).</summary>
    RpcResult<int> Main(in RRefArray<byte> argv);
}
