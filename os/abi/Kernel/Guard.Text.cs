// os/abi/Kernel: domains search text ordinally (issue 17, classes 4 and 6b; os/README.md, "4. Bounds on what
// one base-library call can do"). A culture-sensitive search (`s.IndexOf(t)`, whose default is the current
// culture, or any StringComparison naming a culture) runs in ICU where the process has it, and there one call
// can compare every position of the text with the whole pattern: 32,768 characters of 'a' searched for a
// pattern of 'a's with one 'b' in the middle took 0.6 s, quadratic, with no check of the domain inside, so a
// kill waited for it. Our own processes run with invariant globalization, where these searches already are
// ordinal; the Jupyter kernel does not. So the trusted compiler makes them ordinal everywhere (the same
// answers in every host, and linear time): every StringComparison a domain hands the base library passes
// Ordinal (a culture's comparison becomes Ordinal, its IgnoreCase form OrdinalIgnoreCase), and string's
// IndexOf and LastIndexOf of a string without one, which default to the current culture, come here.
using System.Globalization;

namespace RedLeaf.Abi;

public static partial class Guard
{
    /// <summary>The ordinal counterpart of <paramref name="comparisonType"/> (the instrumentation's wrap).</summary>
    public static StringComparison Ordinal(StringComparison comparisonType) => comparisonType switch
    {
        StringComparison.CurrentCulture or StringComparison.InvariantCulture => StringComparison.Ordinal,
        StringComparison.CurrentCultureIgnoreCase or StringComparison.InvariantCultureIgnoreCase => StringComparison.OrdinalIgnoreCase,
        _ => comparisonType,
    };

    public static int IndexOf(string target, string value) => target.IndexOf(value, StringComparison.Ordinal);

    public static int IndexOf(string target, string value, int startIndex) => target.IndexOf(value, startIndex, StringComparison.Ordinal);

    public static int IndexOf(string target, string value, int startIndex, int count) => target.IndexOf(value, startIndex, count, StringComparison.Ordinal);

    public static int LastIndexOf(string target, string value) => target.LastIndexOf(value, StringComparison.Ordinal);

    public static int LastIndexOf(string target, string value, int startIndex) => target.LastIndexOf(value, startIndex, StringComparison.Ordinal);

    public static int LastIndexOf(string target, string value, int startIndex, int count) => target.LastIndexOf(value, startIndex, count, StringComparison.Ordinal);
}
