// domains/rv6/fs/disk: struct dinode (kernel/fs.h), 64 bytes, IPB to a block. addrs holds NDIRECT
// direct block numbers and one indirect block of NINDIRECT more; zero means no block.
namespace Domains.Rv6.Fs.Disk;

public struct DiskInode
{
    public const int Size = 64;

    public short type;        // file type (InodeType); 0 = free
    public short major;       // major device number (T_DEVICE only)
    public short minor;       // minor device number (T_DEVICE only)
    public short nlink;       // number of links to inode in file system
    public uint size;         // size of file (bytes)
    public InodeAddrs addrs;  // data block addresses: NDIRECT direct, then the indirect block

    /// <summary>Offset of inode <paramref name="inum"/> inside its block (IBLOCK).</summary>
    public static int Offset(uint inum) => (int)(inum % Layout.IPB) * Size;

    /// <summary>Reads inode <paramref name="inum"/> out of its inode block.</summary>
    public static DiskInode Read(ReadOnlySpan<byte> block, uint inum)
    {
        int o = Offset(inum);
        var d = new DiskInode
        {
            type = (short)LittleEndian.U16(block, o),
            major = (short)LittleEndian.U16(block, o + 2),
            minor = (short)LittleEndian.U16(block, o + 4),
            nlink = (short)LittleEndian.U16(block, o + 6),
            size = LittleEndian.U32(block, o + 8),
        };
        for (int i = 0; i < Layout.NDIRECT + 1; i++)
            d.addrs[i] = LittleEndian.U32(block, o + 12 + 4 * i);
        return d;
    }

    /// <summary>Writes this inode as inode <paramref name="inum"/> into its inode block.</summary>
    public readonly void Write(Span<byte> block, uint inum)
    {
        int o = Offset(inum);
        LittleEndian.Put16(block, o, (ushort)type);
        LittleEndian.Put16(block, o + 2, (ushort)major);
        LittleEndian.Put16(block, o + 4, (ushort)minor);
        LittleEndian.Put16(block, o + 6, (ushort)nlink);
        LittleEndian.Put32(block, o + 8, size);
        for (int i = 0; i < Layout.NDIRECT + 1; i++)
            LittleEndian.Put32(block, o + 12 + 4 * i, addrs[i]);
    }
}
