// tools/RedLeaf.Xv6: the geometry of a new image; the defaults are xv6's (param.h FSSIZE and
// LOGSIZE, mkfs.c NINODES), which make images the same size as the original mkfs makes.
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed record MkfsOptions(uint Size = Layout.FSSIZE, uint Inodes = Layout.NINODES, uint Log = Layout.LOGSIZE)
{
    public static readonly MkfsOptions Default = new();

    /// <summary>Inode numbers are 16 bits in a directory entry, so no image can use more inodes.</summary>
    public const uint MaxInodes = 65536;

    /// <summary>Keeps the image an array the host can hold (1 GiB).</summary>
    public const uint MaxSize = 1 << 20;
}
