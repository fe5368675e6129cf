// os/abi/Kernel: the base-library calls whose output can be the product of bounded inputs (issue 17,
// class 4). Each input a domain hands the base library is bounded (Guard.Length), but `s.Replace("a",
// long)`, `string.Join(",", many)`, `sb.Insert(0, s, n)` or `string.Format("{0}{0}...", s)` make, in
// one call where no check runs and no kill lands, an output as large as the inputs multiplied. The
// trusted compiler's instrumentation calls these helpers instead (`s.Replace(a, b)` becomes
// `Guard.Replace(s, a, b)`: same parameters, names and evaluation order, the receiver first): each
// computes the output's length from its arguments, faults the domain if it is past the domain's
// array/string limit (DomainLimits.MaxArrayLength, the limit Guard.Length holds sizes to), and then
// makes the very call. Elements whose text the base library would get from ToString are turned into
// text once, in the order the base library would, and the call is made over those strings, so the
// total is known before the output is allocated. Which calls are here is the sweep of the allow-list
// in os/README.md ("4. Bounds on what one base-library call can do").
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using RedLeaf.Abi.Runtime;

namespace RedLeaf.Abi;

public static unsafe partial class Guard
{
    /// <summary>The most characters (or elements) one call may make for the running domain: its array limit.</summary>
    private static long OutputLimit()
    {
        var c = CurrentDomain.Cell;
        return c == null || c->IsKernel != 0 ? long.MaxValue : c->MaxArrayLength;
    }

