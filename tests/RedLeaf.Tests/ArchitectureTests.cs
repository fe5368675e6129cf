// tests/ (the repository as a whole): the tiers, pinned. The root README's tier table (between
// <!-- tiers:begin --> and <!-- tiers:end -->) says which tier may use which; these tests read it, every
// project's references (analyzer references included) and every built assembly's references, followed
// transitively, and fail on an arrow the table does not allow. They also check what the table alone
// cannot say: the kernel assembly reaches no Roslyn, nothing outside kernel-ext/ (tests aside) references
// a front end, there is no loop between top-level folders, and the tests mirror the source folders.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests;

[Trait("suite", "architecture")]
public class ArchitectureTests
{
    /// <summary>One row of the README's tier table.</summary>
    public sealed record Tier(string Name, string Folder, IReadOnlyList<string> Projects, IReadOnlySet<string> MayUse);

    /// <summary>A project of the repository: its file name (without .csproj), the assembly it builds,
    /// its folder relative to the root, the projects it references (by file name; BuildOnly: those it
    /// runs as an analyzer or builds first without referencing their assembly) and its packages.</summary>
    public sealed record Project(string Name, string Assembly, string Folder, IReadOnlyList<string> References, IReadOnlySet<string> BuildOnly, IReadOnlyList<string> Packages);

    private static readonly string Root = DomainTree.Root;

