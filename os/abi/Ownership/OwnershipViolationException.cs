// os/abi/Ownership: what a failed RRef check throws. The domain is already marked faulted when this
// is thrown, so catching it does not save the domain: its proxy crashes it when control returns.
namespace RedLeaf.Abi;

public sealed class OwnershipViolationException : Exception
{
    public OwnershipViolationException(string message) : base(message) { }
}
