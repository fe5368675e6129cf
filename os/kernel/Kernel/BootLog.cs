// os/kernel/Kernel: the kernel's log: boot steps, domains loaded and verified, crashes and what
// cleanup did. Notebooks show it; tests read it.
namespace RedLeaf.Os;

public sealed record LogEntry(TimeSpan At, string Message)
{
    public override string ToString() => $"[{At.TotalMilliseconds,9:F3} ms] {Message}";
}

/// <summary>The log is bounded: domains make entries (a thread spawned, a crash), so a domain spawning threads in a
/// loop must not grow the kernel's memory without end (red team, 2026-12-07). The first <see cref="KeptFirst"/>
/// entries (the boot) stay; after <see cref="MaxEntries"/> the oldest of the rest make room, counted in
/// <see cref="Dropped"/>.</summary>
public sealed class BootLog
{
    public const int MaxEntries = 1_000;
    public const int KeptFirst = 100;
    private readonly List<LogEntry> _entries = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _dropped;

    public void Add(string message)
    {
        lock (_entries)
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.RemoveAt(KeptFirst);
                _dropped++;
            }
            _entries.Add(new LogEntry(_clock.Elapsed, message));
        }
    }

    public IReadOnlyList<LogEntry> Entries { get { lock (_entries) return _entries.ToArray(); } }

    /// <summary>Entries that made room for newer ones (after the boot's first KeptFirst).</summary>
    public long Dropped { get { lock (_entries) return _dropped; } }

    public override string ToString() =>
        string.Join(Environment.NewLine, Dropped == 0 ? Entries.Select(e => e.ToString()) : Entries.Take(KeptFirst).Select(e => e.ToString())
            .Append($"({Dropped} older entries dropped: the log keeps the boot and the last {MaxEntries - KeptFirst})").Concat(Entries.Skip(KeptFirst).Select(e => e.ToString())));
}
