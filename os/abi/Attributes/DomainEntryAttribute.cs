// os/abi/Attributes: marks a domain's entry point: a public static method whose parameters are the
// domain interfaces it is granted and whose result (void or a domain interface) is what it exports.
namespace RedLeaf.Abi;

[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class DomainEntryAttribute : Attribute { }
