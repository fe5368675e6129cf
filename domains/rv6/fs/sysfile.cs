// domains/rv6/fs: the file-system system calls below the file-descriptor layer (xv6's
// kernel/sysfile.c: sys_link, sys_unlink, create, sys_open, sys_mkdir, sys_mknod, sys_chdir). Argument
// fetching and file descriptors stay in rv6's core; here a call gets a directory handle to resolve
// relative paths from and a path copied out of the caller's lent array. Each call is one transaction.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

public sealed partial class FileSystem
{
    // argstr: the path copied out of the caller's lent array, cut at its first NUL as a C string
    // would be; null if it is longer than MAXPATH-1 bytes.
    private static byte[]? argstr(in RRefArray<byte> path)
    {
        int len = path.Length;
        if (len >= Param.MAXPATH) return null;
        var buf = new byte[len];
        path.CopyTo(buf);
        int nul = Array.IndexOf(buf, (byte)0);
        return nul >= 0 ? buf[..nul] : buf;
    }

    private static readonly byte[] dot = { (byte)'.' };
    private static readonly byte[] dotdot = { (byte)'.', (byte)'.' };

    // Create the path new as a link to the same inode as old.
    private int sys_link(Inode cwd, ReadOnlySpan<byte> old, ReadOnlySpan<byte> @new)
    {
        Span<byte> name = new byte[Layout.DIRSIZ];
        fs.log.begin_op();
        var ip = fs.namei(cwd, old);
        if (ip == null)
        {
            fs.log.end_op();
            return -1;
        }

        fs.ilock(ip);
        if (ip.type == InodeType.T_DIR)
        {
            fs.iunlockput(ip);
            fs.log.end_op();
            return -1;
        }

        ip.nlink++;
        fs.iupdate(ip);
        fs.iunlock(ip);

        var dp = fs.nameiparent(cwd, @new, name);
        if (dp != null)
        {
            fs.ilock(dp);
            if (dp.dev == ip.dev && fs.dirlink(dp, name, ip.inum) == 0)
            {
                fs.iunlockput(dp);
                fs.iput(ip);
                fs.log.end_op();
                return 0;
            }
            fs.iunlockput(dp);
        }

        // bad:
        fs.ilock(ip);
        ip.nlink--;
        fs.iupdate(ip);
        fs.iunlockput(ip);
        fs.log.end_op();
        return -1;
    }

    // Is the directory dp empty except for "." and ".." ?
    private bool isdirempty(Inode dp)
    {
        Span<byte> raw = new byte[DirEntry.Size];
        for (uint off = 2 * DirEntry.Size; off < dp.size; off += DirEntry.Size)
        {
            if (fs.readi(dp, Either.Kernel(raw), off, DirEntry.Size) != DirEntry.Size) throw Fs.panic("isdirempty: readi");
            if (DirEntry.Read(raw, 0).inum != 0) return false;
        }
        return true;
    }

    private int sys_unlink(Inode cwd, ReadOnlySpan<byte> path)
    {
        Span<byte> name = new byte[Layout.DIRSIZ];
        fs.log.begin_op();
        var dp = fs.nameiparent(cwd, path, name);
        if (dp == null)
        {
            fs.log.end_op();
            return -1;
        }

        fs.ilock(dp);

        // Cannot unlink "." or "..".
        var de = new DirEntry();
        de.SetName(name);
        if (de.NameIs(dot) || de.NameIs(dotdot)) return bad(dp);

        var ip = fs.dirlookup(dp, name, out uint off);
        if (ip == null) return bad(dp);
        fs.ilock(ip);

        if (ip.nlink < 1) throw Fs.panic($"unlink: nlink < 1 (inode {ip.inum}): the image is corrupt");
        if (ip.type == InodeType.T_DIR && !isdirempty(ip))
        {
            fs.iunlockput(ip);
            return bad(dp);
        }

        Span<byte> zero = new byte[DirEntry.Size];
        zero.Clear();
        if (fs.writei(dp, Either.Kernel(zero), off, DirEntry.Size) != DirEntry.Size) throw Fs.panic("unlink: writei");
        if (ip.type == InodeType.T_DIR)
        {
            dp.nlink--; // the child's ".." no longer names dp
            fs.iupdate(dp);
        }
        fs.iunlockput(dp);

        ip.nlink--;
        fs.iupdate(ip);
        fs.iunlockput(ip);

        fs.log.end_op();
        return 0;

        int bad(Inode dp)
        {
            fs.iunlockput(dp);
            fs.log.end_op();
            return -1;
        }
    }

