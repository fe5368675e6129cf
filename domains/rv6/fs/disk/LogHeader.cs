// domains/rv6/fs/disk: struct logheader (kernel/log.c), the first block of the log. n = 0: the log is
// empty. n > 0: a transaction committed (writing this header is the commit point) and block[i], the
// home of log block i (at logstart+1+i), is still to be installed; recovery at mount copies them home
// and writes n = 0. xv6 never logs more than LOGSIZE blocks, nor more than the log's nlog-1 data blocks.
namespace Domains.Rv6.Fs.Disk;

public struct LogHeader
{
    public int n;
    public LogBlocks block;

    public static LogHeader Read(ReadOnlySpan<byte> hb)
    {
        var lh = new LogHeader { n = (int)LittleEndian.U32(hb, 0) };
        for (int i = 0; i < Layout.LOGSIZE; i++) lh.block[i] = (int)LittleEndian.U32(hb, 4 + 4 * i);
        return lh;
    }

    public readonly void Write(Span<byte> hb)
    {
        LittleEndian.Put32(hb, 0, (uint)n);
        for (int i = 0; i < Layout.LOGSIZE; i++) LittleEndian.Put32(hb, 4 + 4 * i, (uint)block[i]);
    }

    /// <summary>Why this header cannot be recovered on a file system described by <paramref name="sb"/>,
    /// or null: n within the log, every home block inside the file system and outside the log.</summary>
    public readonly string? Problem(Superblock sb)
    {
        int max = (int)Math.Min(Layout.LOGSIZE, sb.nlog - 1);
        if (n < 0 || n > max)
            return $"the log header (block {sb.logstart}) says {n} blocks; a transaction holds 0 to {max}";
        for (int i = 0; i < n; i++)
        {
            long b = (uint)block[i];
            if (b < sb.inodestart || b >= sb.size)
                return $"the log header (block {sb.logstart}) sends log block {i} to block {b}, outside the inode, bitmap and data blocks [{sb.inodestart}, {sb.size})";
        }
        return null;
    }
}
