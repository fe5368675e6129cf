// kernel-ext/RedLeaf.Cli: `redleaf riscv build DIR` builds rv6's RISC-V programs (domains/rv6/cuser)
// with riscv64-linux-gnu-gcc into DIR, ready for `redleaf mkfs IMAGE DIR` and `redleaf rv6 --image`.
// A missing cross compiler is a message naming its Debian package, and exit 1.
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Cli.Commands;

internal static class RiscvCommand
{
    public const string Usage = "redleaf riscv build DIR";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var words = args.Words.Skip(1).ToList();
        if (words.Count != 2 || words[0] != "build") throw new UsageException($"usage: {Usage}");
        try
        {
            foreach (var p in RiscvPrograms.BuildInto(words[1])) Console.Out.WriteLine(p);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"redleaf: {e.Message}");
            return 1;
        }
    }
}
