// domains/rv6/user/ulib: strings as xv6 sees them, bytes. rv6 programs use C# strings for convenience
// and convert at the system-call boundary, one char per byte (Latin-1): lossless for every byte, the
// identity on ASCII. (System.Text.Encoding is not among what a domain may use, and xv6 knows no UTF-8.)
namespace Domains.Rv6.Ulib;

public static class Str
{
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
        return new string(chars);
    }

    /// <summary>Writes <paramref name="s"/> into <paramref name="dst"/>; the bytes written (s.Length).</summary>
    public static int ToBytes(string s, Span<byte> dst)
    {
        for (int i = 0; i < s.Length; i++) dst[i] = (byte)s[i];
        return s.Length;
    }

    public static byte[] Bytes(string s)
    {
        var b = new byte[s.Length];
        ToBytes(s, b);
        return b;
    }

    /// <summary>The string in a NUL-padded field (a dirent's name): up to the first NUL or the end.</summary>
    public static string FromNulPadded(ReadOnlySpan<byte> field)
    {
        int n = field.IndexOf((byte)0);
        return FromBytes(n < 0 ? field : field[..n]);
    }
}
