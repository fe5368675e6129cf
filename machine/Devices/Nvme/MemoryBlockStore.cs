// machine/Devices/Nvme: blocks kept in native memory (a RAM disk, as the paper's recovery runs use).
using System.Runtime.InteropServices;

namespace RedLeaf.Hardware.Devices;

public sealed unsafe class MemoryBlockStore : BlockStore
{
    private byte* _data;

    public MemoryBlockStore(int blockSize, long blockCount) : base(blockSize, blockCount) =>
        _data = (byte*)NativeMemory.AllocZeroed((nuint)(blockSize * blockCount));

    public override void Read(long block, Span<byte> destination) =>
        new ReadOnlySpan<byte>(Live + block * BlockSize, destination.Length).CopyTo(destination);

    public override void Write(long block, ReadOnlySpan<byte> source) =>
        source.CopyTo(new Span<byte>(Live + block * BlockSize, source.Length));

    private byte* Live => _data != null ? _data : throw new ObjectDisposedException(nameof(MemoryBlockStore));

    public override void Dispose()
    {
        if (_data == null) return;
        NativeMemory.Free(_data);
        _data = null;
    }
}
