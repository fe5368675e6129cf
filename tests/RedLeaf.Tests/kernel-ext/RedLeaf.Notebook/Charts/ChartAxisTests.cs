// tests/kernel-ext/RedLeaf.Notebook/Charts: the static chart's axes choose ticks as plotly does: steps of 1, 2 or 5
// times a power of ten, labels without needless decimals or a "-0", k and M from ten thousand (1000 stays 1000), decades on
// a log scale (with 2 and 5 between when the range is short), every category when there is room.
using RedLeaf.Notebook.Charts;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public class ChartAxisTests
{
    [Fact]
    public void LinearTicksAreOneTwoOrFiveTimesAPowerOfTen()
    {
        var axis = ChartAxis.ForValues(new[] { -0.3, 2.7 }, log: false, fromZero: false, pad: false, range: null);
        var ticks = axis.Ticks(6);
        Assert.Equal(new[] { "0", "0.5", "1", "1.5", "2", "2.5" }, ticks.Select(t => t.Label));
        Assert.Equal(0.5, ChartAxis.NiceStep(0.41));
        Assert.Equal(2000, ChartAxis.NiceStep(1234));
        Assert.Equal("12k", ChartAxis.Label(12_000, 2000));
        Assert.Equal("3.5M", ChartAxis.Label(3_500_000, 500_000));
    }

    [Fact]
    public void LogTicksAreDecadesWithTwoAndFiveWhenTheRangeIsShort()
    {
        var wide = ChartAxis.ForValues(new[] { 1.0, 100_000 }, log: true, fromZero: false, pad: false, range: null);
        Assert.Equal(new[] { "1", "10", "100", "1000", "10k", "100k" }, wide.Ticks(8).Select(t => t.Label));
        var narrow = ChartAxis.ForValues(new[] { 20.0, 1000 }, log: true, fromZero: false, pad: false, range: null);
        Assert.Equal(new[] { "20", "50", "100", "200", "500", "1000" }, narrow.Ticks(8).Select(t => t.Label));
    }

    [Fact]
    public void BarsStartFromZeroAndCategoriesEachGetATick()
    {
        var bars = ChartAxis.ForValues(new[] { 3.0, 9.6 }, log: false, fromZero: true, pad: false, range: null);
        Assert.Equal(0, bars.Low);
        Assert.True(bars.High > 9.6);
        var categories = ChartAxis.ForCategories(new[] { "direct", "domain", "shadow" });
        Assert.Equal(new[] { "direct", "domain", "shadow" }, categories.Ticks(10).Select(t => t.Label));
    }
}
