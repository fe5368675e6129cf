// os/abi/Kernel: string.Format and StringBuilder.AppendFormat under the output limit (issue 17, class 4).
// A composite format repeats its arguments as often as it names them (`{0}{0}{0}...` over a long string)
// and pads each to its alignment (up to 999,999, the base library's own limit), so one call can make
// the format's length times an argument's. The bound is computed from the format before the call:
// each placeholder counts its alignment or its argument's length, whichever is larger; an argument's
// length is its text's for a string, a StringBuilder and a char memory, the sum of its elements' for a
// tuple, a number's width (64 characters plus a standard format's precision) for a formattable value,
// another base-library object's text measured (its ToString called once more); a domain type's ToString
// runs domain code, whose own checks and meter run, and counts as a number's width. Also here: Guard.Precision, which every
// format handed to the base library passes (`x.ToString("D999999999")` writes a billion digits).
using System.Runtime.CompilerServices;
using System.Text;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public static unsafe partial class Guard
{
    public static string Format(string format, object? arg0)
    {
        Formatted(format, [arg0], 0, "string.Format");
        return string.Format(format, arg0);
    }

    public static string Format(string format, object? arg0, object? arg1)
    {
        Formatted(format, [arg0, arg1], 0, "string.Format");
        return string.Format(format, arg0, arg1);
    }

    public static string Format(string format, object? arg0, object? arg1, object? arg2)
    {
        Formatted(format, [arg0, arg1, arg2], 0, "string.Format");
        return string.Format(format, arg0, arg1, arg2);
    }

    public static string Format(string format, params object?[] args)
    {
        if (args is not null) Formatted(format, args, 0, "string.Format");
        return string.Format(format, args!);
    }

    public static string Format(string format, params ReadOnlySpan<object?> args)
    {
        Formatted(format, args, 0, "string.Format");
        return string.Format(format, args);
    }

    public static string Format(IFormatProvider? provider, string format, object? arg0)
    {
        Formatted(format, [arg0], 0, "string.Format");
        return string.Format(provider, format, arg0);
    }

    public static string Format(IFormatProvider? provider, string format, object? arg0, object? arg1)
    {
        Formatted(format, [arg0, arg1], 0, "string.Format");
        return string.Format(provider, format, arg0, arg1);
    }

    public static string Format(IFormatProvider? provider, string format, object? arg0, object? arg1, object? arg2)
    {
        Formatted(format, [arg0, arg1, arg2], 0, "string.Format");
        return string.Format(provider, format, arg0, arg1, arg2);
    }

    public static string Format(IFormatProvider? provider, string format, params object?[] args)
    {
        if (args is not null) Formatted(format, args, 0, "string.Format");
        return string.Format(provider, format, args!);
    }

    public static string Format(IFormatProvider? provider, string format, params ReadOnlySpan<object?> args)
    {
        Formatted(format, args, 0, "string.Format");
        return string.Format(provider, format, args);
    }

    public static StringBuilder AppendFormat(StringBuilder target, string format, object? arg0)
    {
        if (target is not null) Formatted(format, [arg0], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(format, arg0);
    }

    public static StringBuilder AppendFormat(StringBuilder target, string format, object? arg0, object? arg1)
    {
        if (target is not null) Formatted(format, [arg0, arg1], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(format, arg0, arg1);
    }

    public static StringBuilder AppendFormat(StringBuilder target, string format, object? arg0, object? arg1, object? arg2)
    {
        if (target is not null) Formatted(format, [arg0, arg1, arg2], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(format, arg0, arg1, arg2);
    }

    public static StringBuilder AppendFormat(StringBuilder target, string format, params object?[] args)
    {
        if (target is not null && args is not null) Formatted(format, args, target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(format, args!);
    }

    public static StringBuilder AppendFormat(StringBuilder target, string format, params ReadOnlySpan<object?> args)
    {
        if (target is not null) Formatted(format, args, target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(format, args);
    }

    public static StringBuilder AppendFormat(StringBuilder target, IFormatProvider? provider, string format, object? arg0)
    {
        if (target is not null) Formatted(format, [arg0], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(provider, format, arg0);
    }

    public static StringBuilder AppendFormat(StringBuilder target, IFormatProvider? provider, string format, object? arg0, object? arg1)
    {
        if (target is not null) Formatted(format, [arg0, arg1], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(provider, format, arg0, arg1);
    }

    public static StringBuilder AppendFormat(StringBuilder target, IFormatProvider? provider, string format, object? arg0, object? arg1, object? arg2)
    {
        if (target is not null) Formatted(format, [arg0, arg1, arg2], target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(provider, format, arg0, arg1, arg2);
    }

    public static StringBuilder AppendFormat(StringBuilder target, IFormatProvider? provider, string format, params object?[] args)
    {
        if (target is not null && args is not null) Formatted(format, args, target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(provider, format, args!);
    }

    public static StringBuilder AppendFormat(StringBuilder target, IFormatProvider? provider, string format, params ReadOnlySpan<object?> args)
    {
        if (target is not null) Formatted(format, args, target.Length, "StringBuilder.AppendFormat");
        return target!.AppendFormat(provider, format, args);
    }

    /// <summary>The most characters <paramref name="format"/> can make over <paramref name="args"/>, checked. A
    /// malformed format is left to the base library (it throws FormatException); what was counted up to
    /// there is an upper bound of what it made before throwing.</summary>
    private static void Formatted(string? format, ReadOnlySpan<object?> args, long before, string call)
    {
        if (format is null) return;
        long total = before;
        int i = 0;
        while (i < format.Length)
        {
            char ch = format[i++];
            if (ch != '{' || (i < format.Length && format[i] == '{'))
            {
                if (ch == '{' || ch == '}') i++; // an escaped brace ("{{" or "}}") makes one
                total++;
                continue;
            }
            int close = format.IndexOf('}', i);
            if (close < 0) break;
            var hole = format.AsSpan(i, close - i);
            i = close + 1;
            int comma = hole.IndexOf(','), colon = hole.IndexOf(':');
            if (colon >= 0 && comma > colon) comma = -1;
            var index = hole[..(comma >= 0 ? comma : colon >= 0 ? colon : hole.Length)].Trim();
            long width = 0;
            if (comma >= 0 && long.TryParse(hole[(comma + 1)..(colon >= 0 ? colon : hole.Length)].Trim(), out long w)) width = Math.Abs(w);
            var spec = colon >= 0 ? hole[(colon + 1)..] : ReadOnlySpan<char>.Empty;
            long text = int.TryParse(index, out int n) && n >= 0 && n < args.Length ? TextLength(args[n], spec, 0) : 0;
            total += Math.Max(width, text);
        }
        Output(total, call);
    }

    /// <summary>An upper bound of the text the base library makes of <paramref name="o"/> (formatted with
    /// <paramref name="spec"/>): exact for text, summed over a tuple's elements, a number's width otherwise.</summary>
    private static long TextLength(object? o, ReadOnlySpan<char> spec, int depth) => o switch
    {
        null => 0,
        string s => s.Length,
        StringBuilder b => b.Length,
        ReadOnlyMemory<char> m => m.Length,
        Memory<char> m => m.Length,
        ITuple t when depth < 8 => TupleLength(t, depth),
        IFormattable => 64 + spec.Length + StandardPrecision(spec),
        // Another base-library object (a KeyValuePair of StringBuilders, a Lazy): its text, measured once more.
        _ when o.GetType().Assembly == typeof(object).Assembly => o.ToString()?.Length ?? 0,
        _ => 64 + spec.Length + StandardPrecision(spec),
    };

    private static long TupleLength(ITuple t, int depth)
    {
        long total = 2 + 2L * t.Length;
        for (int i = 0; i < t.Length; i++) total += TextLength(t[i], default, depth + 1);
        return total;
    }

    /// <summary>Wraps every format handed to the base library (`x.ToString("D8")`, TryFormat, AppendFormatted): a
    /// standard numeric format's precision is how many digits one call writes ("D999999999" makes a billion),
    /// so past the domain's array limit it faults the domain. Returns <paramref name="format"/>.</summary>
    public static string? Precision(string? format)
    {
        if (format is { Length: > 1 }) Precise(format.AsSpan());
        return format;
    }

    /// <summary>The same for a format given as a span.</summary>
    public static ReadOnlySpan<char> Precision(ReadOnlySpan<char> format)
    {
        if (format.Length > 1) Precise(format);
        return format;
    }

    private static void Precise(ReadOnlySpan<char> format)
    {
        long digits = StandardPrecision(format);
        if (digits <= OutputLimit()) return;
        var c = CurrentDomain.Cell;
        HeapAccess.Fault(c, $"precision limit: the format \"{format[..Math.Min(format.Length, 24)]}\" writes {digits} digits, a domain may make at most {c->MaxArrayLength} characters in one call (its array limit)");
    }

    /// <summary>The precision of a standard numeric format ("D8", "F2", "X16"): a letter and digits; 0 otherwise.</summary>
    private static long StandardPrecision(ReadOnlySpan<char> spec) =>
        spec.Length > 1 && char.IsAsciiLetter(spec[0]) && long.TryParse(spec[1..], System.Globalization.NumberStyles.None, null, out long p) ? p : 0;
}
