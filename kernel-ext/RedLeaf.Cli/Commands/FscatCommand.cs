// kernel-ext/RedLeaf.Cli: `redleaf fscat IMAGE PATH` writes a file of an xv6 image to stdout, byte for
// byte (for checking a round trip through mkfs with cmp or sha256sum). Read-only, like fsls; a bad
// image, a missing path or a directory is a message and exit 1.
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;

namespace RedLeaf.Cli.Commands;

internal static class FscatCommand
{
    public const string Usage = "redleaf fscat IMAGE PATH";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count != 2) throw new UsageException($"usage: {Usage}");
        var fs = FsImage.Open(words[0]);
        uint inum = fs.Lookup(words[1]) ?? throw new FsImageException(words[0], $"{words[1]}: no such file or directory");
        if (fs.Inode(inum).type != InodeType.T_FILE) throw new FsImageException(words[0], $"{words[1]}: not a file");
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(fs.ReadFile(inum));
        return 0;
    }
}
