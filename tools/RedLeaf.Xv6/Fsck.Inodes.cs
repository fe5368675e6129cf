// tools/RedLeaf.Xv6: fsck pass 3, every inode on its own: a type xv6 knows, a size xv6 can hold,
// and each block it holds (direct, the indirect block, the indirect block's entries) inside the data
// region and held by nobody else. xv6's itrunc frees every nonzero address whatever the size says, so
// every nonzero address counts as held; a block inside the size with no address is a hole.
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed partial class Fsck
{
    private void CheckInodes()
    {
        for (uint inum = 0; inum < _sb.ninodes; inum++)
            _inodes[inum] = DiskInode.Read(Block(Layout.IBLOCK(inum, _sb)), inum);

        int files = 0, dirs = 0, devices = 0;
        for (uint inum = 0; inum < _sb.ninodes; inum++)
        {
            var ip = _inodes[inum];
            if (ip.type == 0) continue;
            if (inum == 0)
            {
                _r.Add(FsckKind.BadType, $"inode 0 has type {ip.type}, but inode numbers start at 1 (0 marks a free directory slot)");
                _inodes[0].type = 0;
                continue;
            }
            if (!InUse(inum))
            {
                _r.Add(FsckKind.BadType, $"inode {inum} has type {ip.type}, which is none of T_DIR (1), T_FILE (2), T_DEVICE (3)");
                continue;
            }
            if (ip.type == InodeType.T_DIR) dirs++;
            else if (ip.type == InodeType.T_FILE) files++;
            else devices++;
            if (ip.size > (ulong)Layout.MAXFILE * Layout.BSIZE)
                _r.Add(FsckKind.BadSize, $"inode {inum} has size {ip.size}, larger than the largest xv6 file ({Layout.MAXFILE * Layout.BSIZE} bytes)");
            CheckBlocks(inum, ip);
        }
        int used = 0;
        for (uint b = _sb.datastart; b < _sb.size; b++) if (_owner[b] != 0) used++;
        _r.Note($"inodes in use: {dirs + files + devices} of {_sb.ninodes - 1} ({Count(dirs, "directory", "directories")}, {Count(files, "file", "files")}, {Count(devices, "device", "devices")}); data blocks held: {used} of {_sb.nblocks}");
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private void CheckBlocks(uint inum, DiskInode ip)
    {
        for (int i = 0; i < Layout.NDIRECT; i++) Hold(inum, ip.addrs[i], $"direct {i}");
        uint ind = ip.addrs[Layout.NDIRECT];
        bool indirectReadable = ind != 0 && Hold(inum, ind, "indirect block");
        if (indirectReadable)
        {
            var entries = Block(ind);
            for (int k = 0; k < Layout.NINDIRECT; k++) Hold(inum, LittleEndian.U32(entries, 4 * k), $"indirect entry {k}");
        }
        if (ip.type == InodeType.T_DEVICE) return;
        long nb = Math.Min(((long)ip.size + Layout.BSIZE - 1) / Layout.BSIZE, Layout.MAXFILE);
        for (int bn = 0; bn < nb; bn++)
        {
            uint addr = bn < Layout.NDIRECT ? ip.addrs[bn]
                : ind == 0 ? 0u
                : indirectReadable ? LittleEndian.U32(Block(ind), 4 * (bn - Layout.NDIRECT))
                : uint.MaxValue; // unreadable indirect block: reported already
            if (addr == 0)
                _r.Add(FsckKind.Hole, $"inode {inum} ({InodeType.Name(ip.type)}, size {ip.size}): block {bn} of its data has no address (a hole; xv6 would allocate it on a read, outside any transaction)");
        }
    }

    /// <summary>Records that <paramref name="inum"/> holds block <paramref name="addr"/>; false if the
    /// address is out of range or already held (both reported).</summary>
    private bool Hold(uint inum, uint addr, string how)
    {
        if (addr == 0) return false;
        if (addr < _sb.datastart || addr >= _sb.size)
        {
            _r.Add(FsckKind.AddressOutOfRange, $"inode {inum} ({InodeType.Name(_inodes[inum].type)}), {how}: block {addr} is outside the data blocks [{_sb.datastart}, {_sb.size})");
            return false;
        }
        if (_owner[addr] != 0)
        {
            _r.Add(FsckKind.BlockUsedTwice, $"block {addr} is used twice: by inode {_owner[addr]} ({_ownerAs[addr]}) and by inode {inum} ({how})");
            return false;
        }
        _owner[addr] = inum;
        _ownerAs[addr] = how;
        return true;
    }
}
