// tools/RedLeaf.Xv6: fsck pass 6, the bitmap against what is in use, both ways: every metadata
// block and every block an inode holds must be marked (else xv6's balloc would hand it out again), and
// every marked data block must be held by some inode (else it has leaked: no one will ever free it).
// Blocks held by lost inodes count as held; the lost inode is reported on its own.
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed partial class Fsck
{
    private void CheckBitmap()
    {
        int marked = 0;
        for (uint b = 0; b < _sb.size; b++)
        {
            bool inUse = Bitmap.InUse(Block(Layout.BBLOCK(b, _sb)), b);
            if (inUse) marked++;
            if (b < _sb.datastart)
            {
                if (!inUse) _r.Add(FsckKind.BitmapMarksFree, $"block {b} ({RegionOf(b)}) is metadata, but the bitmap marks it free");
            }
            else if (_owner[b] != 0 && !inUse)
                _r.Add(FsckKind.BitmapMarksFree, $"block {b} is held by {Describe(_owner[b])} as {_ownerAs[b]}, but the bitmap marks it free");
            else if (_owner[b] == 0 && inUse)
                _r.Add(FsckKind.BitmapMarksUsed, $"block {b} is marked in use in the bitmap, but no inode holds it (leaked)");
        }
        _r.Note($"bitmap: {marked} of {_sb.size} blocks marked in use");
    }
}
