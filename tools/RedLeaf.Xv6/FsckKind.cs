// tools/RedLeaf.Xv6: each kind of damage fsck finds; tests inject one of each and expect it named.
namespace RedLeaf.Xv6;

public enum FsckKind
{
    Truncated,          // the file is shorter than the superblock says (or than a superblock)
    BadMagic,           // block 1 is not an xv6 superblock: a foreign file
    BadSuperblock,      // the regions overlap, leave the image, or leave no data blocks
    BadLog,             // the log header cannot be recovered (count out of range, home block outside)
    BadType,            // an inode whose type is not T_DIR, T_FILE or T_DEVICE (or inode 0 in use)
    BadSize,            // an inode larger than MAXFILE blocks, or a directory not a whole number of entries
    AddressOutOfRange,  // a block address outside the data blocks
    BlockUsedTwice,     // two inodes (or one, twice) hold the same block
    Hole,               // a block inside a file's size with no address (xv6 would allocate it on a read)
    BadRoot,            // inode 1 is not a directory
    BadDirectory,       // "." or ".." missing or wrong, an empty or duplicate name, a directory named twice
    DanglingEntry,      // a directory entry naming a free inode or one beyond ninodes
    LinkCount,          // nlink differs from the number of directory entries naming the inode
    LostInode,          // an inode in use that no directory reaches
    BitmapMarksFree,    // a block in use (metadata, or held by an inode) the bitmap marks free
    BitmapMarksUsed,    // a block the bitmap marks in use that nothing holds (leaked)
}
