// os/abi/Rpc: the ways a cross-domain call can fail. Only the kernel's proxies make these.
namespace RedLeaf.Abi;

public enum RpcErrorKind : byte
{
    None = 0,
    /// <summary>The callee threw, or failed a runtime check, during this call; it was crashed and unloaded.</summary>
    CalleeCrashed = 1,
    /// <summary>The callee was killed (by the kernel or a user) while this call was inside it.</summary>
    CalleeKilled = 2,
    /// <summary>The callee was not running when the call was made (crashed or killed earlier, or stopped).</summary>
    NotRunning = 3,
}
