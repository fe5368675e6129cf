// kernel-ext/RedLeaf.Cli: `redleaf fsls IMAGE [PATH]` lists a directory of an xv6 image as xv6's ls
// prints it (name, type, inode number, size), or the one line of a file. Read-only; the image is
// opened as a mount would (superblock checked, a committed log installed in memory). A bad image or
// path is a message and exit 1.
using RedLeaf.Xv6;

namespace RedLeaf.Cli.Commands;

internal static class FslsCommand
{
    public const string Usage = "redleaf fsls IMAGE [PATH]";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count is 0 or > 2) throw new UsageException($"usage: {Usage}");
        var fs = FsImage.Open(words[0]);
        foreach (var e in fs.List(words.Count == 2 ? words[1] : "/")) Console.Out.WriteLine(e);
        return 0;
    }
}
