// kernel-ext/RedLeaf.Runner/Grading: which notebooks to grade, against which source. nbgrader's layout
// names everything: submitted/<student>/<assignment>/<notebook>.ipynb, graded against
// source/<assignment>/<notebook>.ipynb (the assignment by its folder's name, the notebook by its file
// name). A folder is searched for notebooks below it and each is read by that layout (a student's own
// folder, or one assignment's, works too); a loose file is matched by its folder's name if that is an
// assignment, else by its file name among the sources' notebooks.
namespace RedLeaf.Runner.Grading;

public sealed record Submission(string Student, string Assignment, string Notebook, string Path, string? Source, string? Problem)
{
    public static List<Submission> Find(IEnumerable<string> paths, string sourceRoot)
    {
        var assignments = Directory.Exists(sourceRoot)
            ? Directory.GetDirectories(sourceRoot).Select(d => System.IO.Path.GetFileName(d)).ToHashSet(StringComparer.Ordinal)
            : throw new DirectoryNotFoundException($"no assignment sources at {sourceRoot} (--source DIR names the folder holding <assignment>/<notebook>.ipynb)");
        var list = new List<Submission>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                string top = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(p)));
                foreach (var file in Directory.GetFiles(p, "*.ipynb", SearchOption.AllDirectories)
                             .Where(f => !f.Contains(".ipynb_checkpoints", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    var parts = System.IO.Path.GetRelativePath(p, file).Split(System.IO.Path.DirectorySeparatorChar);
                    list.Add(parts.Length switch
                    {
                        >= 3 => Make(parts[^3], parts[^2], file, sourceRoot),
                        2 => Make(top, parts[0], file, sourceRoot),
                        _ => Loose(file, sourceRoot, assignments),
                    });
                }
            }
            else if (File.Exists(p)) list.Add(Loose(p, sourceRoot, assignments));
            else throw new FileNotFoundException($"no submission or folder at '{p}'", p);
        }
        return list;
    }

    private static Submission Loose(string file, string sourceRoot, HashSet<string> assignments)
    {
        string full = System.IO.Path.GetFullPath(file);
        string folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(full)!);
        if (assignments.Contains(folder))
            return Make(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(full)!)!) ?? "student", folder, file, sourceRoot);
        string name = System.IO.Path.GetFileName(file);
        var matches = assignments.Where(a => File.Exists(System.IO.Path.Combine(sourceRoot, a, name))).ToList();
        return matches.Count == 1
            ? Make(folder, matches[0], file, sourceRoot)
            : new Submission(folder, "", System.IO.Path.GetFileNameWithoutExtension(file), file, null,
                matches.Count == 0 ? $"no assignment in {sourceRoot} has a notebook named {name}" : $"{name} is a notebook of several assignments ({string.Join(", ", matches)}); put it in a folder named after its assignment");
    }

    private static Submission Make(string student, string assignment, string file, string sourceRoot)
    {
        string notebook = System.IO.Path.GetFileNameWithoutExtension(file);
        string source = System.IO.Path.Combine(sourceRoot, assignment, notebook + ".ipynb");
        return File.Exists(source)
            ? new Submission(student, assignment, notebook, file, source, null)
            : new Submission(student, assignment, notebook, file, null, $"no source notebook {source} (the assignment is matched by folder name, the notebook by file name)");
    }
}
