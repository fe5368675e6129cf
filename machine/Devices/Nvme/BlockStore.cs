// machine/Devices/Nvme: what an NVMe namespace stores its blocks in: memory, or an image file.
namespace RedLeaf.Hardware.Devices;

public abstract class BlockStore : IDisposable
{
    protected BlockStore(int blockSize, long blockCount)
    {
        if (blockSize is not (512 or 1024 or 2048 or 4096)) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "block size must be 512, 1024, 2048 or 4096 bytes");
        if (blockCount <= 0) throw new ArgumentOutOfRangeException(nameof(blockCount), blockCount, "a namespace needs at least one block");
        BlockSize = blockSize;
        BlockCount = blockCount;
    }

    public int BlockSize { get; }
    public long BlockCount { get; }

    public abstract void Read(long block, Span<byte> destination);
    public abstract void Write(long block, ReadOnlySpan<byte> source);
    public virtual void Flush() { }
    public abstract void Dispose();
}
