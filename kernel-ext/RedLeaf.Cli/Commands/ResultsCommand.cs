// kernel-ext/RedLeaf.Cli: `redleaf results table [--print] [--readme PATH]`: regenerates the results
// section of README.md (between <!-- results:begin --> and <!-- results:end -->) from the recorded
// runs in datasets/results/ and the paper's figures in datasets/reference/. --print writes the
// section to stdout instead and touches nothing.
using RedLeaf.Benchmarks.Results;
using RedLeaf.Measure.Results;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Cli.Commands;

internal static class ResultsCommand
{
    public const string Usage = "redleaf results table [--print] [--readme PATH]";

    public static int Run(Args args)
    {
        if (args.Words.Count < 2 || args.Words[1] != "table")
            throw new UsageException($"usage: {Usage}");
        bool print = args.Flag("--print");
        string readme = args.Option("--readme") ?? Path.Combine(DomainTree.Root, "README.md");
        args.RejectUnknown();

        string body = ResultsTable.Default.ToMarkdown();
        if (print)
        {
            Console.Out.Write(body);
            return 0;
        }
        string before = File.ReadAllText(readme);
        string after = ReadmeSection.Replace(before, body, readme);
        if (after == before)
        {
            Console.Error.WriteLine($"{readme}: results section already up to date");
            return 0;
        }
        File.WriteAllText(readme, after);
        Console.Error.WriteLine($"{readme}: results section regenerated");
        return 0;
    }
}
