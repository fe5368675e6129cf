// tests/kernel-ext/RedLeaf.Runner: exported pages read like a good notebook viewer: code highlighted by Roslyn's
// classifier (keywords, strings, comments, types; a magic line marked), numbered lines, In/Out prompts
// with execution counts, each cell's duration, a table of contents for a page with several headings,
// and (in the page's CSS and the views' own styles) tables left-aligned whatever CSS surrounds them.
using RedLeaf.Runner;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
[Collection(NotebookCollection.Name)]
public class PageViewerTests
{
    [Fact]
    public void CodeIsClassifiedByRoslynWithLineNumbersAndMagicLinesMarked()
    {
        string html = CodeHighlighter.ToHtml("#!domain --name k\n// a comment\nvar s = \"text\";\nint n = 42;\nSystem.Console.WriteLine(s);");
        Assert.Contains("<span class=\"tok-magic\">#!domain --name k</span>", html);
        Assert.Contains("<span class=\"tok-comment\">// a comment</span>", html);
        Assert.Contains("<span class=\"tok-keyword\">var</span>", html);
        Assert.Contains("<span class=\"tok-string\">&quot;text&quot;</span>", html);
        Assert.Contains("<span class=\"tok-number\">42</span>", html);
        Assert.Contains("<span class=\"tok-type\">Console</span>", html);
        Assert.Contains("<span class=\"ln\">5</span>", html);
        Assert.DoesNotContain("<span class=\"ln\">6</span>", html);
        // an #!rv6 cell is shell lines, not C#
        Assert.DoesNotContain("tok-keyword", CodeHighlighter.ToHtml("#!rv6\necho if else | wc"));
    }

    [Fact]
    public async Task APageHasPromptsDurationsAndAContentsList()
    {
        string path = TestNotebook.Write("md:# One", TestNotebook.LoadCell, "md:## Two", "var x = 6 * 7;\nx", "md:## Three", "1 + 1");
        string outDir = Directory.CreateTempSubdirectory("redleaf-viewer-").FullName;
        var result = await new NotebookRunner(new RunOptions { OutputFolder = outDir, Quick = true }).RunAsync(path);
        Assert.True(result.Succeeded, result.ErrorSummary);
        string page = File.ReadAllText(result.Page!);
        Assert.Contains("In&nbsp;[2]:", page);
        Assert.Contains("Out[2]:", page);
        Assert.Matches("<div class=\"duration\">[0-9.]+ s</div>", page);
        Assert.Contains("<nav class=\"toc\">", page);
        Assert.Contains("<h2 id=\"sec-2\">Two</h2>", page);
        Assert.Contains("href=\"#sec-2\"", page);
        Assert.Contains("<span class=\"tok-keyword\">var</span>", page);
    }
}
