// domains/rv6/fs/disk: the disk is little-endian (RISC-V byte order, mkfs.c's xshort/xint), whatever
// the host is. Written out by hand because System.Buffers.Binary is not on the IL gate's allow-list,
// and because four shifts say exactly what the format is.
namespace Domains.Rv6.Fs.Disk;

public static class LittleEndian
{
    public static ushort U16(ReadOnlySpan<byte> b, int off) => (ushort)(b[off] | b[off + 1] << 8);

    public static uint U32(ReadOnlySpan<byte> b, int off) =>
        (uint)(b[off] | b[off + 1] << 8 | b[off + 2] << 16 | b[off + 3] << 24);

    public static void Put16(Span<byte> b, int off, ushort v)
    {
        b[off] = (byte)v;
        b[off + 1] = (byte)(v >> 8);
    }

    public static void Put32(Span<byte> b, int off, uint v)
    {
        b[off] = (byte)v;
        b[off + 1] = (byte)(v >> 8);
        b[off + 2] = (byte)(v >> 16);
        b[off + 3] = (byte)(v >> 24);
    }
}
