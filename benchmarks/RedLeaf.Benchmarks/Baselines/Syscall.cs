// benchmarks/RedLeaf.Benchmarks/Baselines: the cheapest hardware-isolation crossing there is, one trivial Linux system call
// (getppid: no arguments, no work, never cached by glibc), for the `syscall` row of Table 1. Called
// from trusted bench code through P/Invoke into glibc. The P/Invoke is SuppressGCTransition, so what
// is timed is glibc's wrapper plus the kernel entry and exit (with this kernel's mitigations, e.g.
// page-table isolation), not the runtime's managed-to-native transition.
using System.Runtime.InteropServices;

namespace RedLeaf.Benchmarks.Baselines;

public static class Syscall
{
    /// <summary>One getppid(2) system call.</summary>
    public static int GetParentPid() => getppid();

    /// <summary>The kernel's speculative-execution mitigations (/sys/devices/system/cpu/vulnerabilities),
    /// those other than "Not affected", as "name: state; ..."; they set much of a syscall's cost.</summary>
    public static string Mitigations()
    {
        const string dir = "/sys/devices/system/cpu/vulnerabilities";
        if (!Directory.Exists(dir)) return "unknown (no " + dir + ")";
        var active = Directory.GetFiles(dir).Order(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetFileName(f), State: TryRead(f)))
            .Where(x => x.State is not null && x.State != "Not affected")
            .Select(x => $"{x.Name}: {x.State}");
        return string.Join("; ", active);
    }

    static string? TryRead(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    [DllImport("libc", EntryPoint = "getppid"), SuppressGCTransition]
    private static extern int getppid();
}
