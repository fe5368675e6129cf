// domains/rv6/fs: long-term locks for buffers and inodes (xv6's kernel/sleeplock.c). A thread that
// finds the lock held sleeps (on the kernel's WaitLock) instead of spinning, so it may be held across
// disk I/O. Domains may not use Monitor; WaitLock is the kernel's lock with xv6's sleep/wakeup.
using RedLeaf.Abi;

namespace Domains.Rv6.Fs;

internal sealed class SleepLock
{
    private readonly WaitLock lk = new(); // protects locked
    private bool locked;

    public void acquiresleep()
    {
        lk.Acquire();
        while (locked) lk.Sleep();
        locked = true;
        lk.Release();
    }

    public void releasesleep()
    {
        lk.Acquire();
        locked = false;
        lk.Wakeup();
        lk.Release();
    }

    public bool holdingsleep()
    {
        lk.Acquire();
        bool r = locked;
        lk.Release();
        return r;
    }
}
