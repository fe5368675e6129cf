// domains/rv6/fs/disk: what an inode is (kernel/stat.h). Zero means the inode is free.
namespace Domains.Rv6.Fs.Disk;

public static class InodeType
{
    public const short T_DIR = 1;    // directory
    public const short T_FILE = 2;   // file
    public const short T_DEVICE = 3; // device

    /// <summary>"dir", "file", "device", or the number for anything else (for reports).</summary>
    public static string Name(short type) => type switch
    {
        0 => "free",
        T_DIR => "dir",
        T_FILE => "file",
        T_DEVICE => "device",
        _ => "type " + type,
    };
}
