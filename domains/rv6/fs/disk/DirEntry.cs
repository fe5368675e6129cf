// domains/rv6/fs/disk: struct dirent (kernel/fs.h). A directory is a file of 16-byte entries: an
// inode number (0 = a free slot) and a name of at most DIRSIZ bytes, NUL-padded, with no NUL at all
// when it is exactly DIRSIZ long. Names are bytes, compared as xv6's namecmp (strncmp over DIRSIZ).
namespace Domains.Rv6.Fs.Disk;

public struct DirEntry
{
    public const int Size = 16;

    public ushort inum;
    public DirName name;

    public static DirEntry Read(ReadOnlySpan<byte> data, int off)
    {
        var de = new DirEntry { inum = LittleEndian.U16(data, off) };
        for (int i = 0; i < Layout.DIRSIZ; i++) de.name[i] = data[off + 2 + i];
        return de;
    }

    public readonly void Write(Span<byte> data, int off)
    {
        LittleEndian.Put16(data, off, inum);
        for (int i = 0; i < Layout.DIRSIZ; i++) data[off + 2 + i] = name[i];
    }

    /// <summary>Bytes of the name before the first NUL (at most DIRSIZ).</summary>
    public readonly int NameLength
    {
        get
        {
            int n = 0;
            while (n < Layout.DIRSIZ && name[n] != 0) n++;
            return n;
        }
    }

    /// <summary>True if the name is <paramref name="s"/> (namecmp: equal over DIRSIZ bytes, so a longer
    /// <paramref name="s"/> matches its first DIRSIZ bytes, as in xv6).</summary>
    public readonly bool NameIs(ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < Layout.DIRSIZ; i++)
        {
            byte c = i < s.Length ? s[i] : (byte)0;
            if (name[i] != c) return false;
            if (c == 0) return true;
        }
        return true;
    }

    /// <summary>Sets the name as xv6's dirlink does (strncpy: NUL-padded, cut at DIRSIZ bytes).</summary>
    public void SetName(ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < Layout.DIRSIZ; i++) name[i] = i < s.Length ? s[i] : (byte)0;
    }

    /// <summary>The name for printing: each byte as the character of the same number (Latin-1), so
    /// any byte shows as something and nothing needs a text encoding.</summary>
    public readonly string NameString()
    {
        int n = NameLength;
        var chars = new char[n];
        for (int i = 0; i < n; i++) chars[i] = (char)name[i];
        return new string(chars);
    }
}
