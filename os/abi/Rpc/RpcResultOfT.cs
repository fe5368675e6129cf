// os/abi/Rpc: the result of a cross-domain call that returns a value. A domain returns a plain value
// (converted implicitly); the proxy turns a crash of the callee into the error case.
namespace RedLeaf.Abi;

public readonly struct RpcResult<T>
{
    private readonly T _value;
    public RpcError Error { get; }

    public RpcResult(T value)
    {
        _value = value;
        Error = default;
    }

    public RpcResult(RpcError error)
    {
        _value = default!;
        Error = error;
    }

    public bool IsOk => Error.Kind == RpcErrorKind.None;

    /// <summary>The value; throws if the call failed (look at <see cref="IsOk"/> first).</summary>
    public T Value => IsOk ? _value : throw new InvalidOperationException($"the call failed: {Error}");

    public bool TryGetValue(out T value)
    {
        value = _value;
        return IsOk;
    }

    public static implicit operator RpcResult<T>(T value) => new(value);
    public static implicit operator RpcResult<T>(RpcError error) => new(error);

    public override string ToString() => IsOk ? $"Ok({_value})" : $"Err({Error})";
}
