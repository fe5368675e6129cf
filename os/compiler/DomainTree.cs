// os/compiler: finds the project's domains/ folder at run time (tests, the CLI and notebooks
// all run from inside the repository), or wherever REDLEAF_ROOT points.
namespace RedLeaf.Os.Compiler;

public static class DomainTree
{
    public const string RootVariable = "REDLEAF_ROOT";

    /// <summary>The repository root: the folder holding domains/Interfaces/RedLeaf.Interfaces.csproj (the project
    /// file, not only the folder: tests mirror the source folders, so tests/RedLeaf.Tests has a domains/Interfaces too).</summary>
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(RootVariable);
            if (!string.IsNullOrEmpty(env)) return Check(env, $"{RootVariable}={env}");
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "domains", "Interfaces", "RedLeaf.Interfaces.csproj"))) return dir.FullName;
            throw new DirectoryNotFoundException($"cannot find the RedLeaf.NET tree (a folder with domains/Interfaces/RedLeaf.Interfaces.csproj) above {AppContext.BaseDirectory}; set {RootVariable}");
        }
    }

    /// <summary>Every folder under domains/ (the IDL aside) that holds a domain: the first folder on each
    /// path down that has .cs files of its own (its subfolders are part of it, as CompileFolder reads them),
    /// as paths relative to domains/, e.g. "rv6/fs", "rv6/user/cat".</summary>
    public static IEnumerable<string> DomainFolders()
    {
        string domains = Path.Combine(Root, "domains");
        IEnumerable<string> Walk(string dir) =>
            Directory.EnumerateFiles(dir, "*.cs").Any()
                ? new[] { Path.GetRelativePath(domains, dir) }
                : Directory.EnumerateDirectories(dir).Where(d => Path.GetFileName(d) is not ("bin" or "obj")).OrderBy(d => d, StringComparer.Ordinal).SelectMany(Walk);
        return Directory.EnumerateDirectories(domains).Where(d => Path.GetFileName(d) != "Interfaces").OrderBy(d => d, StringComparer.Ordinal).SelectMany(Walk);
    }

    /// <summary>A domain's source folder, e.g. Folder("test/dom_b").</summary>
    public static string Folder(string relative) => Path.Combine(Root, "domains", relative);

    private static string Check(string root, string from) =>
        Directory.Exists(Path.Combine(root, "domains")) ? Path.GetFullPath(root) : throw new DirectoryNotFoundException($"{from} has no domains/ folder");
}
