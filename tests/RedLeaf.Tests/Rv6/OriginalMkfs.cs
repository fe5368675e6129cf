// tests/Rv6: xv6-riscv's own mkfs, built for the cross-check: mkfs/mkfs.c and the four kernel headers it
// includes are copied out of the read-only mirror with git into a temp folder and compiled with gcc
// (as xv6's Makefile does, plus -Werror); the folder is deleted when the test class is done. Nothing
// of xv6 is committed here.
using System.Diagnostics;

namespace RedLeaf.Tests.Rv6;

public sealed class OriginalMkfs : IDisposable
{
    private readonly string _dir;

    public OriginalMkfs()
    {
        string mirror = Rv6Fixtures.Xv6Mirror;
        _dir = Directory.CreateTempSubdirectory("redleaf-xv6mkfs-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(_dir, "kernel"));
        Directory.CreateDirectory(System.IO.Path.Combine(_dir, "mkfs"));
        foreach (var file in new[] { "kernel/types.h", "kernel/fs.h", "kernel/stat.h", "kernel/param.h", "mkfs/mkfs.c" })
            File.WriteAllText(System.IO.Path.Combine(_dir, file), Run("git", _dir, new[] { "--git-dir", mirror, "show", "HEAD:" + file }));
        Path = System.IO.Path.Combine(_dir, "mkfs", "mkfs");
        Run("gcc", _dir, new[] { "-Wall", "-Werror", "-I.", "-o", Path, "mkfs/mkfs.c" });
    }

    /// <summary>The built executable.</summary>
    public string Path { get; }

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Runs a program, returning its stdout; a failure to start or a non-zero exit throws, naming it.</summary>
    internal static string Run(string program, string cwd, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"cannot run {program} ({e.Message}); the xv6 cross-check needs git and gcc (Debian packages git, gcc)", e); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException($"{program} ran over a minute"); }
            if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
    }
}
