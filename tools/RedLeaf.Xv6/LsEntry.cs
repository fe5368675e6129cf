// tools/RedLeaf.Xv6: one line of a listing, as xv6's ls prints it: name, type, inode number, size.
// Name is the name as stored; the printed line escapes control characters in it (PrintableName).
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed record LsEntry(string Name, short Type, uint Inum, uint Size)
{
    /// <summary>xv6's ls format: the name padded to DIRSIZ, then type, inum, size.</summary>
    public override string ToString() => $"{PrintableName.Escape(Name),-Layout.DIRSIZ} {Type} {Inum} {Size}";
}
