// tests/domains/rv6/fs: a machine with an NVMe-like disk of 1 KiB blocks (xv6's BSIZE) holding an xv6 image, the
// block driver on it and the rv6 fs domain on the driver, called from the host through its proxy. The
// helpers turn strings into lent paths and byte arrays into shared-heap buffers, and drop them after
// the call, so long workloads do not fill the heap. Callers run inside kernel.Enter().
using Domains.Rv6.Fs.Disk;
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Devices;

namespace RedLeaf.Tests.Rv6;

internal sealed class FsHarness : IDisposable
{
    public static DomainImage FsImageDomain => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("rv6/fs"));

    public Microkernel Kernel { get; }
    public NvmeDevice Device { get; }
    public Domain Driver { get; }
    public Domain FsDomain { get; private set; } = null!;

    private FsHarness(Microkernel kernel, NvmeDevice device, Domain driver)
    {
        Kernel = kernel;
        Device = device;
        Driver = driver;
    }

    /// <summary>Boots the machine with <paramref name="image"/> on its disk and loads the driver; the fs
    /// domain too unless <paramref name="mount"/> is false (then call Mount, which may throw).</summary>
    public static FsHarness Boot(byte[] image, bool mount = true, bool confirmCollection = true, int blockSize = Layout.BSIZE, NvmeTiming? timing = null)
    {
        var k = DriverKit.Boot(confirmCollection);
        try
        {
            long blocks = Math.Max(1, image.Length / blockSize);
            var store = new MemoryBlockStore(blockSize, blocks);
            for (long b = 0; b < blocks; b++) store.Write(b, image.AsSpan((int)(b * blockSize), blockSize));
            var dev = k.Machine.Attach(new NvmeDevice("nvme0", store, 64, timing));
            var h = new FsHarness(k, dev, k.Load("blk", DriverKit.Blk, dev));
            if (mount) h.Mount();
            return h;
        }
        catch
        {
            k.Dispose();
            throw;
        }
    }

    /// <summary>Loads the fs domain over the driver (its entry mounts the file system).</summary>
    public Domain Mount() => FsDomain = Kernel.Load("fs", FsImageDomain, Driver.Get<RedLeaf.Interfaces.Block.IBlockDevice>());

    public IFileSystem Fs => FsDomain.Get<IFileSystem>();

    /// <summary>Every block of the disk, as the device's store holds it now.</summary>
    public byte[] DiskBytes()
    {
        var s = Device.Store;
        var bytes = new byte[s.BlockCount * s.BlockSize];
        for (long b = 0; b < s.BlockCount; b++) s.Read(b, bytes.AsSpan((int)(b * s.BlockSize), s.BlockSize));
        return bytes;
    }

    public void Dispose() => Kernel.Dispose();

    // ---- calls with host values (inside kernel.Enter()) ----

    public static T WithPath<T>(string path, Func<RRefArray<byte>, T> call)
    {
        var p = RRefArray<byte>.From(System.Text.Encoding.Latin1.GetBytes(path));
        try { return call(p); }
        finally { p.Drop(); }
    }

    public int Open(int cwd, string path, int omode) => WithPath(path, p => Fs.Open(cwd, in p, omode).Value);
    public int Mkdir(int cwd, string path) => WithPath(path, p => Fs.Mkdir(cwd, in p).Value);
    public int Unlink(int cwd, string path) => WithPath(path, p => Fs.Unlink(cwd, in p).Value);
    public int Chdir(int cwd, string path) => WithPath(path, p => Fs.Chdir(cwd, in p).Value);
    public int Mknod(int cwd, string path, short major, short minor) => WithPath(path, p => Fs.Mknod(cwd, in p, major, minor).Value);

    public int Link(int cwd, string oldPath, string newPath) =>
        WithPath(oldPath, o => WithPath(newPath, n => Fs.Link(cwd, in o, in n).Value));

    /// <summary>Writes <paramref name="data"/> at <paramref name="off"/> in one call.</summary>
    public int Write(int ip, long off, ReadOnlySpan<byte> data)
    {
        var d = RRefArray<byte>.From(data);
        try { return Fs.Write(ip, off, in d, data.Length).Value; }
        finally { d.Drop(); }
    }

    /// <summary>One Read call of up to <paramref name="count"/> bytes: the bytes, or null for -1.</summary>
    public byte[]? Read(int ip, long off, int count, int? capacity = null)
    {
        var io = RRef<IoVec>.New(new IoVec { Count = count, Data = RRefArray<byte>.New(capacity ?? Math.Max(count, 0)) });
        var back = Fs.Read(ip, off, io).Value;
        var v = back.Value;
        byte[]? got = v.Count < 0 ? null : new byte[v.Count];
        if (got != null) v.Data.CopyTo(got);
        back.Drop();
        return got;
    }

    /// <summary>A whole file, read in 4 KiB calls until end of file.</summary>
    public byte[] ReadAll(int ip)
    {
        var all = new List<byte>();
        while (true)
        {
            var chunk = Read(ip, all.Count, 4096) ?? throw new InvalidOperationException($"read of handle {ip} at {all.Count} returned -1");
            if (chunk.Length == 0) return all.ToArray();
            all.AddRange(chunk);
        }
    }

    /// <summary>The contents of the file at <paramref name="path"/>, or null if it cannot be opened.</summary>
    public byte[]? ReadFile(int cwd, string path)
    {
        int ip = Open(cwd, path, OpenMode.ReadOnly);
        if (ip < 0) return null;
        try { return ReadAll(ip); }
        finally { Fs.Close(ip); }
    }

    /// <summary>Creates (or truncates) a file holding <paramref name="data"/>; the bytes written.</summary>
    public int WriteFile(int cwd, string path, ReadOnlySpan<byte> data)
    {
        int ip = Open(cwd, path, OpenMode.Create | OpenMode.Truncate | OpenMode.WriteOnly);
        if (ip < 0) return -1;
        try { return data.Length == 0 ? 0 : Write(ip, 0, data); }
        finally { Fs.Close(ip); }
    }

    /// <summary>Names in a directory (not "." and ".."), read through the fs domain as dirents.</summary>
    public List<string> List(int cwd, string path)
    {
        var raw = ReadFile(cwd, path) ?? throw new InvalidOperationException($"cannot open {path}");
        var names = new List<string>();
        for (int off = 0; off + DirEntry.Size <= raw.Length; off += DirEntry.Size)
        {
            var de = DirEntry.Read(raw, off);
            if (de.inum == 0) continue;
            string n = de.NameString();
            if (n is not ("." or "..")) names.Add(n);
        }
        return names;
    }
}
