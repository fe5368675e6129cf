// os/abi/Rpc: why a cross-domain call failed, as a value (no allocation on the failure path either).
// Domains can pass an error on but cannot make one: the constructor belongs to the kernel.
namespace RedLeaf.Abi;

public readonly struct RpcError : IEquatable<RpcError>
{
    public RpcErrorKind Kind { get; }
    /// <summary>Id of the domain instance the call was aimed at.</summary>
    public int DomainId { get; }

    internal RpcError(RpcErrorKind kind, int domainId)
    {
        Kind = kind;
        DomainId = domainId;
    }

    public bool IsError => Kind != RpcErrorKind.None;

    public bool Equals(RpcError other) => Kind == other.Kind && DomainId == other.DomainId;
    public override bool Equals(object? obj) => obj is RpcError e && Equals(e);
    public override int GetHashCode() => HashCode.Combine(Kind, DomainId);
    public override string ToString() => Kind == RpcErrorKind.None ? "ok" : $"{Kind} (domain {DomainId})";
}
