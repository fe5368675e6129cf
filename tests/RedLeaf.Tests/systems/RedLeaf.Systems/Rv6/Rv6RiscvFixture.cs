// tests/systems/RedLeaf.Systems/Rv6: one rv6 booted for the RISC-V tests, from an image holding the test programs
// (domains/rv6/cuser, built with riscv64-linux-gnu-gcc) and damaged executables.
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Tests.Riscv;

public sealed class Rv6RiscvFixture : IDisposable
{
    public Rv6RiscvFixture()
    {
        var hello = RiscvPrograms.Build()["hello"];
        Rv6 = Rv6System.Boot(new Rv6Options { Image = RiscvPrograms.Image(extra: BadElves(hello)), ConfirmCollection = false });
    }

    public Rv6System Rv6 { get; }

    /// <summary>Executables that exec must refuse with a reason: (name, bytes, what the message says).</summary>
    public static readonly (string Name, string Reason)[] Bad =
    {
        ("badmagic", "not an ELF file"),
        ("badmachine", "not a RISC-V executable"),
        ("badsegment", "lies outside the file"),
        ("badheader", "truncated ELF header"),
        ("manyheaders", "65 program headers (at most 64)"),
    };

    private static IEnumerable<(string, byte[])> BadElves(byte[] hello)
    {
        var magic = (byte[])hello.Clone();
        magic[1] = (byte)'X';
        // badmagic is not an ELF at all, so the core runs no interpreter for it: see the test.
        yield return ("badmagic", magic);
        var machine = (byte[])hello.Clone();
        machine[18] = 62; // EM_X86_64
        yield return ("badmachine", machine);
        var segment = (byte[])hello.Clone();
        ulong phoff = BitConverter.ToUInt64(segment, 32);
        int load = (int)phoff;
        while (BitConverter.ToUInt32(segment, load) != 1) load += 56;           // the first PT_LOAD
        BitConverter.GetBytes((ulong)segment.Length).CopyTo(segment, load + 8);   // its file offset: the end of the file
        yield return ("badsegment", segment);
        yield return ("badheader", hello[..20]);
        // 65 program headers: hello's own, then PT_NULLs, the table moved to the end of the file.
        var many = new byte[hello.Length + 65 * 56];
        hello.CopyTo(many, 0);
        ulong oldoff = BitConverter.ToUInt64(hello, 32);
        int oldnum = BitConverter.ToUInt16(hello, 56);
        Array.Copy(hello, (int)oldoff, many, hello.Length, oldnum * 56);
        BitConverter.GetBytes((ulong)hello.Length).CopyTo(many, 32);
        BitConverter.GetBytes((ushort)65).CopyTo(many, 56);
        yield return ("manyheaders", many);
    }

    public void Dispose() => Rv6.Dispose();
}
