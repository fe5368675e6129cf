// measure/Results: where the repository keeps its measurements (datasets/results) and the paper's
// numbers (datasets/reference). Found from REDLEAF_ROOT when set, else by walking up from the program's
// folder and the working folder to the first folder with datasets/reference: the measuring library is a
// tier below the kernel and compiler, so it does not ask them (os/compiler's DomainTree) where the tree is.
namespace RedLeaf.Measure.Results;

public static class Datasets
{
    /// <summary>The environment variable that names the repository root (shared with DomainTree).</summary>
    public const string RootVariable = "REDLEAF_ROOT";

    /// <summary>The repository's datasets/ folder.</summary>
    public static string Folder
    {
        get
        {
            if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } env)
                return Directory.Exists(Path.Combine(env, "datasets")) ? Path.GetFullPath(Path.Combine(env, "datasets"))
                    : throw new DirectoryNotFoundException($"{RootVariable}={env} has no datasets/ folder");
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (Directory.Exists(Path.Combine(dir.FullName, "datasets", "reference"))) return Path.Combine(dir.FullName, "datasets");
            throw new DirectoryNotFoundException($"cannot find the RedLeaf.NET tree (a folder with datasets/reference) above {AppContext.BaseDirectory}; set {RootVariable}");
        }
    }
}
