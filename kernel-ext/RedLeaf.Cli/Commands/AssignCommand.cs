// kernel-ext/RedLeaf.Cli: `redleaf assign [SOURCE] [--release DIR] [--check]`: nbgrader's
// generate_assignment for our handouts: every source/<assignment>/<notebook>.ipynb is checked (nbgrader
// metadata, solution cells are #!domain/#!idl/#!rv6 cells, markers balanced), its metadata stamped
// (schema version 3, checksums), and its release written to release/<assignment>/<notebook>.ipynb
// (stubs for solutions, no hidden tests, locked cells undeletable and uneditable, no outputs). Defaults:
// notebooks/handouts/source and the release/ folder beside it. --check writes nothing and exits 1 if
// a source or a release is out of date (CI's check that the committed release matches its source).
using System.Text.Json;
using System.Text.Json.Nodes;
using RedLeaf.Runner.Grading;

namespace RedLeaf.Cli.Commands;

internal static class AssignCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(Args args)
    {
        string source = args.Words.Skip(1).FirstOrDefault() ?? Path.Combine(RedLeaf.Os.Compiler.DomainTree.Root, "notebooks", "handouts", "source");
        string release = args.Option("--release") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source).TrimEnd('/'))!, "release");
        bool check = args.Flag("--check");
        args.RejectUnknown();
        if (!Directory.Exists(source)) throw new UsageException($"no assignment sources at {source}");
        int stale = 0, count = 0;
        foreach (var file in Directory.GetFiles(source, "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parts = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar);
            if (parts.Length != 2) throw new InvalidDataException($"{file}: sources are laid out as <assignment>/<notebook>.ipynb");
            var nb = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new InvalidDataException($"{file}: not a notebook");
            bool changed = Assignment.Normalize(nb, file);
            string releasePath = Path.Combine(release, parts[0], parts[1]);
            string released = Assignment.Release(nb, file).ToJsonString(Indented) + "\n";
            bool releaseStale = !File.Exists(releasePath) || File.ReadAllText(releasePath) != released;
            count++;
            if (check)
            {
                if (changed) Console.Out.WriteLine($"stale  {file}: its nbgrader metadata or checksums are out of date");
                if (releaseStale) Console.Out.WriteLine($"stale  {releasePath}: not what ./redleaf assign makes of its source");
                if (changed || releaseStale) stale++;
                continue;
            }
            if (changed) File.WriteAllText(file, nb.ToJsonString(Indented) + "\n");
            Directory.CreateDirectory(Path.GetDirectoryName(releasePath)!);
            if (releaseStale) File.WriteAllText(releasePath, released);
            Console.Out.WriteLine($"{(releaseStale ? "wrote" : "same ")}  {releasePath}");
        }
        if (count == 0) throw new UsageException($"no source notebooks in {source}");
        if (check) Console.Out.WriteLine(stale == 0 ? $"all {count} releases match their sources" : $"{stale} of {count} out of date: run ./redleaf assign");
        return stale == 0 ? 0 : 1;
    }
}
