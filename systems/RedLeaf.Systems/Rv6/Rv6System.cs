// systems/RedLeaf.Systems/Rv6: a booted rv6: the machine (an NVMe-like disk with 1 KiB blocks holding an
// xv6 image, a UART console), the microkernel, and rv6's domains: the block driver, the file system
// (which recovers its log at mount), the console driver, and the core (granted the fs, the console,
// the program loader and the right to restart the fs). Command lines run as `sh -c LINE`, the way
// init runs the shell; their console output is returned and, if asked, copied to a stream.
using System.Diagnostics;
using System.Text;
using RedLeaf.Abi;
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Block;
using RedLeaf.Interfaces.Rv6;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Xv6;

namespace RedLeaf.Systems.Rv6;

public sealed class Rv6System : IDisposable
{
    public const int BlockSize = 1024;
    private readonly BlockStore _store;
    private readonly IRv6 _core;
    private readonly object _running = new();
    private bool _disposed;

    private Rv6System(Microkernel kernel, Uart console, NvmeDevice disk, BlockStore store, ProgramLoader loader,
        Domain blk, Domain fs, Domain consoleDriver, Domain core, string imageName)
    {
        Kernel = kernel;
        Console = console;
        Disk = disk;
        _store = store;
        Loader = loader;
        Blk = blk;
        Fs = fs;
        ConsoleDriver = consoleDriver;
        Core = core;
        ImageName = imageName;
        _core = core.Get<IRv6>();
    }

    public Microkernel Kernel { get; }
    public Uart Console { get; }
    public NvmeDevice Disk { get; }
    public ProgramLoader Loader { get; }
    public Domain Blk { get; }
    public Domain Fs { get; }
    public Domain ConsoleDriver { get; }
    public Domain Core { get; }
    /// <summary>The image booted: a path, or "fresh" / "bytes".</summary>
    public string ImageName { get; }
    /// <summary>How long the boot took, machine to shell-ready.</summary>
    public TimeSpan BootTime { get; private set; }

    /// <summary>The block driver's shadow, if booted with <see cref="Rv6Options.BlockShadow"/>.</summary>
    public Domain? BlkShadow { get; private init; }
    /// <summary>The shadow's right to restart the block driver (restart count and latencies), if there is a shadow.</summary>
    public RestartCapability? BlkRestart { get; private init; }

    /// <summary>The domains rv6 is made of (drivers, shadow, fs, core), for tables.</summary>
    public IReadOnlyList<Domain> SystemDomains => BlkShadow is { } s ? new[] { Blk, s, Fs, ConsoleDriver, Core } : new[] { Blk, Fs, ConsoleDriver, Core };

    /// <summary>Where rv6's program folders are: domains/rv6/user.</summary>
    public static string ProgramsFolder => DomainTree.Folder("rv6/user");

    /// <summary>A fresh image: an empty root holding a README (xv6's fs.img holds one too).</summary>
    public static byte[] FreshImage(uint blocks = 2000) =>
        (byte[])s_fresh.GetOrAdd(blocks, n => Mkfs.Build(new[] { MkfsNode.File("README", Encoding.ASCII.GetBytes(Readme)) }, new MkfsOptions(Size: n))).Clone();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<uint, byte[]> s_fresh = new(); // mkfs is deterministic: build once per size

    private const string Readme =
        "rv6: xv6 rebuilt as RedLeaf domains, on an emulated machine.\n" +
        "The file system, the drivers and every program run in domains isolated by the language.\n";

