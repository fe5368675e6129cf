// os/abi/Attributes: marks an interface as a domain interface (the IDL). The IDL compiler checks that
// it carries only exchangeable types and returns RpcResult from every method, and emits its proxy.
namespace RedLeaf.Abi;

[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class DomainInterfaceAttribute : Attribute { }