    /// <summary>Faults the running domain if <paramref name="length"/> is past its limit.</summary>
    private static void Output(long length, string call)
    {
        if (length <= OutputLimit()) return;
        TooMuchOutput(length, call);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TooMuchOutput(long length, string call)
    {
        var c = CurrentDomain.Cell;
        HeapAccess.Fault(c, $"output length limit: {call} would make {length} characters, a domain may make at most {c->MaxArrayLength} in one call (its array limit)");
    }

    /// <summary>Wraps the hole count handed to an interpolation handler's constructor by hand (`new
    /// DefaultInterpolatedStringHandler(literalLength, formattedCount)`): its first buffer is 11 characters a
    /// hole, so the count is checked as that many characters. Returns <paramref name="formattedCount"/>.</summary>
    public static int Holes(int formattedCount)
    {
        if (formattedCount > 0) Output(11L * formattedCount, "an interpolation handler's first buffer");
        return formattedCount;
    }

    // ---- string.Replace, ReplaceLineEndings, StringBuilder.Replace --------------------------------

    public static string Replace(string target, string oldValue, string? newValue)
    {
        if (target is not null && oldValue is { Length: > 0 }) Replaced(target, oldValue, newValue, StringComparison.Ordinal, "string.Replace");
        return target!.Replace(oldValue, newValue);
    }

    public static string Replace(string target, string oldValue, string? newValue, StringComparison comparisonType)
    {
        comparisonType = Ordinal(comparisonType); // also where a caller other than the instrumentation passed a culture's
        if (target is not null && oldValue is { Length: > 0 }) Replaced(target, oldValue, newValue, comparisonType, "string.Replace");
        return target!.Replace(oldValue, newValue, comparisonType);
    }

    /// <summary>Ordinal, as every text search of a domain (Guard.Text.cs): a culture's search can take time quadratic in the text.</summary>
    public static string Replace(string target, string oldValue, string? newValue, bool ignoreCase, CultureInfo? culture) =>
        Replace(target, oldValue, newValue, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Checks the output of replacing <paramref name="oldValue"/> in <paramref name="s"/> (an ordinal search:
    /// every match is exactly oldValue's length): from the lengths alone when that fits, else from the matches counted.</summary>
    private static void Replaced(string s, string oldValue, string? newValue, StringComparison comparison, string call)
    {
        long added = (newValue?.Length ?? 0) - oldValue.Length;
        if (added <= 0) return;
        long limit = OutputLimit();
        if (s.Length + (s.Length / oldValue.Length + 1) * added <= limit) return;
        long matches = 0;
        if (comparison == StringComparison.Ordinal) matches = s.AsSpan().Count(oldValue.AsSpan());
        else
            for (int at = 0; at <= s.Length; at += oldValue.Length, matches++)
            {
                at = s.IndexOf(oldValue, at, comparison);
                if (at < 0) break;
            }
        Output(s.Length + matches * added, call);
    }

    public static string ReplaceLineEndings(string target, string replacementText)
    {
        if (target is not null && replacementText is { Length: > 1 } && target.Length + (long)target.Length * replacementText.Length > OutputLimit())
        {
            var t = target.AsSpan();
            long endings = t.Count('\r') + t.Count('\n') + t.Count('\f') + t.Count('\u0085') + t.Count('\u2028') + t.Count('\u2029');
            Output(target.Length + endings * (replacementText.Length - 1), "string.ReplaceLineEndings");
        }
        return target!.ReplaceLineEndings(replacementText);
    }

    public static StringBuilder Replace(StringBuilder target, string oldValue, string? newValue) =>
        Replace(target, oldValue, newValue, 0, target?.Length ?? 0);

    public static StringBuilder Replace(StringBuilder target, string oldValue, string? newValue, int startIndex, int count)
    {
        if (target is not null && oldValue is { Length: > 0 } && startIndex >= 0 && count >= 0 && startIndex <= target.Length - count)
            Grown(target, oldValue.AsSpan(), (newValue?.Length ?? 0), startIndex, count);
        return target!.Replace(oldValue, newValue, startIndex, count);
    }

    public static StringBuilder Replace(StringBuilder target, ReadOnlySpan<char> oldValue, ReadOnlySpan<char> newValue) =>
        Replace(target, oldValue, newValue, 0, target?.Length ?? 0);

    public static StringBuilder Replace(StringBuilder target, ReadOnlySpan<char> oldValue, ReadOnlySpan<char> newValue, int startIndex, int count)
    {
        if (target is not null && oldValue.Length > 0 && startIndex >= 0 && count >= 0 && startIndex <= target.Length - count)
            Grown(target, oldValue, newValue.Length, startIndex, count);
        return target!.Replace(oldValue, newValue, startIndex, count);
    }

    private static void Grown(StringBuilder b, ReadOnlySpan<char> oldValue, int newLength, int startIndex, int count)
    {
        long added = newLength - oldValue.Length;
        if (added <= 0 || b.Length + (count / oldValue.Length + 1) * added <= OutputLimit()) return;
        long matches = b.ToString(startIndex, count).AsSpan().Count(oldValue);
        Output(b.Length + matches * added, "StringBuilder.Replace");
    }

    public static StringBuilder Insert(StringBuilder target, int index, string? value, int count)
    {
        if (target is not null && value is { Length: > 0 } && count > 0) Output(target.Length + (long)value.Length * count, "StringBuilder.Insert");
        return target!.Insert(index, value, count);
    }

    // ---- string.Join, string.Concat, StringBuilder.AppendJoin --------------------------------------

    /// <summary>The total length of <paramref name="values"/> plus <paramref name="separator"/> between them, checked.</summary>
    private static void Joined(ReadOnlySpan<string?> values, int separator, long before, string call)
    {
        long limit = OutputLimit();
        long total = before + (values.Length > 1 ? (long)separator * (values.Length - 1) : 0);
        foreach (var v in values)
            if ((total += v?.Length ?? 0) > limit) break;
        Output(total, call);
    }

    /// <summary>Each element's text once, in order (what the base library would ask for), with the running
    /// total checked as it grows, so no more than the limit is held.</summary>
    private static string?[] Texts<T>(ReadOnlySpan<T> values, int separator, long before, string call)
    {
        var texts = new string?[values.Length];
        long total = before;
        for (int i = 0; i < values.Length; i++)
        {
            texts[i] = values[i]?.ToString();
            total += (texts[i]?.Length ?? 0) + (i > 0 ? separator : 0);
            Output(total, call);
        }
        return texts;
    }

    private static List<string?> Texts<T>(IEnumerable<T> values, int separator, long before, string call)
    {
        var texts = new List<string?>();
        long total = before;
        foreach (var v in values)
        {
            string? text = v?.ToString();
            total += (text?.Length ?? 0) + (texts.Count > 0 ? separator : 0);
            Output(total, call);
            texts.Add(text);
        }
        return texts;
    }

    public static string Join(char separator, params string?[] value)
    {
        if (value is not null) Joined(value, 1, 0, "string.Join");
        return string.Join(separator, value!);
    }

    public static string Join(string? separator, params string?[] value)
    {
        if (value is not null) Joined(value, separator?.Length ?? 0, 0, "string.Join");
        return string.Join(separator, value!);
    }

    public static string Join(char separator, string?[] value, int startIndex, int count)
    {
        if (value is not null && startIndex >= 0 && count >= 0 && startIndex <= value.Length - count) Joined(value.AsSpan(startIndex, count), 1, 0, "string.Join");
        return string.Join(separator, value!, startIndex, count);
    }

    public static string Join(string? separator, string?[] value, int startIndex, int count)
    {
        if (value is not null && startIndex >= 0 && count >= 0 && startIndex <= value.Length - count) Joined(value.AsSpan(startIndex, count), separator?.Length ?? 0, 0, "string.Join");
        return string.Join(separator, value!, startIndex, count);
    }

    public static string Join(char separator, params ReadOnlySpan<string?> value)
    {
        Joined(value, 1, 0, "string.Join");
        return string.Join(separator, value);
    }

    public static string Join(string? separator, params ReadOnlySpan<string?> value)
    {
        Joined(value, separator?.Length ?? 0, 0, "string.Join");
        return string.Join(separator, value);
    }

    public static string Join(char separator, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(separator, Texts<object?>(values, 1, 0, "string.Join"));
    }

    public static string Join(string? separator, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(separator, Texts<object?>(values, separator?.Length ?? 0, 0, "string.Join"));
    }

    public static string Join(char separator, params ReadOnlySpan<object?> values) => string.Join(separator, Texts(values, 1, 0, "string.Join"));

    public static string Join(string? separator, params ReadOnlySpan<object?> values) => string.Join(separator, Texts(values, separator?.Length ?? 0, 0, "string.Join"));

    public static string Join(string? separator, IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(separator, Texts(values, separator?.Length ?? 0, 0, "string.Join"));
    }

    public static string Join<T>(char separator, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(separator, Texts(values, 1, 0, "string.Join"));
    }

    public static string Join<T>(string? separator, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Join(separator, Texts(values, separator?.Length ?? 0, 0, "string.Join"));
    }

    public static string Concat(params string?[] values)
    {
        if (values is not null) Joined(values, 0, 0, "string.Concat");
        return string.Concat(values!);
    }

    public static string Concat(params ReadOnlySpan<string?> values)
    {
        Joined(values, 0, 0, "string.Concat");
        return string.Concat(values);
    }

    public static string Concat(params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return string.Concat(Texts<object?>(args, 0, 0, "string.Concat"));
    }

    public static string Concat(params ReadOnlySpan<object?> args) => string.Concat(Texts(args, 0, 0, "string.Concat"));

    public static string Concat(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Concat(Texts(values, 0, 0, "string.Concat"));
    }

    public static string Concat<T>(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return string.Concat(Texts(values, 0, 0, "string.Concat"));
    }

    public static StringBuilder AppendJoin(StringBuilder target, string? separator, params string?[] values)
    {
        if (target is not null && values is not null) Joined(values, separator?.Length ?? 0, target.Length, "StringBuilder.AppendJoin");
        return target!.AppendJoin(separator, values!);
    }

    public static StringBuilder AppendJoin(StringBuilder target, char separator, params string?[] values)
    {
        if (target is not null && values is not null) Joined(values, 1, target.Length, "StringBuilder.AppendJoin");
        return target!.AppendJoin(separator, values!);
    }

    public static StringBuilder AppendJoin(StringBuilder target, string? separator, params ReadOnlySpan<string?> values)
    {
        if (target is not null) Joined(values, separator?.Length ?? 0, target.Length, "StringBuilder.AppendJoin");
        return target!.AppendJoin(separator, values);
    }

    public static StringBuilder AppendJoin(StringBuilder target, char separator, params ReadOnlySpan<string?> values)
    {
        if (target is not null) Joined(values, 1, target.Length, "StringBuilder.AppendJoin");
        return target!.AppendJoin(separator, values);
    }

    public static StringBuilder AppendJoin(StringBuilder target, string? separator, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        return target.AppendJoin(separator, Texts<object?>(values, separator?.Length ?? 0, target.Length, "StringBuilder.AppendJoin"));
    }

    public static StringBuilder AppendJoin(StringBuilder target, char separator, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        return target.AppendJoin(separator, Texts<object?>(values, 1, target.Length, "StringBuilder.AppendJoin"));
    }

    public static StringBuilder AppendJoin(StringBuilder target, string? separator, params ReadOnlySpan<object?> values)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.AppendJoin(separator, Texts(values, separator?.Length ?? 0, target.Length, "StringBuilder.AppendJoin"));
    }

    public static StringBuilder AppendJoin(StringBuilder target, char separator, params ReadOnlySpan<object?> values)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.AppendJoin(separator, Texts(values, 1, target.Length, "StringBuilder.AppendJoin"));
    }

    public static StringBuilder AppendJoin<T>(StringBuilder target, string? separator, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        return target.AppendJoin(separator, Texts(values, separator?.Length ?? 0, target.Length, "StringBuilder.AppendJoin"));
    }

    public static StringBuilder AppendJoin<T>(StringBuilder target, char separator, IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        return target.AppendJoin(separator, Texts(values, 1, target.Length, "StringBuilder.AppendJoin"));
    }

    // ---- Convert and BitConverter: a fixed multiple of an array that may be past the limit ---------

    public static string ToBase64String(byte[] inArray)
    {
        if (inArray is not null) Output(Base64Length(inArray.Length, false), "Convert.ToBase64String");
        return Convert.ToBase64String(inArray!);
    }

    public static string ToBase64String(byte[] inArray, Base64FormattingOptions options)
    {
        if (inArray is not null) Output(Base64Length(inArray.Length, options != Base64FormattingOptions.None), "Convert.ToBase64String");
        return Convert.ToBase64String(inArray!, options);
    }

    public static string ToBase64String(byte[] inArray, int offset, int length)
    {
        Output(Base64Length(length, false), "Convert.ToBase64String");
        return Convert.ToBase64String(inArray, offset, length);
    }

    public static string ToBase64String(byte[] inArray, int offset, int length, Base64FormattingOptions options)
    {
        Output(Base64Length(length, options != Base64FormattingOptions.None), "Convert.ToBase64String");
        return Convert.ToBase64String(inArray, offset, length, options);
    }

    public static string ToBase64String(ReadOnlySpan<byte> bytes, Base64FormattingOptions options = Base64FormattingOptions.None)
    {
        Output(Base64Length(bytes.Length, options != Base64FormattingOptions.None), "Convert.ToBase64String");
        return Convert.ToBase64String(bytes, options);
    }

    private static long Base64Length(long bytes, bool lineBreaks)
    {
        long chars = (Math.Max(bytes, 0) + 2) / 3 * 4;
        return lineBreaks ? chars + chars / 76 * 2 : chars;
    }

    public static string ToHexString(byte[] inArray)
    {
        if (inArray is not null) Output(2L * inArray.Length, "Convert.ToHexString");
        return Convert.ToHexString(inArray!);
    }

    public static string ToHexString(byte[] inArray, int offset, int length)
    {
        Output(2L * length, "Convert.ToHexString");
        return Convert.ToHexString(inArray, offset, length);
    }

    public static string ToHexString(ReadOnlySpan<byte> bytes)
    {
        Output(2L * bytes.Length, "Convert.ToHexString");
        return Convert.ToHexString(bytes);
    }

    public static string ToHexStringLower(byte[] inArray)
    {
        if (inArray is not null) Output(2L * inArray.Length, "Convert.ToHexStringLower");
        return Convert.ToHexStringLower(inArray!);
    }

    public static string ToHexStringLower(byte[] inArray, int offset, int length)
    {
        Output(2L * length, "Convert.ToHexStringLower");
        return Convert.ToHexStringLower(inArray, offset, length);
    }

    public static string ToHexStringLower(ReadOnlySpan<byte> bytes)
    {
        Output(2L * bytes.Length, "Convert.ToHexStringLower");
        return Convert.ToHexStringLower(bytes);
    }

    public static string ToString(byte[] value)
    {
        if (value is not null) Output(3L * value.Length, "BitConverter.ToString");
        return BitConverter.ToString(value!);
    }

    public static string ToString(byte[] value, int startIndex)
    {
        if (value is not null) Output(3L * (value.Length - (long)startIndex), "BitConverter.ToString");
        return BitConverter.ToString(value!, startIndex);
    }

    public static string ToString(byte[] value, int startIndex, int length)
    {
        Output(3L * length, "BitConverter.ToString");
        return BitConverter.ToString(value, startIndex, length);
    }
}
