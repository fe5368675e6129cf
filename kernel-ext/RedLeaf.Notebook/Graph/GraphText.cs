// kernel-ext/RedLeaf.Notebook/Graph: the words on the ownership graph's boxes and how wide they draw.
// Type names read as C# (an array of Byte is byte[1024], not "Byte / array[1024]"), sizes in B, KiB or
// MiB, and a conservative width estimate per character (DejaVu Sans, the widest common sans-serif a
// browser falls back to) so a box is made wide enough for its longest line before it is placed.
using System.Globalization;
using System.Text.RegularExpressions;
using RedLeaf.Os.Heap;

namespace RedLeaf.Notebook.Graph;

internal static class GraphText
{
    /// <summary>The object's type as a C# reader writes it: Pair, byte[1024], deque of Packet[64],
    /// Slot&lt;int&gt;.</summary>
    public static string TypeName(HeapNode n) => n.Kind switch
    {
        "Array" => $"{CSharp(n.Type)}[{n.Length}]",
        "Deque" => $"deque of {CSharp(n.Type)}[{n.Length}]",
        _ => CSharp(n.Type),
    };

    private static string CSharp(string clrName) => Identifier.Replace(clrName, m => Keyword(m.Value));

    private static readonly Regex Identifier = new(@"\b[A-Z][A-Za-z0-9]*\b");

    private static string Keyword(string clrName) => clrName switch
    {
        "Byte" => "byte",
        "SByte" => "sbyte",
        "Int16" => "short",
        "UInt16" => "ushort",
        "Int32" => "int",
        "UInt32" => "uint",
        "Int64" => "long",
        "UInt64" => "ulong",
        "Single" => "float",
        "Double" => "double",
        "Boolean" => "bool",
        "Char" => "char",
        "IntPtr" => "nint",
        "UIntPtr" => "nuint",
        _ => clrName,
    };

    /// <summary>1024 B, 60 KiB, 1.5 MiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => Scaled(bytes / 1024.0, "KiB"),
        _ => Scaled(bytes / (1024.0 * 1024), "MiB"),
    };

    private static string Scaled(double v, string unit) =>
        (Math.Abs(v - Math.Round(v)) < 0.05 ? Math.Round(v).ToString(CultureInfo.InvariantCulture) : v.ToString("0.#", CultureInfo.InvariantCulture)) + " " + unit;

    /// <summary>Object indices as short ranges: "#1–#60", "#3, #5–#9".</summary>
    public static string Indices(IEnumerable<int> indices)
    {
        var sorted = indices.Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(j == i ? $"#{sorted[i]}" : j == i + 1 ? $"#{sorted[i]}, #{sorted[j]}" : $"#{sorted[i]}–#{sorted[j]}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    /// <summary>Width in pixels of a line of text at a font size, erring wide (DejaVu Sans advances).</summary>
    public static double Width(string text, double fontSize)
    {
        double em = 0;
        foreach (char c in text) em += Advance(c);
        return em * fontSize;
    }

    private static double Advance(char c) => c switch
    {
        'i' or 'l' or 'j' or '\'' or '.' or ',' or ':' or ';' or '|' or '!' => 0.32,
        ' ' or 'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' or '/' => 0.42,
        'm' or 'w' or 'M' or 'W' or '@' or '%' or '#' or '×' or '…' or '–' or '<' or '>' or '=' or '+' or '~' or '&' => 0.92,
        >= 'A' and <= 'Z' => 0.82,
        _ => 0.66,
    };

    /// <summary>The text cut with an ellipsis so it draws within a width.</summary>
    public static string Fit(string text, double fontSize, double width)
    {
        if (Width(text, fontSize) <= width) return text;
        int n = text.Length;
        while (n > 1 && Width(text[..n] + "…", fontSize) > width) n--;
        return text[..n] + "…";
    }
}