    // Make a new inode of the given type at path, in a transaction already begun: returned locked and
    // referenced, or null. Opening an existing file for O_CREATE returns it.
    private Inode? create(Inode cwd, ReadOnlySpan<byte> path, short type, short major, short minor)
    {
        Span<byte> name = new byte[Layout.DIRSIZ];
        var dp = fs.nameiparent(cwd, path, name);
        if (dp == null) return null;

        fs.ilock(dp);

        var ip = fs.dirlookup(dp, name, out _);
        if (ip != null)
        {
            fs.iunlockput(dp);
            fs.ilock(ip);
            if (type == InodeType.T_FILE && (ip.type == InodeType.T_FILE || ip.type == InodeType.T_DEVICE))
                return ip;
            fs.iunlockput(ip);
            return null;
        }

        ip = fs.ialloc(type);
        if (ip == null)
        {
            fs.iunlockput(dp);
            return null;
        }

        fs.ilock(ip);
        ip.major = major;
        ip.minor = minor;
        ip.nlink = 1;
        fs.iupdate(ip);

        bool ok = true;
        if (type == InodeType.T_DIR) // Create . and .. entries.
        {
            // No ip.nlink++ for ".": avoid cyclic ref count.
            ok = fs.dirlink(ip, dot, ip.inum) == 0 && fs.dirlink(ip, dotdot, dp.inum) == 0;
        }
        ok = ok && fs.dirlink(dp, name, ip.inum) == 0;
        if (!ok)
        {
            // fail: something went wrong. de-allocate ip.
            ip.nlink = 0;
            fs.iupdate(ip);
            fs.iunlockput(ip);
            fs.iunlockput(dp);
            return null;
        }

        if (type == InodeType.T_DIR)
        {
            // now that success is guaranteed:
            dp.nlink++; // for ".."
            fs.iupdate(dp);
        }

        fs.iunlockput(dp);
        return ip;
    }

    // sys_open without the file table: a referenced, unlocked inode, or null.
    private Inode? sys_open(Inode cwd, ReadOnlySpan<byte> path, int omode)
    {
        Inode? ip;
        fs.log.begin_op();

        if ((omode & OpenMode.Create) != 0)
        {
            ip = create(cwd, path, InodeType.T_FILE, 0, 0);
            if (ip == null)
            {
                fs.log.end_op();
                return null;
            }
        }
        else
        {
            ip = fs.namei(cwd, path);
            if (ip == null)
            {
                fs.log.end_op();
                return null;
            }
            fs.ilock(ip);
            if (ip.type == InodeType.T_DIR && omode != OpenMode.ReadOnly)
            {
                fs.iunlockput(ip);
                fs.log.end_op();
                return null;
            }
        }

        if (ip.type == InodeType.T_DEVICE && (ip.major < 0 || ip.major >= Param.NDEV))
        {
            fs.iunlockput(ip);
            fs.log.end_op();
            return null;
        }

        if ((omode & OpenMode.Truncate) != 0 && ip.type == InodeType.T_FILE)
            fs.itrunc(ip);

        fs.iunlock(ip);
        fs.log.end_op();
        return ip;
    }

    private int sys_mkdir(Inode cwd, ReadOnlySpan<byte> path)
    {
        fs.log.begin_op();
        var ip = create(cwd, path, InodeType.T_DIR, 0, 0);
        if (ip != null) fs.iunlockput(ip);
        fs.log.end_op();
        return ip == null ? -1 : 0;
    }

    private int sys_mknod(Inode cwd, ReadOnlySpan<byte> path, short major, short minor)
    {
        fs.log.begin_op();
        var ip = create(cwd, path, InodeType.T_DEVICE, major, minor);
        if (ip != null) fs.iunlockput(ip);
        fs.log.end_op();
        return ip == null ? -1 : 0;
    }

    // sys_chdir without the process: the directory, referenced and unlocked, or null.
    private Inode? sys_chdir(Inode cwd, ReadOnlySpan<byte> path)
    {
        fs.log.begin_op();
        var ip = fs.namei(cwd, path);
        if (ip == null)
        {
            fs.log.end_op();
            return null;
        }
        fs.ilock(ip);
        if (ip.type != InodeType.T_DIR)
        {
            fs.iunlockput(ip);
            fs.log.end_op();
            return null;
        }
        fs.iunlock(ip);
        fs.log.end_op();
        return ip;
    }
}
