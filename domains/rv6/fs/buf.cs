// domains/rv6/fs: one block in the buffer cache (xv6's kernel/buf.h). data is the block as the file
// system reads and changes it (a span-friendly array); dev is the shared-heap buffer the block driver
// fills (moved in and back for a read) and writes from (lent for a write). Both are allocated once,
// when the cache is built: a block read or write allocates nothing, it copies one block between them.
using RedLeaf.Abi;
using Domains.Rv6.Fs.Disk;

namespace Domains.Rv6.Fs;

internal sealed class Buf
{
    public bool valid;            // has data been read from disk?
    public uint blockno;
    public readonly SleepLock @lock = new();
    public int refcnt;            // references (bget/brelse, bpin/bunpin); guarded by bcache.lock
    public Buf prev = null!;      // LRU cache list
    public Buf next = null!;
    public readonly byte[] data = new byte[Layout.BSIZE];
    public RRefArray<byte> dev;   // the driver's side of this buffer
}
