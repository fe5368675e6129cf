// kernel-ext/RedLeaf.Cli: `redleaf help` prints the commands (CommandTable); `redleaf help table [--print]
// [--readme PATH]` regenerates README.md's command table (between <!-- commands:begin --> and
// <!-- commands:end -->) from the same rows, as `redleaf results table` does the results section.
using RedLeaf.Benchmarks.Results;
using RedLeaf.Measure.Results;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Cli.Commands;

internal static class HelpCommand
{
    public const string Usage = "redleaf help [table [--print] [--readme PATH]]";

    public static int Run(Args args)
    {
        args.Flag("--help"); // `redleaf --help` comes here too
        if (args.Words.Count < 2)
        {
            args.RejectUnknown(); // --print and --readme are for `help table`
            Console.Out.Write(CommandTable.ToHelp());
            return 0;
        }
        if (args.Words.Count != 2 || args.Words[1] != "table")
            throw new UsageException($"usage: {Usage}");
        bool toStdout = args.Flag("--print");
        string readme = args.Option("--readme") ?? Path.Combine(DomainTree.Root, "README.md");
        args.RejectUnknown();

        string body = CommandTable.ToMarkdown();
        if (toStdout)
        {
            Console.Out.Write(body);
            return 0;
        }
        string before = File.ReadAllText(readme);
        string after = ReadmeSection.Replace(before, body, readme, CommandTable.Section);
        if (after == before)
        {
            Console.Error.WriteLine($"{readme}: command table already up to date");
            return 0;
        }
        File.WriteAllText(readme, after);
        Console.Error.WriteLine($"{readme}: command table regenerated");
        return 0;
    }
}
