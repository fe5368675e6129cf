// os/abi/Rpc: the result of a cross-domain call with no value. Every [DomainInterface] method returns
// RpcResult or RpcResult<T>, so a crash of the callee reaches the caller as a value it must look at.
namespace RedLeaf.Abi;

public readonly struct RpcResult
{
    public RpcError Error { get; }

    public RpcResult(RpcError error) => Error = error;

    public static RpcResult Ok => default;
    public bool IsOk => Error.Kind == RpcErrorKind.None;

    public static implicit operator RpcResult(RpcError error) => new(error);

    /// <summary>A successful result; needed where C# has no implicit conversion (interface-typed values).</summary>
    public static RpcResult<T> From<T>(T value) => new(value);

    public override string ToString() => IsOk ? "Ok" : $"Err({Error})";
}
