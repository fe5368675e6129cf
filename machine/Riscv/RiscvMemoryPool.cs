// machine/Riscv: the physical memory RISC-V processes are made of, counted in 4 KiB pages (xv6's
// kalloc free list, as a count). Every address space takes its pages from one pool and gives them back
// when it shrinks or is freed, so a program that grows until sbrk fails meets a real limit, and the
// free count before and after a run shows whether anything leaked. Safe to use from any thread.
namespace RedLeaf.Hardware.Riscv;

public sealed class RiscvMemoryPool
{
    public const int PageSize = 4096;
    private long _free;

    public RiscvMemoryPool(long bytes)
    {
        if (bytes < PageSize) throw new ArgumentOutOfRangeException(nameof(bytes), "a RISC-V memory pool needs at least one page");
        TotalPages = bytes / PageSize;
        _free = TotalPages;
    }

    public long TotalPages { get; }
    public long FreePages => Interlocked.Read(ref _free);

    /// <summary>Takes <paramref name="pages"/> pages, or none and false if fewer are free.</summary>
    public bool TryTake(long pages)
    {
        if (pages < 0) throw new ArgumentOutOfRangeException(nameof(pages));
        for (; ; )
        {
            long free = Interlocked.Read(ref _free);
            if (free < pages) return false;
            if (Interlocked.CompareExchange(ref _free, free - pages, free) == free) return true;
        }
    }

    public void Give(long pages)
    {
        if (pages < 0) throw new ArgumentOutOfRangeException(nameof(pages));
        if (Interlocked.Add(ref _free, pages) > TotalPages) throw new InvalidOperationException("RISC-V memory pool: more pages given back than were taken");
    }
}
