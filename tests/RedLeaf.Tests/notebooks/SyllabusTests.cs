// tests/notebooks: the notebooks form a path a class can follow (issue 23, item 1): numbered in the
// lecture's order, listed in that order by notebooks/README.md (the syllabus), each opening with the
// lecture's question it answers and a prediction to write down, each ending with discussion questions.
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public sealed class SyllabusTests
{
    private static string Folder => Path.Combine(TestNotebook.Root, "notebooks");

    private static string[] Numbered() =>
        Directory.GetFiles(Folder, "*.ipynb").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void EveryNotebookIsNumberedWithoutGapsOrRepeats()
    {
        var names = Numbered();
        Assert.NotEmpty(names);
        for (int i = 0; i < names.Length; i++)
            Assert.True(Regex.IsMatch(names[i], $"^{i:00}-[a-z0-9-]+\\.ipynb$"), $"notebooks/{names[i]}: expected the number {i:00}- (lecture order, no gaps or repeats)");
    }

    [Fact]
    public void TheReadmeListsThemInOrderWithTheQuestionEachAnswers()
    {
        string readme = File.ReadAllText(Path.Combine(Folder, "README.md"));
        var rows = Regex.Matches(readme, @"^\| `(\d\d-[^`]+\.ipynb)` \| ([^|]+) \|", RegexOptions.Multiline)
            .Select(m => (Name: m.Groups[1].Value, Question: m.Groups[2].Value.Trim())).ToArray();
        Assert.Equal(Numbered(), rows.Select(r => r.Name).ToArray());
        foreach (var r in rows) Assert.True(r.Question.Contains('?'), $"notebooks/README.md: the row of {r.Name} names no question: '{r.Question}'");
    }

    [Fact]
    public void EachOpensWithItsQuestionAndAPredictionAndEndsWithDiscussionQuestions()
    {
        foreach (var name in Numbered())
        {
            var cells = Markdown(Path.Combine(Folder, name));
            Assert.True(cells.Count >= 3, $"{name}: too few markdown cells");
            string opening = cells[0] + "\n" + cells[1];
            Assert.True(opening.Contains("**The lecture's question.**", StringComparison.Ordinal), $"{name}: does not open with the lecture's question");
            Assert.True(opening.Contains("**Predict before you run.**", StringComparison.Ordinal), $"{name}: does not open with a prediction to make");
            string last = cells[^1];
            Assert.True(last.StartsWith("## Discussion questions", StringComparison.Ordinal), $"{name}: does not end with discussion questions");
            Assert.True(Regex.Matches(last, @"^\d+\. .+\?", RegexOptions.Multiline).Count >= 3, $"{name}: fewer than three discussion questions");
        }
    }

    /// <summary>The markdown cells' text, in order; the last one must also be the notebook's last cell.</summary>
    private static List<string> Markdown(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var all = doc.RootElement.GetProperty("cells").EnumerateArray().ToList();
        string Text(JsonElement c) => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
        var md = all.Where(c => c.GetProperty("cell_type").GetString() == "markdown").Select(Text).ToList();
        if (all.Count > 0 && all[^1].GetProperty("cell_type").GetString() != "markdown") md.Add(""); // the last cell is code: no closing questions
        return md;
    }
}
