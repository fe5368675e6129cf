// tests/machine/Riscv: assembles RISC-V snippets for the interpreter's tests with Debian's cross toolchain
// (gcc-riscv64-linux-gnu, which brings binutils): the text section as raw bytes linked at address 0,
// with or without the compressed extension. A missing toolchain fails the test, naming the package.
using System.Diagnostics;

namespace RedLeaf.Tests.Riscv;

internal static class RiscvAsm
{
    public static byte[] Assemble(string source, bool compressed)
    {
        string dir = Directory.CreateTempSubdirectory("redleaf-rvasm-").FullName;
        try
        {
            string s = Path.Combine(dir, "t.S"), elf = Path.Combine(dir, "t.elf"), bin = Path.Combine(dir, "t.bin");
            File.WriteAllText(s, ".text\n.globl _start\n_start:\n" + source + "\n");
            Run("riscv64-linux-gnu-gcc", $"-march={(compressed ? "rv64imc" : "rv64im")}", "-mabi=lp64", "-nostdlib", "-static",
                "-Wl,-Ttext=0", "-Wl,--no-relax", "-Wl,--build-id=none", "-o", elf, s);
            Run("riscv64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", elf, bin);
            return File.ReadAllBytes(bin);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} not found: install the Debian package gcc-riscv64-linux-gnu (bash .ci/setup does): {e.Message}");
        }
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {err}");
    }
}
