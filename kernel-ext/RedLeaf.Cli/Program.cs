// kernel-ext/RedLeaf.Cli: the `redleaf` tool's entry: dispatch to a command, turn usage errors into
// a message and exit code 2, anything else into a message and exit code 1.
using RedLeaf.Cli;
using RedLeaf.Cli.Commands;

var valued = new HashSet<string> { "--json", "--out", "--image", "-c", "--timeout", "--readme", "--interfaces", "--child", "--notebook-timeout", "--memory", "-f", "--seconds", "--rates", "--source", "--jobs", "--csv", "--gradescope", "--feedback", "--release", "--assignment", "--repo", "--commit" };
try
{
    var cli = new Args(args, valued, new HashSet<string> { "-p" });
    return cli.Words.FirstOrDefault() switch
    {
        "bench" => BenchCommand.Run(cli),
        "demo" => DemoCommand.Run(cli),
        "verify" => VerifyCommand.Run(cli),
        "run" => RunCommand.Run(cli),
        "grade" => GradeCommand.Run(cli),
        "assign" => AssignCommand.Run(cli),
        "autograder" => AutograderCommand.Run(cli),
        "results" => ResultsCommand.Run(cli),
        "mkfs" => MkfsCommand.Run(cli),
        "fsck" => FsckCommand.Run(cli),
        "fsls" => FslsCommand.Run(cli),
        "fscat" => FscatCommand.Run(cli),
        "rv6" => Rv6Command.Run(cli),
        "riscv" => RiscvCommand.Run(cli),
        null or "help" => HelpCommand.Run(cli),
        var other => throw new UsageException($"unknown command '{other}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"redleaf: {e.Message}");
    Console.Error.WriteLine("run 'redleaf help' for the commands");
    return 2;
}
catch (Exception e) when (e is RedLeaf.Os.DomainException or RedLeaf.Os.Compiler.DomainCompileException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"redleaf: {e.Message}");
    return 1;
}
