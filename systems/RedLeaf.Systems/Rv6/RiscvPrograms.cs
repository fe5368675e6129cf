// systems/RedLeaf.Systems/Rv6: builds rv6's RISC-V test programs (domains/rv6/cuser: the C library, system-call
// stubs, linker script and programs) with Debian's cross compiler, riscv64-linux-gnu-gcc
// (package gcc-riscv64-linux-gnu), as RV64IMC at -O2 without any C library of the host. The ELF files
// are cached by a hash of the sources ($REDLEAF_CACHE_DIR or ~/.cache/redleaf, under riscv/), and can
// be put into an xv6 image (Image) for rv6 to run. A missing compiler is an error naming the package.
// tcb: outside (it runs a cross compiler over rv6's C programs, which become untrusted RISC-V code run by
// rv6's interpreter domain; nothing it does reaches the kernel or a domain's memory)
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using RedLeaf.Os.Compiler;
using RedLeaf.Xv6;

namespace RedLeaf.Systems.Rv6;

public static class RiscvPrograms
{
    public const string Compiler = "riscv64-linux-gnu-gcc";
    public const string Package = "gcc-riscv64-linux-gnu";

    /// <summary>The flags every program is built with (the issue's: RV64IMC, lp64, no host C library).</summary>
    public static readonly string[] Flags =
    {
        "-march=rv64imc", "-mabi=lp64", "-nostdlib", "-static", "-fno-pie", "-no-pie", "-O2", "-ffreestanding", "-fno-builtin",
        "-fno-asynchronous-unwind-tables", "-fno-stack-protector", "-Wall", "-Werror",
        "-Wl,--no-relax", "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096",
    };

    /// <summary>A line near the top of a program's source that links it with writable text (`ld -N`: one RWX
    /// segment, as xv6 links its forktest).</summary>
    public const string RwxMarker = "// link: rwx";

    /// <summary>domains/rv6/cuser.</summary>
    public static string SourceFolder => DomainTree.Folder("rv6/cuser");

    /// <summary>Program names: progs/*.c.</summary>
    public static IReadOnlyList<string> Names() =>
        Directory.GetFiles(Path.Combine(SourceFolder, "progs"), "*.c").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();

    private static readonly object Gate = new();

    /// <summary>Every program, compiled (or from the cache): name to ELF bytes.</summary>
    public static IReadOnlyDictionary<string, byte[]> Build()
    {
        lock (Gate)
        {
            string dir = CacheFolder();
            var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var name in Names())
            {
                string elf = Path.Combine(dir, name);
                if (!File.Exists(elf)) Compile(name, elf);
                result[name] = File.ReadAllBytes(elf);
            }
            return result;
        }
    }

    /// <summary>Writes every program into <paramref name="folder"/> (for `redleaf mkfs`); their paths.</summary>
    public static IReadOnlyList<string> BuildInto(string folder)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var (name, bytes) in Build())
        {
            var p = Path.Combine(folder, name);
            File.WriteAllBytes(p, bytes);
            paths.Add(p);
        }
        return paths;
    }

    /// <summary>An xv6 image holding a README and every program (plus <paramref name="extra"/> files) in its root.</summary>
    public static byte[] Image(uint blocks = 4000, IEnumerable<(string Name, byte[] Bytes)>? extra = null)
    {
        var nodes = new List<MkfsNode> { MkfsNode.File("README", Encoding.ASCII.GetBytes("rv6 with RISC-V programs (domains/rv6/cuser)\n")) };
        foreach (var (name, bytes) in Build()) nodes.Add(MkfsNode.File(name, bytes));
        if (extra is not null) foreach (var (name, bytes) in extra) nodes.Add(MkfsNode.File(name, bytes));
        return Mkfs.Build(nodes, new MkfsOptions(Size: blocks));
    }

    private static string CacheFolder()
    {
        using var sha = SHA256.Create();
        var files = Directory.GetFiles(SourceFolder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md")).Order(StringComparer.Ordinal);
        var all = new StringBuilder(string.Join(' ', Flags));
        foreach (var f in files) all.Append('\0').Append(Path.GetRelativePath(SourceFolder, f)).Append('\0').Append(File.ReadAllText(f));
        string hash = Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(all.ToString())))[..16].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable("REDLEAF_CACHE_DIR") is { Length: > 0 } c && c != "off"
            ? c : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "redleaf");
        string dir = Path.Combine(root, "riscv", hash);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Compile(string name, string output)
    {
        string lib = Path.Combine(SourceFolder, "lib");
        string source = Path.Combine(SourceFolder, "progs", name + ".c");
        var args = new List<string>(Flags) { "-I" + lib, "-T", Path.Combine(lib, "riscv.ld"), "-o", output + ".tmp",
            Path.Combine(lib, "start.S"), Path.Combine(lib, "usys.S"), Path.Combine(lib, "ulib.c"), source };
        if (File.ReadLines(source).Take(12).Any(l => l.Trim() == RwxMarker)) args.Insert(0, "-Wl,-N");
        var psi = new ProcessStartInfo(Compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi) ?? throw new InvalidOperationException("no process"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Compiler} not found ({e.Message}): install the Debian package {Package} (bash .ci/setup does)", e);
        }
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Compiler} failed on {name}.c (exit {p.ExitCode}):\n{err}");
        File.Move(output + ".tmp", output, overwrite: true);
    }
}
