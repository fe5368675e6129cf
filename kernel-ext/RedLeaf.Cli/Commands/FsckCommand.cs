// kernel-ext/RedLeaf.Cli: `redleaf fsck IMAGE`: checks an xv6 file-system image (RedLeaf.Xv6's Fsck)
// and prints its report. Exit 0 if clean, 1 if damaged (or not an image at all), 2 for usage.
using RedLeaf.Xv6;

namespace RedLeaf.Cli.Commands;

internal static class FsckCommand
{
    public const string Usage = "redleaf fsck IMAGE";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count != 1) throw new UsageException($"usage: {Usage}");
        var report = Fsck.CheckFile(words[0]);
        report.Print(Console.Out);
        return report.Clean ? 0 : 1;
    }
}
