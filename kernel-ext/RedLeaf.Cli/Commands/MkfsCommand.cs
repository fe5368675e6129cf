// kernel-ext/RedLeaf.Cli: `redleaf mkfs IMAGE [HOSTDIR] [--size=BLOCKS] [--inodes=N]`: an xv6-format
// image of a host folder (files and subfolders), made by RedLeaf.Xv6's Mkfs (xv6's mkfs rewritten).
// Prints the layout as xv6's mkfs does; a file xv6 cannot hold is an error naming it (exit 1).
using Domains.Rv6.Fs.Disk;
using RedLeaf.Xv6;

namespace RedLeaf.Cli.Commands;

internal static class MkfsCommand
{
    public const string Usage = "redleaf mkfs IMAGE [HOSTDIR] [--size=BLOCKS] [--inodes=N]";

    public static int Run(Args args)
    {
        uint size = Number(args, "--size", Layout.FSSIZE);
        uint inodes = Number(args, "--inodes", Layout.NINODES);
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count is 0 or > 2) throw new UsageException($"usage: {Usage}");
        string image = words[0];
        string? hostDir = words.Count == 2 ? words[1] : null;
        if (hostDir is not null && !Directory.Exists(hostDir)) throw new UsageException($"{hostDir}: no such folder");
        if (Directory.Exists(image)) throw new UsageException($"{image} is a folder; the image is the first argument, the folder the second");
        if (hostDir is not null && Path.GetFullPath(image).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostDir)) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UsageException($"{image} is inside {hostDir}: the image would copy itself (an old one, or none); write it elsewhere");

        var bytes = Mkfs.WriteImage(image, hostDir, new MkfsOptions(size, inodes));
        var sb = Superblock.Read(bytes.AsSpan(Layout.BSIZE, Layout.BSIZE));
        uint used = 0;
        for (uint b = sb.datastart; b < sb.size; b++)
            if (Bitmap.InUse(bytes.AsSpan((int)(Layout.BBLOCK(b, sb) * Layout.BSIZE), Layout.BSIZE), b)) used++;
        Console.Out.WriteLine($"nmeta {sb.datastart} (boot, super, log blocks {sb.nlog} inode blocks {sb.bmapstart - sb.inodestart}, bitmap blocks {sb.datastart - sb.bmapstart}) blocks {sb.nblocks} total {sb.size}");
        Console.Out.WriteLine($"wrote {image}: {sb.ninodes} inodes, {used} of {sb.nblocks} data blocks used{(hostDir is null ? ", an empty root" : $", from {hostDir}")}");
        return 0;
    }

    private static uint Number(Args args, string option, uint fallback)
    {
        var text = args.Option(option);
        if (text is null)
            return args.Flag(option) ? throw new UsageException($"{option} needs a value: {option}=N") : fallback;
        return uint.TryParse(text, out var n) && n > 0 ? n : throw new UsageException($"{option}={text}: not a positive whole number");
    }
}
