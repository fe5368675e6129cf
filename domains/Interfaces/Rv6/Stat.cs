// domains/Interfaces/Rv6: xv6's struct stat (kernel/stat.h), plus the device numbers of a device file.
// Type 0 means "no such file" where a call returns a Stat instead of -1 (Fstat of a bad descriptor).
namespace RedLeaf.Interfaces.Rv6;

public struct Stat
{
    /// <summary>File system's disk device (always 1 in rv6, as in xv6).</summary>
    public int Dev;
    /// <summary>Inode number.</summary>
    public uint Ino;
    /// <summary>T_DIR 1, T_FILE 2, T_DEVICE 3 (see <see cref="FileType"/>); 0: no such file.</summary>
    public short Type;
    /// <summary>Number of links to the file.</summary>
    public short Nlink;
    /// <summary>Size of the file in bytes.</summary>
    public ulong Size;
    /// <summary>For T_DEVICE: the device's major and minor numbers (xv6 keeps them in the inode).</summary>
    public short Major, Minor;
}

/// <summary>xv6's file types (kernel/stat.h).</summary>
public static class FileType
{
    public const short Dir = 1, File = 2, Device = 3;
}

/// <summary>xv6's open modes (kernel/fcntl.h).</summary>
public static class OpenMode
{
    public const int ReadOnly = 0x000, WriteOnly = 0x001, ReadWrite = 0x002, Create = 0x200, Truncate = 0x400;
}

/// <summary>Device major numbers (xv6: CONSOLE 1).</summary>
public static class DeviceMajor
{
    public const short Console = 1;
}
