// domains/rv6/fs: directories and path names (xv6's kernel/fs.c, namecmp to nameiparent). A
// directory is an inode of type T_DIR whose content is a list of DirEntry (16 bytes: inum, name).
// Path names are looked up one element at a time, locking one directory at a time, so a lookup of
// ".." never deadlocks with a lookup going down. Names longer than DIRSIZ are cut to DIRSIZ bytes,
// as xv6's skipelem cuts them. Callers are inside a transaction (iput may free an inode).
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed partial class Fs
{
    /// <summary>Look for a directory entry in a directory; if found, return its inode (referenced,
    /// unlocked) and set poff to the entry's byte offset.</summary>
    public Inode? dirlookup(Inode dp, ReadOnlySpan<byte> name, out uint poff)
    {
        poff = 0;
        if (dp.type != InodeType.T_DIR) throw panic("dirlookup not DIR");
        Span<byte> raw = new byte[DirEntry.Size];
        for (uint off = 0; off < dp.size; off += DirEntry.Size)
        {
            if (readi(dp, Either.Kernel(raw), off, DirEntry.Size) != DirEntry.Size)
                throw panic($"dirlookup read: directory inode {dp.inum} is shorter than its size: the image is corrupt");
            var de = DirEntry.Read(raw, 0);
            if (de.inum == 0) continue;
            if (de.NameIs(name)) // entry matches path element
            {
                poff = off;
                return iget(dp.dev, de.inum);
            }
        }
        return null;
    }

    /// <summary>Write a new directory entry (name, inum) into the directory dp. 0, or -1 if the name is
    /// already there or the directory cannot grow (disk full).</summary>
    public int dirlink(Inode dp, ReadOnlySpan<byte> name, uint inum)
    {
        // Check that name is not present.
        var ip = dirlookup(dp, name, out _);
        if (ip != null)
        {
            iput(ip);
            return -1;
        }

        // Look for an empty dirent.
        Span<byte> raw = new byte[DirEntry.Size];
        uint off;
        for (off = 0; off < dp.size; off += DirEntry.Size)
        {
            if (readi(dp, Either.Kernel(raw), off, DirEntry.Size) != DirEntry.Size) throw panic("dirlink read");
            if (DirEntry.Read(raw, 0).inum == 0) break;
        }
        var de = new DirEntry { inum = (ushort)inum };
        de.SetName(name);
        de.Write(raw, 0);
        if (writei(dp, Either.Kernel(raw), off, DirEntry.Size) != DirEntry.Size) return -1;
        return 0;
    }

    // Copy the next path element from path (starting at pos) into name (DIRSIZ bytes, NUL-padded,
    // cut at DIRSIZ); return the position after it and any following slashes, or -1 if there is none.
    // Examples (pos 0): "a/bb/c" -> 2 with name "a"; "///a//bb" -> 6 with "a"; "a" -> 1; "" and "////" -> -1.
    private static int skipelem(ReadOnlySpan<byte> path, int pos, Span<byte> name)
    {
        while (pos < path.Length && path[pos] == '/') pos++;
        if (pos == path.Length) return -1;
        int s = pos;
        while (pos < path.Length && path[pos] != '/') pos++;
        int len = pos - s;
        name.Clear();
        path.Slice(s, Math.Min(len, Layout.DIRSIZ)).CopyTo(name);
        while (pos < path.Length && path[pos] == '/') pos++;
        return pos;
    }

    // Look up and return the inode for a path name. If parent is set, return the inode for the parent
    // and copy the final path element into name, which must have room for DIRSIZ bytes.
    private Inode? namex(Inode cwd, ReadOnlySpan<byte> path, bool nameiparent, Span<byte> name)
    {
        Inode ip = path.Length > 0 && path[0] == '/' ? iget(Param.ROOTDEV, Layout.ROOTINO) : idup(cwd);
        int pos = 0;
        while ((pos = skipelem(path, pos, name)) >= 0)
        {
            ilock(ip);
            if (ip.type != InodeType.T_DIR)
            {
                iunlockput(ip);
                return null;
            }
            if (nameiparent && pos == path.Length)
            {
                // Stop one level early.
                iunlock(ip);
                return ip;
            }
            var next = dirlookup(ip, name, out _);
            if (next == null)
            {
                iunlockput(ip);
                return null;
            }
            iunlockput(ip);
            ip = next;
        }
        if (nameiparent)
        {
            iput(ip);
            return null;
        }
        return ip;
    }

    public Inode? namei(Inode cwd, ReadOnlySpan<byte> path)
    {
        Span<byte> name = new byte[Layout.DIRSIZ];
        return namex(cwd, path, false, name);
    }

    public Inode? nameiparent(Inode cwd, ReadOnlySpan<byte> path, Span<byte> name) => namex(cwd, path, true, name);
}
