// systems/RedLeaf.Systems/Rv6: how to boot rv6: which disk image (a file, bytes, or a fresh one), and the
// kernel's options.
namespace RedLeaf.Systems.Rv6;

public sealed record Rv6Options
{
    /// <summary>An xv6 image file to boot from; rv6 writes to it (as qemu does to fs.img). Null: see <see cref="Image"/>.</summary>
    public string? ImagePath { get; init; }

    /// <summary>Image bytes to boot from (copied into an in-memory disk). Null with no path: a fresh image.</summary>
    public byte[]? Image { get; init; }

    /// <summary>A block store to boot from (1 KiB blocks holding an xv6 image), instead of a path or bytes;
    /// rv6 takes it over (disposes it at shutdown). For benchmarks and tests that watch the disk.</summary>
    public RedLeaf.Hardware.Devices.BlockStore? Store { get; init; }

    /// <summary>Put the block driver behind its shadow (domains/shadow/blk): a crashed driver is restarted and
    /// the failed call replayed, so the file system never sees the crash (RedLeaf's Figure 11 setup).</summary>
    public bool BlockShadow { get; init; }

    /// <summary>Size of a fresh image in 1 KiB blocks (xv6's FSSIZE, 2000, by default).</summary>
    public uint FreshBlocks { get; init; } = 2000;

    /// <summary>Wait until a crashed or exited domain's code is confirmed collected (the kernel's default; slower exits).</summary>
    public bool ConfirmCollection { get; init; } = true;

    /// <summary>Where console output also goes, byte for byte (stdout for `redleaf rv6 -c`).</summary>
    public Stream? ConsoleOut { get; init; }

    /// <summary>Boot-log lines as they happen (stderr for `redleaf rv6`).</summary>
    public Action<string>? Progress { get; init; }
}
