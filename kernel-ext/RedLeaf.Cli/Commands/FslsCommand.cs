// kernel-ext/RedLeaf.Cli: `redleaf fsls IMAGE [PATH]` lists a directory of an xv6 image as xv6's ls
// prints it (name, type, inode number, size); `redleaf fscat IMAGE PATH` writes a file's bytes to
// stdout unchanged. Read-only; the image is opened as a mount would (superblock checked, a committed
// log installed in memory). A bad image or path is a message and exit 1.
using RedLeaf.Xv6;

namespace RedLeaf.Cli.Commands;

internal static class FslsCommand
{
    public const string Usage = "redleaf fsls IMAGE [PATH]";
    public const string CatUsage = "redleaf fscat IMAGE PATH";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count is 0 or > 2) throw new UsageException($"usage: {Usage}");
        var fs = FsImage.Open(words[0]);
        foreach (var e in fs.List(words.Count == 2 ? words[1] : "/")) Console.Out.WriteLine(e);
        return 0;
    }

    public static int Cat(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count != 2) throw new UsageException($"usage: {CatUsage}");
        var fs = FsImage.Open(words[0]);
        uint inum = fs.Lookup(words[1]) ?? throw new FsImageException(words[0], $"{words[1]}: no such file or directory");
        if (fs.Inode(inum).type != Domains.Rv6.Fs.Disk.InodeType.T_FILE) throw new FsImageException(words[0], $"{words[1]}: not a file");
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(fs.ReadFile(inum));
        return 0;
    }
}