    public static IReadOnlyList<Tier> ReadTable(string readme)
    {
        const string begin = "<!-- tiers:begin -->", end = "<!-- tiers:end -->";
        int b = readme.IndexOf(begin, StringComparison.Ordinal), e = readme.IndexOf(end, StringComparison.Ordinal);
        if (b < 0 || e < b) throw new InvalidDataException($"README.md has no tier table between '{begin}' and '{end}'");
        var rows = readme[(b + begin.Length)..e].Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|')).Skip(2).ToList();
        var tiers = new List<Tier>();
        foreach (var row in rows)
        {
            var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 4) throw new InvalidDataException($"README.md tier table: a row does not have 4 cells: {row}");
            static string[] List(string cell) => cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var mayUse = List(cells[3]).ToHashSet(StringComparer.Ordinal);
            foreach (var used in mayUse)
                if (!tiers.Any(t => t.Name == used))
                    throw new InvalidDataException($"README.md tier table: tier '{cells[0]}' may use '{used}', which is not a tier above it in the table (a tier uses only tiers above it, so there is no loop)");
            tiers.Add(new Tier(cells[0], cells[1].Trim('`').TrimEnd('/'), List(cells[2]), mayUse));
        }
        return tiers;
    }

    public static IReadOnlyList<Project> ReadProjects(string root)
    {
        var skip = new[] { "bin", "obj", "artifacts", ".tools", ".git", "node_modules" };
        return Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).Split(Path.DirectorySeparatorChar).Any(skip.Contains))
            .Select(path =>
            {
                var xml = XDocument.Load(path);
                string name = Path.GetFileNameWithoutExtension(path);
                string assembly = xml.Descendants("AssemblyName").FirstOrDefault()?.Value ?? name;
                static string NameOf(XElement r) => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'));
                var refs = xml.Descendants("ProjectReference").Select(NameOf).ToList();
                var buildOnly = xml.Descendants("ProjectReference").Where(r => (string?)r.Attribute("ReferenceOutputAssembly") == "false").Select(NameOf).ToHashSet();
                var packages = xml.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToList();
                return new Project(name, assembly, Path.GetRelativePath(root, Path.GetDirectoryName(path)!).Replace('\\', '/'), refs, buildOnly, packages);
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every arrow (from project, to project) not allowed by the table: a project may use the
    /// projects of its own tier and of the tiers its row names.</summary>
    public static IEnumerable<string> Violations(IReadOnlyList<Tier> tiers, IEnumerable<(string From, string To)> arrows, string how)
    {
        Tier TierOf(string project) => tiers.SingleOrDefault(t => t.Projects.Contains(project))
            ?? throw new Xunit.Sdk.XunitException($"project {project} is in no tier of README.md's tier table; add it to the row of the tier it belongs to");
        foreach (var (from, to) in arrows)
        {
            var a = TierOf(from);
            var b = TierOf(to);
            if (a != b && !a.MayUse.Contains(b.Name))
                yield return $"{from} ({a.Name}) -> {to} ({b.Name}) by {how}: README.md's tier table lets {a.Name} use {(a.MayUse.Count == 0 ? "nothing" : string.Join(", ", a.MayUse))}";
        }
    }

    private static IReadOnlyList<Tier> Tiers => ReadTable(File.ReadAllText(Path.Combine(Root, "README.md")));

    [Fact]
    public void EveryProjectIsInOneTierAndSitsInItsTiersFolder()
    {
        var tiers = Tiers;
        var projects = ReadProjects(Root);
        Assert.NotEmpty(projects);
        foreach (var p in projects)
        {
            var tier = Assert.Single(tiers, t => t.Projects.Contains(p.Name));
            Assert.True(p.Folder == tier.Folder || p.Folder.StartsWith(tier.Folder + "/", StringComparison.Ordinal),
                $"{p.Name} is in {p.Folder}, outside its tier's folder {tier.Folder}/");
        }
        foreach (var name in tiers.SelectMany(t => t.Projects))
            Assert.True(projects.Any(p => p.Name == name), $"README.md's tier table names a project {name} that does not exist");
    }

    [Fact]
    public void EveryProjectReferenceIsAnArrowTheTableAllows()
    {
        var arrows = ReadProjects(Root).SelectMany(p => p.References.Select(r => (p.Name, r)));
        var bad = Violations(Tiers, arrows, "project reference").ToList();
        Assert.True(bad.Count == 0, "arrows against the tier table:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void AnArrowAgainstTheTableIsReported()
    {
        // The rule can fail: the measuring library reaching into the kernel, or the kernel into the compiler.
        var tiers = Tiers;
        var bad = Violations(tiers, new[] { ("RedLeaf.Measure", "RedLeaf.Os"), ("RedLeaf.Os", "RedLeaf.Compiler"), ("RedLeaf.Systems", "RedLeaf.Proxies") }, "test").ToList();
        Assert.Equal(2, bad.Count);
        Assert.Contains("RedLeaf.Measure (measure) -> RedLeaf.Os (kernel) by test: README.md's tier table lets measure use machine", bad);
        Assert.Contains(bad, b => b.StartsWith("RedLeaf.Os (kernel) -> RedLeaf.Compiler (compiler)", StringComparison.Ordinal));
        var loop = Assert.Throws<InvalidDataException>(() => ReadTable("<!-- tiers:begin -->\n| tier | folder | projects | may use |\n|---|---|---|---|\n| a | `a/` | A | b |\n| b | `b/` | B | a |\n<!-- tiers:end -->"));
        Assert.Contains("tier 'a' may use 'b', which is not a tier above it", loop.Message);
    }

    [Fact]
    public void EveryBuiltAssemblyReachesOnlyWhatItsTierMayUse()
    {
        var tiers = Tiers;
        var projects = ReadProjects(Root);
        var byAssembly = projects.ToDictionary(p => p.Assembly, StringComparer.Ordinal);
        var arrows = new List<(string, string)>();
        foreach (var p in projects.Where(p => p.Name != "RedLeaf.Tests"))
        {
            // Transitive: every RedLeaf assembly reachable from this one's metadata.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>(References(BuiltAssembly(p)));
            while (queue.Count > 0)
            {
                string name = queue.Dequeue();
                if (!byAssembly.TryGetValue(name, out var target) || !seen.Add(name)) continue;
                arrows.Add((p.Name, target.Name));
                foreach (var next in References(BuiltAssembly(target))) queue.Enqueue(next);
            }
        }
        Assert.NotEmpty(arrows);
        var bad = Violations(tiers, arrows, "assembly reference (direct or transitive)").Distinct().ToList();
        Assert.True(bad.Count == 0, "built assemblies reaching past their tier:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void TheKernelAssemblyReachesNoRoslyn()
    {
        var projects = ReadProjects(Root);
        var kernel = projects.Single(p => p.Name == "RedLeaf.Os");
        // Its built assembly, followed through every reference this process can resolve.
        var dirs = new[] { AppContext.BaseDirectory, RuntimeEnvironment.GetRuntimeDirectory() };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(References(BuiltAssembly(kernel)));
        while (queue.Count > 0)
        {
            string name = queue.Dequeue();
            if (!seen.Add(name)) continue;
            Assert.False(name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name is "RedLeaf.Compiler" or "RedLeaf.Idl",
                $"the kernel assembly reaches {name} (through its references: {string.Join(", ", seen.Order())})");
            if (dirs.Select(d => Path.Combine(d, name + ".dll")).FirstOrDefault(File.Exists) is { } file)
                foreach (var next in References(file)) queue.Enqueue(next);
        }
        Assert.Contains("RedLeaf.Abi", seen);
        Assert.Contains("RedLeaf.Machine", seen);
        // And through its projects: no package of Roslyn in anything it references (an analyzer that runs
        // while the ABI builds, the IDL compiler, is not referenced).
        var below = new HashSet<string>();
        void Walk(Project p) { if (below.Add(p.Name)) foreach (var r in p.References.Where(r => !p.BuildOnly.Contains(r))) Walk(projects.Single(x => x.Name == r)); }
        Walk(kernel);
        var roslyn = below.SelectMany(n => projects.Single(p => p.Name == n).Packages.Where(pk => pk.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).Select(pk => $"{n}: {pk}")).ToList();
        Assert.True(roslyn.Count == 0, "Roslyn below the kernel: " + string.Join(", ", roslyn));
    }

    [Fact]
    public void NothingOutsideKernelExtReferencesAFrontEnd()
    {
        var projects = ReadProjects(Root);
        var frontEnds = projects.Where(p => p.Folder.StartsWith("kernel-ext/", StringComparison.Ordinal)).Select(p => p.Name).ToHashSet();
        Assert.NotEmpty(frontEnds);
        var bad = projects.Where(p => !p.Folder.StartsWith("kernel-ext/", StringComparison.Ordinal) && !p.Folder.StartsWith("tests/", StringComparison.Ordinal))
            .SelectMany(p => p.References.Where(frontEnds.Contains).Select(r => $"{p.Name} ({p.Folder}) -> {r}")).ToList();
        Assert.True(bad.Count == 0, "references to a front end from below: " + string.Join(", ", bad));
    }

    [Fact]
    public void NoLoopBetweenTopLevelFolders()
    {
        var projects = ReadProjects(Root);
        string Top(Project p) => p.Folder.Split('/')[0];
        var edges = projects.SelectMany(p => p.References.Select(r => (From: Top(p), To: Top(projects.Single(x => x.Name == r)))))
            .Where(e => e.From != e.To).Distinct().ToList();
        Assert.NotEmpty(edges);
        // A loop exists if some folder reaches itself.
        foreach (var start in edges.Select(e => e.From).Distinct())
        {
            var seen = new HashSet<string>();
            var stack = new Stack<(string Folder, string Path)>(edges.Where(e => e.From == start).Select(e => (e.To, $"{start} -> {e.To}")));
            while (stack.Count > 0)
            {
                var (folder, path) = stack.Pop();
                Assert.False(folder == start, $"a loop between top-level folders: {path}");
                if (!seen.Add(folder)) continue;
                foreach (var e in edges.Where(e => e.From == folder)) stack.Push((e.To, $"{path} -> {e.To}"));
            }
        }
    }

    [Fact]
    public void TestsMirrorTheSourceFolders()
    {
        string tests = Path.Combine(Root, "tests", "RedLeaf.Tests");
        var folders = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tests, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(d => d != "." && !d.Split('/').Any(part => part is "bin" or "obj"))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(folders);
        var orphans = folders.Where(d => !Directory.Exists(Path.Combine(Root, d)) || d.StartsWith("tests", StringComparison.Ordinal)).ToList();
        Assert.True(orphans.Count == 0,
            "test folders that name no source folder (a test sits under the path of the code it tests, e.g. tests/RedLeaf.Tests/os/kernel/Heap for os/kernel/Heap): "
            + string.Join(", ", orphans));
    }

    /// <summary>The built file of a project's assembly, for this test run's configuration.</summary>
    private static string BuiltAssembly(Project p)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        string file = p.Assembly + ".dll";
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, file),
            Path.Combine(Root, p.Folder, "bin", configuration, "net10.0", file),
            Path.Combine(Root, p.Folder, "bin", configuration, "netstandard2.0", file),
            Path.Combine(Root, "artifacts", "interactive", file),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{p.Name} is not built ({string.Join(", ", candidates)}): build the solution (dotnet build RedLeaf.slnx)");
    }

    private static IEnumerable<string> References(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
    }
}
