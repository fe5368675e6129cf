// kernel-ext/RedLeaf.Notebook/Charts: one axis of a static chart (PngChart): its kind (numbers, a
// log scale, or categories), its range, and the ticks plotly.js would choose: steps of 1, 2 or 5 times
// a power of ten; decades on a log scale (with 2 and 5 between when there are few); one tick per category.
// Labels are short as plotly writes them (1500, 12k, 3.5M).
using System.Globalization;

namespace RedLeaf.Notebook.Charts;

internal sealed class ChartAxis
{
    private ChartAxis(bool log, IReadOnlyList<string>? categories, double low, double high)
    {
        Log = log;
        Categories = categories;
        Low = low;
        High = high;
    }

    public bool Log { get; }
    public IReadOnlyList<string>? Categories { get; }
    /// <summary>The range in axis units (log10 of the value on a log scale; category index from -0.5).</summary>
    public double Low { get; }
    public double High { get; }

    public static ChartAxis ForCategories(IReadOnlyList<string> categories) => new(false, categories, -0.5, categories.Count - 0.5);

    /// <summary>An axis covering <paramref name="values"/> (NaN ignored); <paramref name="fromZero"/> for bars.</summary>
    public static ChartAxis ForValues(IEnumerable<double> values, bool log, bool fromZero, bool pad, double[]? range)
    {
        if (range is { Length: 2 }) return new(log, null, range[0], range[1]);
        var v = values.Where(x => double.IsFinite(x) && (!log || x > 0)).ToArray();
        double lo = v.Length == 0 ? (log ? 1 : 0) : v.Min(), hi = v.Length == 0 ? (log ? 10 : 1) : v.Max();
        if (log)
        {
            lo = Math.Log10(lo);
            hi = Math.Log10(hi);
        }
        else if (fromZero)
        {
            lo = Math.Min(lo, 0);
            hi = Math.Max(hi, 0);
        }
        if (hi <= lo) { lo -= 0.5; hi += 0.5; }
        double span = hi - lo;
        if (pad || fromZero) { hi += span * 0.05; if (!(fromZero && !log && lo == 0)) lo -= span * 0.05; }
        return new(log, null, lo, hi);
    }

    /// <summary>A data value in axis units (NaN where a log axis cannot show it).</summary>
    public double ToUnits(double value) => Log ? (value > 0 ? Math.Log10(value) : double.NaN) : value;

    /// <summary>Where <paramref name="units"/> falls between <paramref name="from"/> and <paramref name="to"/> pixels.</summary>
    public float ToPixel(double units, float from, float to) => (float)(from + (units - Low) / (High - Low) * (to - from));

    /// <summary>Tick positions (axis units) and their labels.</summary>
    public IReadOnlyList<(double At, string Label)> Ticks(int maxTicks)
    {
        if (Categories is not null)
        {
            int every = Math.Max(1, (int)Math.Ceiling(Categories.Count / (double)Math.Max(maxTicks, 1)));
            return Categories.Select((c, i) => (At: (double)i, Label: c)).Where(t => (int)t.At % every == 0).ToArray();
        }
        var ticks = new List<(double, string)>();
        if (Log)
        {
            int first = (int)Math.Floor(Low), last = (int)Math.Ceiling(High);
            bool between = last - first <= 3;
            for (int d = first; d <= last; d++)
                foreach (double m in between ? new[] { 1.0, 2, 5 } : new[] { 1.0 })
                {
                    double u = d + Math.Log10(m);
                    if (u >= Low - 1e-9 && u <= High + 1e-9) ticks.Add((u, Label(Math.Pow(10, u), Math.Pow(10, d))));
                }
            return ticks;
        }
        double step = NiceStep((High - Low) / Math.Max(maxTicks, 2));
        for (double t = Math.Ceiling(Low / step - 1e-9) * step; t <= High + step * 1e-9; t += step)
        {
            double at = Math.Abs(t) < step * 1e-9 ? 0 : t; // never "-0"
            ticks.Add((at, Label(at, step)));
        }
        return ticks;
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    /// <summary>A tick label as plotly writes it: k and M past ten thousand, decimals only as the step needs.</summary>
    public static string Label(double value, double step)
    {
        double a = Math.Abs(value);
        if (a >= 1e4)
        {
            var (div, suffix) = a >= 1e9 ? (1e9, "G") : a >= 1e6 ? (1e6, "M") : (1e3, "k");
            return Label(value / div, step / div) + suffix;
        }
        int decimals = step >= 1 || step <= 0 ? 0 : Math.Min(6, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        return value.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture); // 1, 1.5, 2 as plotly writes them
    }
}
