// measure/Results: the generated part of a markdown file: the text between <!-- results:begin --> and
// <!-- results:end -->. Everything outside the markers is left byte for byte as it was, so the
// generator can share README.md with the people who write the rest of it. Other generated sections
// name themselves the same way (<!-- commands:begin -->: the CLI's command table).
namespace RedLeaf.Measure.Results;

public static class ReadmeSection
{
    public const string Begin = "<!-- results:begin -->";
    public const string End = "<!-- results:end -->";

    /// <summary>The text with what lies between the markers replaced by body.</summary>
    public static string Replace(string text, string body, string where = "the file") => Replace(text, body, where, "results");

    /// <summary>The text with what lies between the lines &lt;!-- section:begin --&gt; and &lt;!-- section:end --&gt;
    /// replaced by body (section: <paramref name="section"/>).</summary>
    public static string Replace(string text, string body, string where, string section)
    {
        string begin = $"<!-- {section}:begin -->", end = $"<!-- {section}:end -->";
        int b = text.IndexOf(begin, StringComparison.Ordinal);
        int e = text.IndexOf(end, StringComparison.Ordinal);
        if (b < 0 || e < 0)
            throw new InvalidDataException($"{where} has no {section} section: add a line '{begin}' and a line '{end}' where the table goes");
        if (e < b || text.IndexOf(begin, b + begin.Length, StringComparison.Ordinal) >= 0 || text.IndexOf(end, e + end.Length, StringComparison.Ordinal) >= 0)
            throw new InvalidDataException($"{where}: the markers must appear once each, '{begin}' before '{end}'");
        string nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        return text[..(b + begin.Length)] + nl + body.TrimEnd().ReplaceLineEndings(nl) + nl + text[e..];
    }
}
