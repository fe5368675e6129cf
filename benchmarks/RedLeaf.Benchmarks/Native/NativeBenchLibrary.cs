// benchmarks/RedLeaf.Benchmarks/Native: the managed door to native/libredleafbench.so, the C side of the baselines (built by
// gcc at build time from this folder's C files: langtax.c, futex.c, nullnet.c, maglev.c, kv.c and nic_driver.h; see
// RedLeaf.Benchmarks.csproj). Loaded once with NativeLibrary from beside the assemblies; each export becomes an
// unmanaged function pointer. If the library is missing the error says where it looked and how it is made.
using System.Runtime.InteropServices;

namespace RedLeaf.Benchmarks.Native;

public static unsafe class NativeBenchLibrary
{
    public const string FileName = "libredleafbench.so";
    public const string EchoFileName = "pipe_echo";

    static readonly Lazy<IntPtr> s_handle = new(Load);

    /// <summary>The folder holding the native baselines: native/ beside this assembly (which, inside a
    /// notebook host, is not the host's own folder), else beside the application.</summary>
    public static string Folder
    {
        get
        {
            string? here = Path.GetDirectoryName(typeof(NativeBenchLibrary).Assembly.Location);
            string beside = Path.Combine(here ?? "", "native");
            return !string.IsNullOrEmpty(here) && Directory.Exists(beside) ? beside : Path.Combine(AppContext.BaseDirectory, "native");
        }
    }

    /// <summary>Path of the pipe-pingpong child program.</summary>
    public static string EchoPath => Require(Path.Combine(Folder, EchoFileName));

    /// <summary>Path of procbench, Linux's fork, fork+exec and pipe baselines for `bench rv6` (Native/procbench.c).</summary>
    public static string ProcBenchPath => Require(Path.Combine(Folder, "procbench"));

    /// <summary>Path of the static binary procbench's fork+exec baseline execs (Native/true_static.c).</summary>
    public static string TrueStaticPath => Require(Path.Combine(Folder, "true_static"));

    /// <summary>"gcc 12.2.0" or similar: __VERSION__ of the compiler that built the library.</summary>
    public static string Compiler => Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)Export("rl_compiler"))())!;

    /// <summary>The flags the library was compiled with, as the build passed them.</summary>
    public static string CFlags => Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)Export("rl_cflags"))())!;

    /// <summary>The address of an exported function; throws naming it if absent.</summary>
    public static IntPtr Export(string name) =>
        NativeLibrary.TryGetExport(s_handle.Value, name, out var p) ? p
            : throw new EntryPointNotFoundException($"{FileName} has no export {name}; rebuild benchmarks/RedLeaf.Benchmarks");

    static IntPtr Load()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new PlatformNotSupportedException($"the native baselines are built for x86-64 Linux (this is {RuntimeInformation.RuntimeIdentifier})");
        return NativeLibrary.Load(Require(Path.Combine(Folder, FileName)));
    }

    static string Require(string path) => File.Exists(path) ? path
        : throw new FileNotFoundException($"{path} is missing: it is built by gcc when benchmarks/RedLeaf.Benchmarks builds (target BuildNativeBench) and copied beside the assemblies", path);
}
