// machine/Memory: the emulated machine's physical memory, one native region outside the GC heap.
// The microkernel carves its shared heap out of it, so objects on that heap have stable addresses,
// are never moved or scanned by the garbage collector, and are freed deterministically.
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware;

public sealed unsafe class PhysicalMemory : IDisposable
{
    private byte* _allocation;
    private byte* _base;

    /// <summary>Reserves <paramref name="bytes"/> of zeroed native memory (pages are committed on first touch).</summary>
    public PhysicalMemory(long bytes)
    {
        if (bytes <= 0 || bytes > (1L << 40))
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "physical memory must be between 1 byte and 1 TiB");
        Size = bytes;
        // calloc: a large zeroed block comes straight from the OS as untouched zero pages, so a
        // machine's memory costs nothing until it is used. Aligned by hand to a page.
        _allocation = (byte*)NativeMemory.AllocZeroed((nuint)(bytes + 4096));
        if (_allocation == null) throw new OutOfMemoryException($"cannot reserve {bytes} bytes of physical memory");
        _base = (byte*)(((nint)_allocation + 4095) & ~(nint)4095);
    }

    public long Size { get; }

    /// <summary>First byte of the region; null after disposal.</summary>
    public byte* Base => _base;

    private object? _claimant;

    /// <summary>Takes the whole region for one user (the kernel's shared heap); a second claim is refused,
    /// since two heaps carved from the same memory would overwrite each other.</summary>
    public void Claim(object claimant)
    {
        if (Interlocked.CompareExchange(ref _claimant, claimant, null) is { } holder && !ReferenceEquals(holder, claimant))
            throw new InvalidOperationException($"this machine's physical memory is already in use by {holder}; boot one kernel per machine");
    }

    /// <summary>Gives the region back (the kernel shut down).</summary>
    public void Release(object claimant) => Interlocked.CompareExchange(ref _claimant, null, claimant);

    /// <summary>The region's address as a number (for logs and tests).</summary>
    public nint Address => (nint)_base;

    public bool Contains(void* p) => _base != null && p >= _base && p < _base + Size;

    public void Dispose()
    {
        if (_base == null) return;
        NativeMemory.Free(_allocation);
        _allocation = null;
        _base = null;
    }
}
