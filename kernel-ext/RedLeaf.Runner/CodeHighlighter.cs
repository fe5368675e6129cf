// kernel-ext/RedLeaf.Runner: a code cell as highlighted HTML with line numbers, for exported pages.
// C# is classified by Roslyn's own classifier (Microsoft.CodeAnalysis.CSharp.Workspaces, the same
// 5.0.0 as the trusted compiler), on a script compilation of the cell against the core library and RedLeaf's, so
// keywords, literals, comments, types and members read as an IDE shows them. A magic first line
// (#!domain, #!idl, #!rv6) is marked as one; the lines of an #!rv6 cell are shell lines, shown plain.
using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Classification;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace RedLeaf.Runner;

public static class CodeHighlighter
{
    /// <summary>What a notebook cell usually names: the core library, the console, LINQ, and RedLeaf's own
    /// assemblies (so Lab, RRef and the views classify as types).</summary>
    private static readonly MetadataReference[] CoreOnly = new[]
    {
        typeof(object), typeof(Console), typeof(Enumerable), typeof(RedLeaf.Notebook.Session.Lab), typeof(RedLeaf.Abi.RpcResult),
        typeof(RedLeaf.Measure.SuiteResult), typeof(RedLeaf.Os.Microkernel), typeof(RedLeaf.Interfaces.Lab.IKeeper),
    }.Select(t => t.Assembly.Location).Distinct().Append(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))
     .Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();

    /// <summary>The cell as &lt;pre&gt; lines, each with its number (class "ln") and classified runs (class "tok-KIND").</summary>
    public static string ToHtml(string code)
    {
        code = code.Replace("\r\n", "\n", StringComparison.Ordinal);
        string? magic = null;
        string body = code;
        if (code.StartsWith("#!", StringComparison.Ordinal))
        {
            int nl = code.IndexOf('\n');
            magic = nl < 0 ? code : code[..nl];
            body = nl < 0 ? "" : code[(nl + 1)..];
        }
        bool csharp = magic is null || !magic.StartsWith("#!rv6", StringComparison.Ordinal);
        string?[] kinds = csharp ? Classify(body) : new string?[body.Length];

        var sb = new StringBuilder("<pre class=\"source\">");
        int number = 1;
        if (magic is not null) sb.Append(Line(number++, $"<span class=\"tok-magic\">{WebUtility.HtmlEncode(magic)}</span>"));
        var lines = new List<(int Start, int End)>();
        for (int i = 0, from = 0; i <= body.Length; i++)
            if (i == body.Length || body[i] == '\n') { lines.Add((from, i)); from = i + 1; }
        if (lines.Count > 1 && lines[^1].Start == body.Length) lines.RemoveAt(lines.Count - 1); // a trailing newline
        if (body.Length == 0 && magic is not null) lines.Clear();
        foreach (var (from, to) in lines) sb.Append(Line(number++, Runs(body, kinds, from, to)));
        return sb.Append("</pre>").ToString();
    }

    private static string Line(int n, string html) => $"<span class=\"line\"><span class=\"ln\">{n}</span>{html}</span>";

    private static string Runs(string text, string?[] kinds, int start, int end)
    {
        var sb = new StringBuilder();
        int i = start;
        while (i < end)
        {
            int j = i;
            while (j < end && kinds[j] == kinds[i]) j++;
            string part = WebUtility.HtmlEncode(text[i..j]);
            sb.Append(kinds[i] is { } k ? $"<span class=\"tok-{k}\">{part}</span>" : part);
            i = j;
        }
        return sb.ToString();
    }

    /// <summary>A CSS class name per character (null: plain), from Roslyn's classification.</summary>
    private static string?[] Classify(string text)
    {
        var kinds = new string?[text.Length];
        if (text.Length == 0) return kinds;
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "cell", "cell", LanguageNames.CSharp,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script), metadataReferences: CoreOnly));
        var document = workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "cell.csx",
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Default)), sourceCodeKind: SourceCodeKind.Script));
        var spans = Classifier.GetClassifiedSpansAsync(document, new TextSpan(0, text.Length)).GetAwaiter().GetResult();
        foreach (var s in spans)
        {
            if (ClassificationTypeNames.AdditiveTypeNames.Contains(s.ClassificationType)) continue;
            string? kind = Kind(s.ClassificationType);
            if (kind is null) continue;
            for (int i = s.TextSpan.Start; i < s.TextSpan.End && i < kinds.Length; i++) kinds[i] ??= kind;
        }
        return kinds;
    }

    private static string? Kind(string type) => type switch
    {
        ClassificationTypeNames.Keyword or ClassificationTypeNames.ControlKeyword => "keyword",
        ClassificationTypeNames.StringLiteral or ClassificationTypeNames.VerbatimStringLiteral or ClassificationTypeNames.StringEscapeCharacter => "string",
        ClassificationTypeNames.NumericLiteral => "number",
        ClassificationTypeNames.Comment or ClassificationTypeNames.XmlDocCommentText or ClassificationTypeNames.XmlDocCommentDelimiter => "comment",
        ClassificationTypeNames.PreprocessorKeyword or ClassificationTypeNames.PreprocessorText => "preprocessor",
        ClassificationTypeNames.ClassName or ClassificationTypeNames.StructName or ClassificationTypeNames.InterfaceName or ClassificationTypeNames.EnumName
            or ClassificationTypeNames.RecordClassName or ClassificationTypeNames.RecordStructName or ClassificationTypeNames.DelegateName or ClassificationTypeNames.TypeParameterName => "type",
        ClassificationTypeNames.MethodName or ClassificationTypeNames.ExtensionMethodName => "method",
        _ => null,
    };
}
