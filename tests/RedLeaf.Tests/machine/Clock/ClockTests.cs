// tests/machine/Clock: the machine's cycle counter (machine/Clock).
// Checks that reads move forward, that the calibrated rate agrees with Stopwatch, and that the
// stopwatch fallback works on a machine that has rdtsc. Time bounds are deliberately loose: these
// run on shared, virtualised hosts.
using System.Diagnostics;
using System.Runtime.InteropServices;
using RedLeaf.Hardware;
using Xunit;

namespace RedLeaf.Tests.Machine;

[Trait("suite", "machine")]
public class ClockTests
{
    [Fact]
    public void Read_never_goes_backwards()
    {
        ulong previous = Tsc.Read();
        for (int i = 0; i < 100_000; i++)
        {
            ulong now = Tsc.Read();
            Assert.True(now >= previous, $"read {i}: {now} < {previous}");
            previous = now;
        }
    }

    [Fact]
    public void ReadFenced_never_goes_backwards_and_advances()
    {
        ulong first = Tsc.ReadFenced(), previous = first;
        for (int i = 0; i < 10_000; i++)
        {
            ulong now = Tsc.ReadFenced();
            Assert.True(now >= previous, $"read {i}: {now} < {previous}");
            previous = now;
        }
        Assert.True(previous > first);
    }

    [Fact]
    public void Rdtsc_is_used_on_x64_linux_unless_disabled()
    {
        bool expected = OperatingSystem.IsLinux()
            && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Environment.GetEnvironmentVariable(ClockSource.EnvironmentVariable) is null;
        if (expected)
            Assert.True(Tsc.IsHardware, Tsc.Current.Note);
        Assert.Equal(Tsc.IsHardware ? ClockSource.RdtscName : ClockSource.FallbackName, Tsc.Source);
    }

    [Fact]
    public void Hz_is_plausible()
    {
        if (Tsc.IsHardware)
            Assert.InRange(Tsc.Hz, 0.5e9, 10e9);
        else
            Assert.Equal(ClockSource.FallbackHz, Tsc.Hz);
    }

    [Fact]
    public void Hz_agrees_with_Stopwatch_over_a_sleep() => AssertAgreesWithStopwatch(Tsc.ReadFenced, Tsc.Hz);

    [Fact]
    public void Read_cost_is_within_generous_bounds()
    {
        double cost = Tsc.CalibrateReadCost();
        Assert.InRange(cost, 0, 100_000);
        Assert.InRange(Tsc.CalibrateReadCost(fenced: true), 0, 100_000);
        Assert.Equal(Tsc.ReadCost, Tsc.Info.ReadCostCycles);
    }

    [Fact]
    public void Info_describes_the_chosen_source()
    {
        ClockInfo info = Tsc.Info;
        Assert.Equal(Tsc.Source, info.Source);
        Assert.Equal(Tsc.Hz, info.Hz);
        Assert.False(string.IsNullOrWhiteSpace(info.Note));
    }

    [Fact]
    public void Fallback_works_when_forced()
    {
        ClockSource fallback = ClockSource.CreateFallback("forced by test");
        Assert.False(fallback.IsHardware);
        Assert.Equal(ClockSource.FallbackName, fallback.Name);
        Assert.Equal(ClockSource.FallbackHz, fallback.Hz);
        Assert.Contains("forced by test", fallback.Info.Note);
        Assert.Contains("nominal", fallback.Info.Note);

        ulong previous = fallback.Read();
        for (int i = 0; i < 10_000; i++)
        {
            ulong now = fallback.ReadFenced();
            Assert.True(now >= previous);
            previous = now;
        }
        Assert.InRange(fallback.CalibrateReadCost(), 0, 100_000);
        AssertAgreesWithStopwatch(fallback.ReadFenced, fallback.Hz);
    }

    [Fact]
    public void Hardware_source_can_be_built_directly_where_available()
    {
        ClockSource? hardware = ClockSource.TryCreateHardware(out string why);
        Assert.False(string.IsNullOrWhiteSpace(why));
        if (hardware is null)
            return;
        Assert.True(hardware.IsHardware);
        Assert.True(hardware.ReadFenced() > 0);
        AssertAgreesWithStopwatch(hardware.Read, hardware.Hz);
    }

    /// <summary>The clock and the Stopwatch measure the same 50 ms within 10%. Each end is read between two
    /// Stopwatch timestamps, and a window where the thread was descheduled between the reads (the bracket
    /// wider than 1 ms) is measured again, up to five times: on a shared machine a preemption between two
    /// reads would otherwise skew a short window by itself.</summary>
    static void AssertAgreesWithStopwatch(Func<ulong> read, double hz)
    {
        double ratio = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long a0 = Stopwatch.GetTimestamp();
            ulong start = read();
            long a1 = Stopwatch.GetTimestamp();
            Thread.Sleep(50);
            long b0 = Stopwatch.GetTimestamp();
            ulong end = read();
            long b1 = Stopwatch.GetTimestamp();
            double bracket = (double)Math.Max(a1 - a0, b1 - b0) / Stopwatch.Frequency;
            double stopwatchSeconds = ((b0 + b1) / 2.0 - (a0 + a1) / 2.0) / Stopwatch.Frequency;
            ratio = (end - start) / hz / stopwatchSeconds;
            if (bracket < 0.001 && ratio is >= 0.9 and <= 1.1) return;
        }
        Assert.InRange(ratio, 0.9, 1.1);
    }
}
