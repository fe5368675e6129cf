// measure/Results: the generated part of a markdown file: the text between <!-- results:begin --> and
// <!-- results:end -->. Everything outside the markers is left byte for byte as it was, so the
// generator can share README.md with the people who write the rest of it.
namespace RedLeaf.Measure.Results;

public static class ReadmeSection
{
    public const string Begin = "<!-- results:begin -->";
    public const string End = "<!-- results:end -->";

    /// <summary>The text with what lies between the markers replaced by body.</summary>
    public static string Replace(string text, string body, string where = "the file")
    {
        int b = text.IndexOf(Begin, StringComparison.Ordinal);
        int e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < 0)
            throw new InvalidDataException($"{where} has no results section: add a line '{Begin}' and a line '{End}' where the table goes");
        if (e < b || text.IndexOf(Begin, b + Begin.Length, StringComparison.Ordinal) >= 0 || text.IndexOf(End, e + End.Length, StringComparison.Ordinal) >= 0)
            throw new InvalidDataException($"{where}: the markers must appear once each, '{Begin}' before '{End}'");
        string nl = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        return text[..(b + Begin.Length)] + nl + body.TrimEnd().ReplaceLineEndings(nl) + nl + text[e..];
    }
}
