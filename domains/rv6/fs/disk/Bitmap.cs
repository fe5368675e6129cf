// domains/rv6/fs/disk: the free bit map. Bit b of the map (bit b%8 of byte b/8 in bitmap block
// BBLOCK(b)) is 1 if block b is in use; mkfs marks every metadata block in use, as xv6's balloc does.
namespace Domains.Rv6.Fs.Disk;

public static class Bitmap
{
    /// <summary>Is block <paramref name="b"/> marked in use in its bitmap block <paramref name="bmap"/>?</summary>
    public static bool InUse(ReadOnlySpan<byte> bmap, uint b)
    {
        uint bi = b % Layout.BPB;
        return (bmap[(int)(bi / 8)] & (1 << (int)(bi % 8))) != 0;
    }

    /// <summary>Marks block <paramref name="b"/> in use (or free) in its bitmap block <paramref name="bmap"/>.</summary>
    public static void Mark(Span<byte> bmap, uint b, bool inUse)
    {
        uint bi = b % Layout.BPB;
        int m = 1 << (int)(bi % 8);
        if (inUse) bmap[(int)(bi / 8)] |= (byte)m;
        else bmap[(int)(bi / 8)] &= (byte)~m;
    }
}
