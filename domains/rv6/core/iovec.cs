// domains/rv6/core: small helpers for the IoVec a read moves through the core.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Core;

internal static class IoVecs
{
    /// <summary>How many bytes the caller asked for (at most the buffer's length).</summary>
    public static int Length(RRef<IoVec> io)
    {
        var v = io.Value;
        return Math.Min(v.Count, v.Data.Length);
    }

    /// <summary>The read failed: Count -1, the buffer goes back unchanged.</summary>
    public static RRef<IoVec> Fail(RRef<IoVec> io)
    {
        var v = io.Value;
        v.Count = -1;
        io.Value = v;
        return io;
    }

    /// <summary>The buffer moved into a domain that crashed died with it: a fresh one of the same size, Count -1.</summary>
    public static RRef<IoVec> Lost(int length) =>
        RRef<IoVec>.New(new IoVec { Count = -1, Data = RRefArray<byte>.New(Math.Max(length, 0)) });
}
