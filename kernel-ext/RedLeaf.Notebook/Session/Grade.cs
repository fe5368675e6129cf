// kernel-ext/RedLeaf.Notebook/Session: how a homework handout scores itself. Each exercise has points
// and checks that award them; a check that throws (the student's domain is missing, crashed, or was
// refused) earns nothing but never stops the grading of the others. The result prints as a table and
// one machine-readable line ("redleaf-grade {json}") that `redleaf grade` collects.
using System.Text.Json;
using RedLeaf.Notebook.Html;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Session;

public sealed class Grade : IRichView
{
    public const string LinePrefix = "redleaf-grade ";
    private readonly List<ExerciseScore> _exercises = new();

    public Grade(string handout) => Handout = handout;

    public string Handout { get; }
    public IReadOnlyList<ExerciseScore> Exercises => _exercises;
    public int Earned => _exercises.Sum(e => e.Earned);
    public int Total => _exercises.Sum(e => e.Points);

    /// <summary>Grades one exercise worth <paramref name="points"/>: <paramref name="checks"/> awards them.</summary>
    public ExerciseScore Exercise(string name, int points, Action<ExerciseScore> checks)
    {
        var score = new ExerciseScore(name, points);
        try { checks(score); }
        catch (Exception e) { score.Note($"stopped: {e.GetType().Name}: {e.Message}"); }
        _exercises.Add(score);
        return score;
    }

    /// <summary>The machine-readable line: handout, earned, total, and each exercise.</summary>
    public string ResultLine() => LinePrefix + JsonSerializer.Serialize(new
    {
        handout = Handout,
        earned = Earned,
        total = Total,
        exercises = _exercises.Select(e => new { name = e.Name, earned = e.Earned, points = e.Points, notes = e.Notes }),
    });

    public string ToHtml() => Block("grade", $"{Handout}: {Earned} / {Total} points",
        Table(new[] { "exercise", "points", "notes" }, _exercises.Select(e => new object?[] { e.Name, $"{e.Earned} / {e.Points}", string.Join("; ", e.Notes) }))
        + $"<pre style=\"{Mono};color:#777\">{Escape(ResultLine())}</pre>");

    public override string ToString() =>
        $"{Handout}: {Earned} / {Total} points" + Environment.NewLine +
        string.Concat(_exercises.Select(e => $"  {e.Name}: {e.Earned} / {e.Points}{(e.Notes.Count == 0 ? "" : " (" + string.Join("; ", e.Notes) + ")")}{Environment.NewLine}")) +
        ResultLine();
}

public sealed class ExerciseScore
{
    private readonly List<string> _notes = new();

    internal ExerciseScore(string name, int points)
    {
        Name = name;
        Points = points;
    }

    public string Name { get; }
    public int Points { get; }
    public int Earned { get; private set; }
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Awards <paramref name="points"/> if <paramref name="ok"/>; otherwise notes <paramref name="what"/> as missed.</summary>
    public bool Award(int points, bool ok, string what)
    {
        if (ok) Earned = Math.Min(Points, Earned + points);
        else _notes.Add($"missed: {what}");
        return ok;
    }

    public void Note(string note) => _notes.Add(note);
}
