// tools/RedLeaf.Xv6: fsck passes 4 and 5: walk the directory tree from the root, breadth first,
// checking each directory's entries ("." names itself, ".." its parent, names non-empty, without '/',
// and unique, every entry naming an inode in use, no directory reached twice) and counting the entries
// naming each inode; then compare those counts with each inode's nlink, and look for inodes in use
// that the walk never reached. Damage found in pass 3 (bad addresses) reads as zeros here.
using Domains.Rv6.Fs.Disk;

namespace RedLeaf.Xv6;

public sealed partial class Fsck
{
    private void CheckTree()
    {
        uint root = Layout.ROOTINO;
        if (_inodes[root].type != InodeType.T_DIR)
        {
            _r.Add(FsckKind.BadRoot, $"inode {root}, the root, is {InodeType.Name(_inodes[root].type)}, not a directory: nothing is reachable");
            return;
        }
        _path[root] = "/";
        var queue = new Queue<(uint Dir, uint Parent)>();
        queue.Enqueue((root, root));
        while (queue.Count > 0)
        {
            var (dir, parent) = queue.Dequeue();
            foreach (var child in CheckDirectory(dir, parent)) queue.Enqueue((child, dir));
        }
    }

    /// <summary>Checks one directory's entries; returns the subdirectories reached for the first time.</summary>
    private List<uint> CheckDirectory(uint dir, uint parent)
    {
        var found = new List<uint>();
        string here = _path[dir]!;
        var ip = _inodes[dir];
        if (ip.size % DirEntry.Size != 0)
            _r.Add(FsckKind.BadSize, $"directory {here} (inode {dir}) has size {ip.size}, not a whole number of {DirEntry.Size}-byte entries");
        var data = ReadData(dir);
        bool dot = false, dotdot = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int off = 0; off + DirEntry.Size <= data.Length; off += DirEntry.Size)
        {
            var de = DirEntry.Read(data, off);
            if (de.inum == 0) continue;
            string name = FsImage.DisplayName(de);
            string shown = PrintableName.Escape(name); // the report prints names escaped: a name may hold escapes or newlines
            string at = $"entry {off / DirEntry.Size} of {here} (inode {dir})";
            if (de.NameLength == 0) { _r.Add(FsckKind.BadDirectory, $"{at} names inode {de.inum} with an empty name"); continue; }
            if (name.Contains('/')) _r.Add(FsckKind.BadDirectory, $"{at}: the name '{shown}' contains '/'");
            if (!names.Add(name)) _r.Add(FsckKind.BadDirectory, $"{at}: the name '{shown}' appears twice in the directory");
            if (de.inum >= _sb.ninodes) { _r.Add(FsckKind.DanglingEntry, $"{at}: '{shown}' names inode {de.inum}, beyond the {_sb.ninodes} inodes"); continue; }
            if (!InUse(de.inum)) { _r.Add(FsckKind.DanglingEntry, $"{at}: '{shown}' names inode {de.inum}, which is free"); continue; }
            if (name == ".")
            {
                dot = true;
                if (de.inum != dir) _r.Add(FsckKind.BadDirectory, $"{at}: '.' names inode {de.inum}, not the directory itself");
                continue; // "." is not a link
            }
            _refs[de.inum]++;
            if (name == "..")
            {
                dotdot = true;
                if (de.inum != parent) _r.Add(FsckKind.BadDirectory, $"{at}: '..' names inode {de.inum}, not its parent (inode {parent})");
                continue;
            }
            string path = here == "/" ? "/" + shown : here + "/" + shown; // printed in messages
            if (_inodes[de.inum].type == InodeType.T_DIR)
            {
                if (_path[de.inum] is { } first) _r.Add(FsckKind.BadDirectory, $"directory inode {de.inum} is named twice, as {first} and as {path} (xv6 does not link directories)");
                else { _path[de.inum] = path; found.Add(de.inum); }
            }
            else _path[de.inum] ??= path;
        }
        if (!dot) _r.Add(FsckKind.BadDirectory, $"directory {here} (inode {dir}) has no '.' entry");
        if (!dotdot) _r.Add(FsckKind.BadDirectory, $"directory {here} (inode {dir}) has no '..' entry");
        return found;
    }

    /// <summary>An inode's data as xv6 would read it; holes and addresses pass 3 refused read as zeros.</summary>
    private byte[] ReadData(uint inum)
    {
        var ip = _inodes[inum];
        long size = Math.Min(ip.size, (long)Layout.MAXFILE * Layout.BSIZE);
        var data = new byte[size];
        uint ind = ip.addrs[Layout.NDIRECT];
        for (int bn = 0; bn * (long)Layout.BSIZE < size; bn++)
        {
            uint addr = bn < Layout.NDIRECT ? ip.addrs[bn]
                : _owner.Length > ind && _owner[ind] == inum && _ownerAs[ind] == "indirect block" ? LittleEndian.U32(Block(ind), 4 * (bn - Layout.NDIRECT))
                : 0;
            if (addr < _sb.datastart || addr >= _sb.size) continue;
            int n = (int)Math.Min(Layout.BSIZE, size - bn * (long)Layout.BSIZE);
            Block(addr)[..n].CopyTo(data.AsSpan(bn * Layout.BSIZE));
        }
        return data;
    }

    private void CheckLinks()
    {
        if (_path[Layout.ROOTINO] is null) return; // no tree to count against (BadRoot)
        for (uint inum = 1; inum < _sb.ninodes; inum++)
        {
            if (!InUse(inum)) continue;
            var ip = _inodes[inum];
            if (_path[inum] is null)
                _r.Add(FsckKind.LostInode, $"inode {inum} ({InodeType.Name(ip.type)}, size {ip.size}, nlink {ip.nlink}) is in use, but no directory reaches it");
            else if (ip.nlink != _refs[inum])
                _r.Add(FsckKind.LinkCount, $"{Describe(inum)} has nlink {ip.nlink}, but {_refs[inum]} directory entr{(_refs[inum] == 1 ? "y names" : "ies name")} it");
        }
    }
}
