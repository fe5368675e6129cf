// kernel-ext/RedLeaf.Cli: `redleaf rv6 [--image IMAGE] [-c LINE]`: boots the machine, the microkernel
// and rv6 (the boot log goes to stderr), then runs LINE with rv6's shell (`sh -c LINE`), programs'
// console output going to stdout byte for byte; without -c, runs init (which runs the shell) on the
// console, fed from stdin until it ends. Without --image, a fresh in-memory image each run; with it,
// rv6 reads and writes that xv6 image file. Exit: the shell's status (0-255); 1 if rv6 could not boot.
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Cli.Commands;

internal static class Rv6Command
{
    public const string Usage = "redleaf rv6 [--image IMAGE] [-c \"command line\"]";

    public static int Run(Args args)
    {
        string? image = args.Option("--image");
        string? line = args.Option("-c");
        bool quiet = args.Flag("--quiet");
        args.RejectUnknown();
        if (args.Words.Count != 1) throw new UsageException($"usage: {Usage}");

        using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        Rv6System rv6;
        try
        {
            rv6 = Rv6System.Boot(new Rv6Options
            {
                ImagePath = image,
                ConsoleOut = stdout,
                Progress = quiet ? null : s => Console.Error.WriteLine(s),
            });
        }
        catch (Rv6BootException e)
        {
            Console.Error.WriteLine($"redleaf rv6: {e.Message}");
            return 1;
        }
        using (rv6)
        {
            Rv6Run run;
            if (line is not null)
            {
                run = rv6.Run(line);
            }
            else
            {
                var feeder = new Thread(() => Feed(rv6)) { IsBackground = true, Name = "console input" };
                feeder.Start();
                run = rv6.Loader.Programs().Contains("init") ? rv6.Exec("init") : rv6.Exec("sh");
            }
            stdout.Flush();
            if (!quiet) Console.Error.WriteLine($"rv6: '{run.Command}' exited with status {run.Status} after {run.Elapsed.TotalMilliseconds:F1} ms");
            return run.Status & 0xff;
        }
    }

    /// <summary>Types stdin at the console; ^D when it ends (xv6's end of input).</summary>
    private static void Feed(Rv6System rv6)
    {
        using var stdin = Console.OpenStandardInput();
        var buffer = new byte[4096];
        int n;
        while ((n = stdin.Read(buffer)) > 0) rv6.Console.Type(buffer.AsSpan(0, n));
        rv6.Console.Type(new byte[] { 0x04 });
    }
}
