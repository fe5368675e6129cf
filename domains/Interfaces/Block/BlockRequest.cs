// domains/Interfaces/Block: one block request in a batch: where, how many blocks, the data buffer
// (moves with the request; for a write it holds the data, for a read it receives it), and, filled in
// by the driver, the outcome.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Block;

public struct BlockRequest
{
    public long Block;
    public int Blocks;
    /// <summary>0 on success, else the device's status code (set by the driver).</summary>
    public int Status;
    /// <summary>The caller's tag, returned unchanged (to match completions to requests).</summary>
    public long Tag;
    public RRefArray<byte> Data;
}
