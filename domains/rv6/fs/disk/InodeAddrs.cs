// domains/rv6/fs/disk: dinode.addrs[NDIRECT+1] as a fixed-size value (an inline array), so a DiskInode
// is a plain 64-byte value with no array to allocate, like the C struct.
using System.Runtime.CompilerServices;

namespace Domains.Rv6.Fs.Disk;

[InlineArray(Layout.NDIRECT + 1)]
public struct InodeAddrs
{
    private uint _first;
}
