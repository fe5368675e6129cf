// tools/RedLeaf.Xv6: a name from an image (or from a folder handed to mkfs) as the host tools print
// it. A name is whatever bytes a student put in a directory entry or a host file name: an ANSI escape
// could clear the terminal or retitle it, a carriage return overprint the line, a newline forge a line
// of fsck's report ("clean"), a bidirectional override reorder what follows. The tools print every such
// character escaped, C-style: \n \r \t \0 \a \\, and \xNN or \u{NNNN} for the rest; printable text passes as it is.
using System.Globalization;
using System.Text;

namespace RedLeaf.Xv6;

public static class PrintableName
{
    /// <summary><paramref name="name"/> with control and formatting characters escaped (and '\' doubled, so the
    /// escaped form of two different names differs).</summary>
    public static string Escape(string name)
    {
        if (!NeedsEscape(name)) return name;
        var sb = new StringBuilder(name.Length + 8);
        foreach (char c in name)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\0': sb.Append(@"\0"); break;
                case '\a': sb.Append(@"\a"); break;
                default:
                    if (!Hostile(c)) sb.Append(c);
                    else if (c <= 0xff) sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(@"\u{").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)).Append('}');
                    break;
            }
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(string name)
    {
        foreach (char c in name) if (c == '\\' || Hostile(c)) return true;
        return false;
    }

    /// <summary>C0 and C1 controls, DEL, and the invisible formatting characters (bidirectional overrides and
    /// isolates, zero-width ones), lone surrogates and line or paragraph separators.</summary>
    private static bool Hostile(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ||
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
