// domains/rv6/user/ls: xv6's user/ls.c: for each path (default "."), one line per file: its name padded
// to DIRSIZ, type, inode number and size. A directory is read as a file of 16-byte entries (struct
// dirent: a little-endian ushort inode number, 0 for a free slot, and a NUL-padded name of DIRSIZ bytes).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;
using Domains.Rv6.Ulib;

namespace Domains.Rv6.User;

public sealed class Ls : UserProgram
{
    public Ls(ISyscalls sys) : base(sys) { }

    /// <summary>The last element of <paramref name="path"/>, blank-padded to DIRSIZ (as is if longer).</summary>
    private static string fmtname(string path)
    {
        string p = path[(path.LastIndexOf('/') + 1)..];
        return p.Length >= DIRSIZ ? p : p.PadRight(DIRSIZ);
    }

    private void ls(string path)
    {
        int fd = Open(path, O_RDONLY);
        if (fd < 0)
        {
            Fprintf(2, $"ls: cannot open {path}\n");
            return;
        }
        if (Fstat(fd, out var st) < 0)
        {
            Fprintf(2, $"ls: cannot stat {path}\n");
            Close(fd);
            return;
        }

        switch (st.Type)
        {
            case T_DEVICE:
            case T_FILE:
                Printf($"{fmtname(path)} {st.Type} {st.Ino} {st.Size}\n");
                break;

            case T_DIR:
                if (path.Length + 1 + DIRSIZ + 1 > 512)
                {
                    Printf("ls: path too long\n");
                    break;
                }
                var de = new byte[DIRENT_SIZE];
                while (ReadFull(fd, de) == DIRENT_SIZE)
                {
                    int inum = de[0] | de[1] << 8;
                    if (inum == 0) continue;
                    string buf = path + "/" + Str.FromNulPadded(de.AsSpan(2, DIRSIZ));
                    if (Stat(buf, out st) < 0)
                    {
                        Printf($"ls: cannot stat {buf}\n");
                        continue;
                    }
                    Printf($"{fmtname(buf)} {st.Type} {st.Ino} {st.Size}\n");
                }
                break;
        }
        Close(fd);
    }

    protected override int Main(string[] argv)
    {
        if (argv.Length < 2)
        {
            ls(".");
            return 0;
        }
        for (int i = 1; i < argv.Length; i++) ls(argv[i]);
        return 0;
    }
}

public static class Entry
{
    [DomainEntry]
    public static IProgram Start(ISyscalls sys) => new Ls(sys);
}
