// benchmarks/RedLeaf.Benchmarks/Tcb: what this system trusts, counted from its own source tree: every folder of the repository
// with its role (trusted: the machine, the OS and the systems tier that assembles systems with the
// kernel's authority, whose bugs break isolation; untrusted: domains, held by the compiler and loader;
// tools: host tools, measurement, notebooks, CLI, tests and benchmarks, which only drive and show),
// with files and non-blank lines of C#, C and assembly; plus the size of the third-party binaries the
// trusted part rests on (the .NET runtime, Roslyn). The lecture's question: what must be correct for
// isolation to hold, compared with hardware isolation?
using System.Reflection;
using System.Runtime.InteropServices;

namespace RedLeaf.Benchmarks.Tcb;

public enum TcbRole { Trusted, Untrusted, Tools }

public sealed record TcbPart(string Folder, TcbRole Role, string What, int Files, int Lines);

public sealed record TcbBinary(string Name, string What, long Bytes);

public static class TrustedBase
{
    /// <summary>Folders and their roles, in the order the architecture lists them.</summary>
    public static readonly IReadOnlyList<(string Folder, TcbRole Role, string What)> Parts = new[]
    {
        ("machine", TcbRole.Trusted, "the emulated hardware: CPUs, memory, clock, devices"),
        ("os/abi", TcbRole.Trusted, "RRef, RpcResult and the checks behind them (the only part domains see)"),
        ("os/kernel", TcbRole.Trusted, "microkernel: shared heap, domain table, loader, signature checks, proxy runtime, threads, devices"),
        ("os/compiler", TcbRole.Trusted, "trusted compiler: Roslyn build, instrumenter, IL gate, signing, image cache"),
        ("os/idl", TcbRole.Trusted, "the IDL compiler (generates the proxies)"),
        ("systems", TcbRole.Trusted, "assembles systems with the kernel's authority: the IDL's generated proxies, rv6's boot, the program loader, driver stacks"),
        ("domains", TcbRole.Untrusted, "domains and the interface definitions"),
        ("tools", TcbRole.Tools, "host tools for xv6 disk images (mkfs, fsck)"),
        ("measure", TcbRole.Tools, "the measuring library"),
        ("benchmarks", TcbRole.Tools, "benchmark suites"),
        ("kernel-ext", TcbRole.Tools, "notebook extension, runner, CLI"),
        ("tests", TcbRole.Tools, "tests"),
    };

    /// <summary>A file in a trusted folder that is not trusted says so, and why, in its opening comment (its
    /// first 12 lines) with this marker, e.g. "// tcb: outside (builds untrusted RISC-V programs with gcc;
    /// nothing it does reaches the kernel)". It is then counted with the tools.</summary>
    public const string OutsideMarker = "tcb: outside";
    private static readonly string[] SourceExtensions = { ".cs", ".c", ".h", ".S", ".s" };

    /// <summary>Counts the parts under <paramref name="root"/> (the repository), skipping build output. Files of
    /// a trusted part marked outside the TCB (OutsideMarker) are counted in a row of their own, "FOLDER
    /// (outside the TCB)", with the tools.</summary>
    public static IReadOnlyList<TcbPart> Count(string root)
    {
        var parts = new List<TcbPart>();
        foreach (var p in Parts)
        {
            string dir = Path.Combine(root, p.Folder);
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"no folder {p.Folder} under {root}");
            var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => SourceExtensions.Contains(Path.GetExtension(f)))
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .ToList();
            var outside = p.Role == TcbRole.Trusted
                ? files.Where(f => File.ReadLines(f).Take(12).Any(l => l.Contains(OutsideMarker, StringComparison.Ordinal))).ToList()
                : new List<string>();
            int Lines(IEnumerable<string> fs) => fs.Sum(f => File.ReadLines(f).Count(l => !string.IsNullOrWhiteSpace(l)));
            var inside = files.Except(outside).ToList();
            parts.Add(new TcbPart(p.Folder, p.Role, p.What, inside.Count, Lines(inside)));
            if (outside.Count > 0)
                parts.Add(new TcbPart(p.Folder + " (outside the TCB)", TcbRole.Tools, "files that say why they are not trusted", outside.Count, Lines(outside)));
        }
        return parts;
    }

    /// <summary>The third-party binaries the trusted part runs on or with, as loaded in this process.</summary>
    public static IReadOnlyList<TcbBinary> Binaries()
    {
        var list = new List<TcbBinary>();
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        void Add(string path, string what)
        {
            if (File.Exists(path)) list.Add(new TcbBinary(Path.GetFileName(path), what, new FileInfo(path).Length));
        }
        Add(Path.Combine(runtimeDir, "libcoreclr.so"), ".NET runtime: JIT, GC, type loader (native)");
        Add(Path.Combine(runtimeDir, "libclrjit.so"), ".NET JIT compiler (native)");
        Add(typeof(object).Assembly.Location, ".NET core library (System.Private.CoreLib)");
        foreach (var name in new[] { "Microsoft.CodeAnalysis", "Microsoft.CodeAnalysis.CSharp" })
        {
            var asm = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name);
            asm ??= TryLoad(name);
            if (asm is not null) Add(asm.Location, "Roslyn, the C# compiler the trusted compiler runs");
        }
        return list;
    }

    private static Assembly? TryLoad(string name)
    {
        try { return Assembly.Load(name); }
        catch (IOException) { return null; }
    }
}
