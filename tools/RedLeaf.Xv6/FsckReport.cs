// tools/RedLeaf.Xv6: what fsck says about an image: notes (layout, log state, what is in use) and
// problems. Clean means no problems. A badly damaged image can have thousands of the same problem, so
// each kind keeps its first MaxPerKind messages and counts the rest.
namespace RedLeaf.Xv6;

public sealed class FsckReport
{
    public const int MaxPerKind = 20;

    private readonly List<FsckProblem> _problems = new();
    private readonly List<string> _notes = new();
    private readonly Dictionary<FsckKind, int> _counts = new();

    public FsckReport(string image) => Image = image;

    public string Image { get; }

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The problems kept (at most MaxPerKind of each kind).</summary>
    public IReadOnlyList<FsckProblem> Problems => _problems;

    /// <summary>How many problems of each kind were found, counting those not kept.</summary>
    public IReadOnlyDictionary<FsckKind, int> Counts => _counts;

    public int ProblemCount => _counts.Values.Sum();

    public bool Clean => _problems.Count == 0;

    public void Note(string line) => _notes.Add(line);

    public void Add(FsckKind kind, string message)
    {
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        if (_counts[kind] <= MaxPerKind) _problems.Add(new FsckProblem(kind, message));
    }

    public bool Has(FsckKind kind) => _counts.ContainsKey(kind);

    /// <summary>The report as fsck prints it: notes, then each problem, then "clean" or the count.</summary>
    public void Print(TextWriter w)
    {
        w.WriteLine($"fsck {Image}");
        foreach (var n in _notes) w.WriteLine($"  {n}");
        foreach (var p in _problems) w.WriteLine($"  DAMAGE {p}");
        foreach (var (kind, count) in _counts.Where(c => c.Value > MaxPerKind))
            w.WriteLine($"  ... and {count - MaxPerKind} more {kind}");
        w.WriteLine(Clean ? "clean" : $"DAMAGED: {ProblemCount} problem{(ProblemCount == 1 ? "" : "s")}");
    }
}
