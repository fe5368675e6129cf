// os/abi/Runtime: kernel calls other than the heap's, implemented by the microkernel.
namespace RedLeaf.Abi.Runtime;

internal abstract class KernelServices
{
    internal abstract int Spawn(DomainToken caller, string name, IThreadBody body);
}
