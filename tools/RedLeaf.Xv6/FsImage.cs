// tools/RedLeaf.Xv6: an xv6 file-system image in host memory, read the way xv6 reads it: the
// superblock checked first (Superblock.Problem), a committed log installed as recovery at mount would
// (in memory only; the file is never written), then inodes, block maps, directories and paths. Every
// block number read from the image is checked before it is used; a bad one is an FsImageException
// naming the image, the inode and the address, never an IndexOutOfRangeException.
using System.Text;
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed class FsImage
{
    private readonly byte[] _bytes;

    private FsImage(string name, byte[] bytes, Superblock sb, int recovered)
    {
        Name = name;
        _bytes = bytes;
        Sb = sb;
        RecoveredLogBlocks = recovered;
    }

    /// <summary>The image's name in messages (its path).</summary>
    public string Name { get; }

    public Superblock Sb { get; }

    /// <summary>Blocks a committed transaction in the log held, installed in memory on opening (0: the log was empty).</summary>
    public int RecoveredLogBlocks { get; }

    /// <summary>Reads an image file. Errors (missing, foreign, truncated, damaged) name the file.</summary>
    public static FsImage Open(string path) => Load(ReadImageFile(path), path);

    /// <summary>Checks and opens image bytes (copied: recovery never changes the caller's array).</summary>
    public static FsImage Load(byte[] bytes, string name)
    {
        var copy = (byte[])bytes.Clone();
        var sb = ReadSuperblock(copy, name);
        var lh = LogHeader.Read(Block(copy, sb.logstart));
        if (lh.Problem(sb) is { } bad) throw new FsImageException(name, bad);
        InstallLog(copy, sb, lh);
        return new FsImage(name, copy, sb, lh.n);
    }

    /// <summary>The whole file, refusing what cannot be an image (a folder, more than 2 GiB) with a message.</summary>
    internal static byte[] ReadImageFile(string path)
    {
        if (Directory.Exists(path)) throw new FsImageException(path, "is a folder, not an image file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such image file");
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength) throw new FsImageException(path, $"{length} bytes is larger than any xv6 image this tool reads");
        try { return File.ReadAllBytes(path); }
        catch (UnauthorizedAccessException e) { throw new IOException($"{path}: cannot read the image ({e.Message})", e); }
    }

    /// <summary>The superblock of <paramref name="bytes"/>, or an FsImageException saying why there is no usable one.</summary>
    internal static Superblock ReadSuperblock(byte[] bytes, string name)
    {
        if (bytes.Length < 2 * Layout.BSIZE)
            throw new FsImageException(name, $"{bytes.Length} bytes is too short to hold a superblock (block {Superblock.Block} ends at byte {2 * Layout.BSIZE}): truncated or not an xv6 image");
        var sb = Superblock.Read(Block(bytes, Superblock.Block));
        if (sb.Problem((ulong)bytes.Length / Layout.BSIZE) is { } problem) throw new FsImageException(name, problem);
        return sb;
    }

    /// <summary>Copies each logged block home, as xv6's recover_from_log does, and clears the header.</summary>
    internal static void InstallLog(byte[] bytes, Superblock sb, LogHeader lh)
    {
        for (int tail = 0; tail < lh.n; tail++)
            Block(bytes, sb.logstart + 1 + (uint)tail).CopyTo(Block(bytes, (uint)lh.block[tail]));
        Block(bytes, sb.logstart)[..4].Clear();
    }

    internal static Span<byte> Block(byte[] bytes, uint b) => bytes.AsSpan(checked((int)(b * (long)Layout.BSIZE)), Layout.BSIZE);

    /// <summary>Block <paramref name="b"/> of the file system (a view of the in-memory image).</summary>
    public ReadOnlySpan<byte> Block(uint b)
    {
        if (b >= Sb.size) throw new FsImageException(Name, $"block {b} is outside the file system ({Sb.size} blocks)");
        return Block(_bytes, b);
    }

    /// <summary>Inode <paramref name="inum"/> as stored.</summary>
    public DiskInode Inode(uint inum)
    {
        if (inum >= Sb.ninodes) throw new FsImageException(Name, $"inode {inum} is beyond the file system's {Sb.ninodes} inodes");
        return DiskInode.Read(Block(Layout.IBLOCK(inum, Sb)), inum);
    }

    /// <summary>Block number of block <paramref name="bn"/> of inode <paramref name="inum"/>'s data (xv6's
    /// bmap without allocating), 0 for a hole.</summary>
    public uint Bmap(uint inum, DiskInode ip, uint bn)
    {
        uint addr;
        if (bn < Layout.NDIRECT) addr = ip.addrs[(int)bn];
        else if (bn < Layout.MAXFILE)
        {
            uint ind = ip.addrs[Layout.NDIRECT];
            if (ind == 0) return 0;
            CheckData(inum, ind, "its indirect block");
            addr = LittleEndian.U32(Block(ind), 4 * (int)(bn - Layout.NDIRECT));
        }
        else throw new FsImageException(Name, $"inode {inum}: block {bn} is past the largest file (MAXFILE {Layout.MAXFILE} blocks)");
        if (addr != 0) CheckData(inum, addr, $"its block {bn}");
        return addr;
    }

    private void CheckData(uint inum, uint addr, string what)
    {
        if (addr < Sb.datastart || addr >= Sb.size)
            throw new FsImageException(Name, $"inode {inum}: {what} is at block {addr}, outside the data blocks [{Sb.datastart}, {Sb.size})");
    }

    /// <summary>The contents of inode <paramref name="inum"/> (a hole reads as zeros, as in xv6).</summary>
    public byte[] ReadFile(uint inum)
    {
        var ip = Inode(inum);
        if (ip.type == 0) throw new FsImageException(Name, $"inode {inum} is free");
        if (ip.size > (long)Layout.MAXFILE * Layout.BSIZE)
            throw new FsImageException(Name, $"inode {inum}: size {ip.size} is larger than the largest xv6 file ({Layout.MAXFILE * Layout.BSIZE} bytes)");
        var data = new byte[ip.size];
        for (uint off = 0; off < ip.size; off += Layout.BSIZE)
        {
            uint addr = Bmap(inum, ip, off / Layout.BSIZE);
            int n = (int)Math.Min(Layout.BSIZE, ip.size - off);
            if (addr != 0) Block(addr)[..n].CopyTo(data.AsSpan((int)off));
        }
        return data;
    }

    /// <summary>The used entries of directory <paramref name="inum"/>, in order.</summary>
    public IReadOnlyList<DirEntry> ReadDir(uint inum)
    {
        if (Inode(inum).type != InodeType.T_DIR) throw new FsImageException(Name, $"inode {inum} is not a directory");
        var data = ReadFile(inum);
        var list = new List<DirEntry>();
        for (int off = 0; off + DirEntry.Size <= data.Length; off += DirEntry.Size)
        {
            var de = DirEntry.Read(data, off);
            if (de.inum != 0) list.Add(de);
        }
        return list;
    }

    /// <summary>The inode a path names (xv6's namei from the root; "/" and "" are the root), or null.</summary>
    public uint? Lookup(string path)
    {
        uint ip = Layout.ROOTINO;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Inode(ip).type != InodeType.T_DIR) return null;
            var name = Encoding.UTF8.GetBytes(part);
            uint? next = null;
            foreach (var de in ReadDir(ip))
                if (de.NameIs(name)) { next = de.inum; break; }
            if (next is null) return null;
            ip = next.Value;
        }
        return ip;
    }

    /// <summary>What xv6's ls prints for <paramref name="path"/>: every entry of a directory, or the one
    /// line of a file. A missing path is an FsImageException naming it.</summary>
    public IReadOnlyList<LsEntry> List(string path)
    {
        uint inum = Lookup(path) ?? throw new FsImageException(Name, $"{path}: no such file or directory");
        var ip = Inode(inum);
        if (ip.type != InodeType.T_DIR) return new[] { new LsEntry(path, ip.type, inum, ip.size) };
        return ReadDir(inum).Select(de =>
        {
            var child = Inode(de.inum);
            return new LsEntry(DisplayName(de), child.type, de.inum, child.size);
        }).ToList();
    }

    /// <summary>A directory entry's name as text: UTF-8 if it is valid UTF-8 (what the host wrote), else byte by byte.</summary>
    public static string DisplayName(DirEntry de)
    {
        var raw = new byte[de.NameLength];
        for (int i = 0; i < raw.Length; i++) raw[i] = de.name[i];
        try { return new UTF8Encoding(false, true).GetString(raw); }
        catch (DecoderFallbackException) { return de.NameString(); }
    }
}
