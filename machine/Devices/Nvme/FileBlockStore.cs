// machine/Devices/Nvme: blocks kept in an image file (created at the given size if missing), read and
// written in place with positional I/O, so a disk image survives the machine.
using Microsoft.Win32.SafeHandles;

namespace RedLeaf.Hardware.Devices;

public sealed class FileBlockStore : BlockStore
{
    private readonly SafeFileHandle _file;

    public FileBlockStore(string path, int blockSize, long blockCount) : base(blockSize, blockCount)
    {
        Path = path;
        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        long want = blockSize * blockCount;
        if (RandomAccess.GetLength(_file) < want) RandomAccess.SetLength(_file, want);
    }

    /// <summary>Opens an existing image; its size decides the block count.</summary>
    public static FileBlockStore Open(string path, int blockSize)
    {
        long bytes = new FileInfo(path).Length;
        if (bytes < blockSize) throw new IOException($"disk image {path} holds {bytes} bytes, less than one {blockSize}-byte block");
        return new FileBlockStore(path, blockSize, bytes / blockSize);
    }

    public string Path { get; }

    public override void Read(long block, Span<byte> destination)
    {
        int n = RandomAccess.Read(_file, destination, block * BlockSize);
        if (n < destination.Length) destination[n..].Clear();
    }

    public override void Write(long block, ReadOnlySpan<byte> source) => RandomAccess.Write(_file, source, block * BlockSize);

    public override void Flush() => RandomAccess.FlushToDisk(_file);

    public override void Dispose() => _file.Dispose();
}
