// os/kernel/Kernel: the kernel's log: boot steps, domains loaded and verified, crashes and what
// cleanup did. Notebooks show it; tests read it.
namespace RedLeaf.Os;

public sealed record LogEntry(TimeSpan At, string Message)
{
    public override string ToString() => $"[{At.TotalMilliseconds,9:F3} ms] {Message}";
}

public sealed class BootLog
{
    private readonly List<LogEntry> _entries = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void Add(string message) { lock (_entries) _entries.Add(new LogEntry(_clock.Elapsed, message)); }

    public IReadOnlyList<LogEntry> Entries { get { lock (_entries) return _entries.ToArray(); } }

    public override string ToString() => string.Join(Environment.NewLine, Entries);
}
