// domains/rv6/fs/disk: dirent.name[DIRSIZ] as a fixed-size value (an inline array), so a DirEntry is
// a plain 16-byte value like the C struct.
using System.Runtime.CompilerServices;

namespace Domains.Rv6.Fs.Disk;

[InlineArray(Layout.DIRSIZ)]
public struct DirName
{
    private byte _first;
}
