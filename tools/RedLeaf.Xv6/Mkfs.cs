// tools/RedLeaf.Xv6: mkfs, the host program that makes an xv6 file-system image (xv6's
// mkfs/mkfs.c, rewritten). Same algorithm, so a flat folder gives an image byte for byte equal to the
// original's for the same files in the same order: inodes handed out from 1 upwards, data blocks from
// the first block after the metadata upwards as files are appended, the root directory's size rounded
// up to whole blocks, and every block handed out marked in the bitmap at the end. Unlike mkfs.c it
// refuses, naming the file, what xv6 could not hold (a file over MAXFILE blocks, a name over DIRSIZ
// bytes, a full image, too few inodes) instead of asserting or cutting the name, does not round the
// root's size up by a block it never allocated when the root fills whole blocks exactly (mkfs.c
// leaves a hole there that xv6 would allocate on read), and also copies subfolders (as xv6's mkdir would).
using System.Text;
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed class Mkfs
{
    private readonly byte[] _img;
    private readonly Superblock _sb;
    private uint _freeinode = 1;
    private uint _freeblock;

    private Mkfs(MkfsOptions o)
    {
        if (o.Size > MkfsOptions.MaxSize) throw new MkfsException($"--size {o.Size}: at most {MkfsOptions.MaxSize} blocks ({MkfsOptions.MaxSize / 1024} MiB)");
        if (o.Inodes > MkfsOptions.MaxInodes) throw new MkfsException($"--inodes {o.Inodes}: at most {MkfsOptions.MaxInodes} (a directory entry holds a 16-bit inode number)");
        _sb = Superblock.Make(o.Size, o.Inodes, o.Log);
        if (_sb.Problem(o.Size) is { } problem) throw new MkfsException($"cannot lay out {o.Size} blocks with {o.Inodes} inodes and a {o.Log}-block log: {problem}");
        _img = new byte[o.Size * Layout.BSIZE];
        _freeblock = _sb.datastart;
    }

    /// <summary>An image holding <paramref name="files"/> in its root directory.</summary>
    public static byte[] Build(IReadOnlyList<MkfsNode> files, MkfsOptions? options = null)
    {
        var m = new Mkfs(options ?? MkfsOptions.Default);
        m._sb.Write(m.Block(Superblock.Block));

        uint rootino = m.Ialloc(InodeType.T_DIR, "/");
        if (rootino != Layout.ROOTINO) throw new InvalidOperationException("the root is not inode 1");
        m.Append(rootino, Entry(".", rootino), "/");
        m.Append(rootino, Entry("..", rootino), "/");
        m.AddAll(rootino, files, "/");

        // Round the root's size up to whole blocks, as mkfs.c does (but never past what it holds).
        var din = m.Rinode(rootino);
        din.size = (din.size + Layout.BSIZE - 1) / Layout.BSIZE * Layout.BSIZE;
        m.Winode(rootino, din);

        m.Balloc(m._freeblock);
        return m._img;
    }

    /// <summary>Writes an image of host folder <paramref name="hostDir"/> (or an empty file system) to <paramref name="image"/>.</summary>
    public static byte[] WriteImage(string image, string? hostDir, MkfsOptions? options = null)
    {
        var files = hostDir is null ? Array.Empty<MkfsNode>() : MkfsNode.FromFolder(hostDir);
        var bytes = Build(files, options);
        try { File.WriteAllBytes(image, bytes); }
        catch (UnauthorizedAccessException e) { throw new IOException($"{image}: cannot write the image ({e.Message})", e); }
        return bytes;
    }

    private void AddAll(uint dir, IReadOnlyList<MkfsNode> nodes, string dirPath)
    {
        foreach (var node in nodes)
        {
            string path = dirPath + PrintableName.Escape(node.Name); // for messages only: a host name may hold escapes
            var name = Encoding.UTF8.GetBytes(node.Name);
            if (name.Length == 0 || node.Name is "." or ".." || node.Name.Contains('/') || node.Name.Contains('\0'))
                throw new MkfsException($"{path}: not a name xv6 can hold in a directory");
            if (name.Length > Layout.DIRSIZ)
                throw new MkfsException($"{path}: the name is {name.Length} bytes; xv6 names hold at most DIRSIZ = {Layout.DIRSIZ}");
            if (node.IsDirectory)
            {
                uint inum = Ialloc(InodeType.T_DIR, path);
                Append(dir, Entry(name, inum), dirPath);
                Append(inum, Entry(".", inum), path);
                Append(inum, Entry("..", dir), path);
                var parent = Rinode(dir);
                parent.nlink++; // for "..", as xv6's create() counts it
                Winode(dir, parent);
                AddAll(inum, node.Children!, path + "/");
            }
            else
            {
                var data = node.Data!;
                if (data.Length > Layout.MAXFILE * Layout.BSIZE)
                    throw new MkfsException($"{path}: {data.Length} bytes is larger than the largest xv6 file (MAXFILE = {Layout.MAXFILE} blocks = {Layout.MAXFILE * Layout.BSIZE} bytes)");
                uint inum = Ialloc(InodeType.T_FILE, path);
                Append(dir, Entry(name, inum), dirPath);
                Append(inum, data, path);
            }
        }
    }

    private static byte[] Entry(string name, uint inum) => Entry(Encoding.UTF8.GetBytes(name), inum);

    private static byte[] Entry(byte[] name, uint inum)
    {
        var de = new DirEntry { inum = (ushort)inum };
        de.SetName(name);
        var bytes = new byte[DirEntry.Size];
        de.Write(bytes, 0);
        return bytes;
    }

    private Span<byte> Block(uint b) => _img.AsSpan((int)(b * Layout.BSIZE), Layout.BSIZE);

    private DiskInode Rinode(uint inum) => DiskInode.Read(Block(Layout.IBLOCK(inum, _sb)), inum);

    private void Winode(uint inum, DiskInode din) => din.Write(Block(Layout.IBLOCK(inum, _sb)), inum);

    private uint Ialloc(short type, string path)
    {
        if (_freeinode >= _sb.ninodes)
            throw new MkfsException($"{path}: out of inodes (the image has {_sb.ninodes}, inode 0 unused); give more with --inodes");
        uint inum = _freeinode++;
        Winode(inum, new DiskInode { type = type, nlink = 1, size = 0 });
        return inum;
    }

    private uint NextBlock(string path)
    {
        if (_freeblock >= _sb.size)
            throw new MkfsException($"{path}: the image is full ({_sb.nblocks} data blocks of a {_sb.size}-block image are used); give a larger --size");
        return _freeblock++;
    }

    /// <summary>Appends <paramref name="p"/> to inode <paramref name="inum"/> (mkfs.c's iappend).</summary>
    private void Append(uint inum, ReadOnlySpan<byte> p, string path)
    {
        var din = Rinode(inum);
        uint off = din.size;
        while (p.Length > 0)
        {
            uint fbn = off / Layout.BSIZE;
            if (fbn >= Layout.MAXFILE)
                throw new MkfsException($"{path}: larger than the largest xv6 file (MAXFILE = {Layout.MAXFILE} blocks)");
            uint x;
            if (fbn < Layout.NDIRECT)
            {
                if (din.addrs[(int)fbn] == 0) din.addrs[(int)fbn] = NextBlock(path);
                x = din.addrs[(int)fbn];
            }
            else
            {
                if (din.addrs[Layout.NDIRECT] == 0) din.addrs[Layout.NDIRECT] = NextBlock(path);
                var indirect = Block(din.addrs[Layout.NDIRECT]);
                int slot = 4 * (int)(fbn - Layout.NDIRECT);
                if (LittleEndian.U32(indirect, slot) == 0) LittleEndian.Put32(indirect, slot, NextBlock(path));
                x = LittleEndian.U32(indirect, slot);
            }
            int n1 = (int)Math.Min((uint)p.Length, (fbn + 1) * Layout.BSIZE - off);
            p[..n1].CopyTo(Block(x)[(int)(off - fbn * Layout.BSIZE)..]);
            p = p[n1..];
            off += (uint)n1;
        }
        din.size = off;
        Winode(inum, din);
    }

    /// <summary>Marks blocks 0 to <paramref name="used"/>-1 in use: the metadata and every block handed out.</summary>
    private void Balloc(uint used)
    {
        for (uint b = 0; b < used; b++) Bitmap.Mark(Block(Layout.BBLOCK(b, _sb)), b, true);
    }
}