    /// <summary>Boots rv6. Throws <see cref="Rv6BootException"/> naming what was wrong (a foreign or damaged image, a domain that failed).</summary>
    public static Rv6System Boot(Rv6Options? options = null)
    {
        options ??= new Rv6Options();
        var sw = Stopwatch.StartNew();
        void Say(string s) => options.Progress?.Invoke(s);

        // The disk: check the image before any domain sees it, so a foreign file gets a clear error.
        BlockStore store;
        string imageName;
        if (options.Store is { } given)
        {
            imageName = "store";
            if (given.BlockSize != BlockSize) throw new Rv6BootException($"store: blocks of {given.BlockSize} bytes; rv6 needs {BlockSize}");
            var copy = new byte[given.BlockCount * BlockSize];
            for (long b = 0; b < given.BlockCount; b++) given.Read(b, copy.AsSpan((int)(b * BlockSize), BlockSize));
            Check(() => FsImage.Load(copy, imageName));
            store = given;
        }
        else if (options.ImagePath is { } path)
        {
            imageName = path;
            if (!File.Exists(path)) throw new Rv6BootException($"{path}: no such image file");
            var length = new FileInfo(path).Length;
            if (length == 0 || length % BlockSize != 0) throw new Rv6BootException($"{path}: not an xv6 image: {length} bytes is not a whole number of {BlockSize}-byte blocks");
            Check(() => FsImage.Open(path));
            store = FileBlockStore.Open(path, BlockSize);
        }
        else
        {
            var bytes = options.Image ?? FreshImage(options.FreshBlocks);
            imageName = options.Image is null ? "fresh" : "bytes";
            if (bytes.Length == 0 || bytes.Length % BlockSize != 0) throw new Rv6BootException($"{imageName}: not an xv6 image: {bytes.Length} bytes is not a whole number of {BlockSize}-byte blocks");
            Check(() => FsImage.Load(bytes, imageName));
            var mem = new MemoryBlockStore(BlockSize, bytes.Length / BlockSize);
            for (long b = 0; b < mem.BlockCount; b++) mem.Write(b, bytes.AsSpan((int)(b * BlockSize), BlockSize));
            store = mem;
        }

        var kernel = Microkernel.Boot(new MachineConfig { Cpus = 2, MemoryBytes = 32L << 20 }, new KernelOptions { ConfirmCollection = options.ConfirmCollection });
        try
        {
            var disk = kernel.Machine.Attach(new NvmeDevice("nvme0", store, 64));
            var uart = kernel.Machine.Attach(new Uart("console0"));
            if (options.ConsoleOut is { } o) uart.HostStream = o;
            Say($"rv6: machine: {kernel.Machine.Cpus.Count} cpus, disk nvme0 {store.BlockCount} blocks of {BlockSize} bytes ({imageName}), console0");

            Domain Start(string folder, string name, params object[] grants)
            {
                DomainImage image;
                try { image = TrustedCompiler.Default.CompileFolder(DomainTree.Folder(folder), name); }
                catch (DomainCompileException e) { throw new Rv6BootException($"rv6: domain {name} ({folder}) did not compile: {e.Message}", e); }
                try
                {
                    var d = kernel.Load(name, image, grants);
                    Say($"rv6: loaded {name} ({folder}), image verified, fingerprint {image.Signature?.Fingerprint[..16]}");
                    return d;
                }
                catch (DomainException e) { throw new Rv6BootException($"rv6: domain {name} did not start: {e.Message}", e); }
            }

            using (kernel.Enter())
            {
                var blk = Start("drivers/blk", "blk", disk);
                Domain? shadow = null;
                RestartCapability? blkRestart = null;
                if (options.BlockShadow)
                {
                    blkRestart = kernel.GrantRestart(blk);
                    shadow = Start("shadow/blk", "blk-shadow", blk.Export!, blkRestart);
                }
                var fs = Start("rv6/fs", "fs", (shadow ?? blk).Get<IBlockDevice>());
                var console = Start("drivers/console", "console", uart);
                var loader = new ProgramLoader(kernel, ProgramsFolder);
                var core = Start("rv6/core", "core", fs.Get<IFileSystem>(), console.Get<IConsole>(), loader, kernel.GrantRestart(fs));
                var sys = new Rv6System(kernel, uart, disk, store, loader, blk, fs, console, core, imageName) { BlkShadow = shadow, BlkRestart = blkRestart };
                sys.BootTime = sw.Elapsed;
                Say($"rv6: booted in {sw.Elapsed.TotalMilliseconds:F1} ms; programs: {string.Join(' ', loader.Programs())}");
                return sys;
            }
        }
        catch
        {
            kernel.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Reads an image's superblock and log before any domain sees it: a foreign or damaged image gets a clear error.</summary>
    private static void Check(Func<FsImage> read)
    {
        try { read(); }
        catch (Exception e) when (e is IOException or InvalidDataException) { throw new Rv6BootException($"not an xv6 image: {e.Message}", e); }
    }

    /// <summary>Runs one shell command line (`sh -c LINE`); its status and console output.</summary>
    public Rv6Run Run(string line) => RunArgv(line, "sh", "-c", line);

    /// <summary>Runs a program with arguments as a process on the console; its status and console output.</summary>
    public Rv6Run Exec(params string[] argv) => RunArgv(string.Join(' ', argv), argv);

    private Rv6Run RunArgv(string label, params string[] argv)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bytes = new List<byte>();
        foreach (var a in argv) { bytes.AddRange(Encoding.UTF8.GetBytes(a)); bytes.Add(0); }
        lock (_running)
        {
            long start = Console.BytesTransmitted;
            var sw = Stopwatch.StartNew();
            int status;
            using (Kernel.Enter())
            {
                var args = RRefArray<byte>.From(bytes.ToArray());
                try
                {
                    var r = _core.Run(in args);
                    if (!r.IsOk)
                    {
                        var why = Kernel.Domains.Where(d => d.LastCrash is not null).Select(d => $"{d.Name}: {d.LastCrash!.Reason}").LastOrDefault();
                        throw new Rv6BootException($"rv6: the core is not running ({r.Error}{(why is null ? "" : $"; last crash: {why}")}); boot again");
                    }
                    status = r.Value;
                }
                finally { args.Drop(); }
            }
            Console.HostStream?.Flush();
            return new Rv6Run(label, status, Console.OutputSince(start), sw.Elapsed);
        }
    }

    /// <summary>Processes alive now (per the core).</summary>
    public int ProcessCount()
    {
        using (Kernel.Enter()) return _core.ProcessCount() is { IsOk: true } r ? r.Value : -1;
    }

    /// <summary>The file system's counters (per the fs domain).</summary>
    public FsStats FsStatistics()
    {
        using (Kernel.Enter())
        {
            var r = _core.FsStatistics();
            return r.IsOk ? r.Value : default;
        }
    }

    /// <summary>The disk's bytes now (for fsck and tests; an image file is read through its store).</summary>
    public byte[] DiskImage()
    {
        var bytes = new byte[_store.BlockCount * _store.BlockSize];
        for (long b = 0; b < _store.BlockCount; b++) _store.Read(b, bytes.AsSpan((int)(b * _store.BlockSize), _store.BlockSize));
        return bytes;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Loader.UnloadAll();
        _store.Flush();   // before the machine goes (disposing it closes its devices' stores)
        Kernel.Dispose();
        _store.Dispose();
    }
}
