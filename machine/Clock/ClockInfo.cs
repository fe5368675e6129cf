// machine/Clock/ClockInfo.cs: the facts a measurement needs about the clock it was taken with.
// Every benchmark result carries one, so a number in cycles can be read back as time and compared
// across machines (a "cycle" from the stopwatch fallback is a nominal unit, not a CPU cycle).
namespace RedLeaf.Hardware;

/// <summary>Which counter was read, how fast it ticks, and what one read costs.</summary>
/// <param name="Source">"rdtsc" or "stopwatch-fallback".</param>
/// <param name="Hz">Ticks per second of the counter (calibrated for rdtsc, nominal for the fallback).</param>
/// <param name="ReadCostCycles">Median ticks between two back-to-back reads: subtract from timed regions.</param>
/// <param name="Note">Why this source was chosen, in plain words.</param>
public sealed record ClockInfo(string Source, double Hz, double ReadCostCycles, string Note);
