// benchmarks/RedLeaf.Benchmarks/Gc: the runtime's own account of its collections, read in process with an
// EventListener on "Microsoft-Windows-DotNETRuntime" (the GC keyword, informational level: the events
// PerfView and dotnet-trace show). Pauses are paired from GCSuspendEEBegin_V1 (id 9) and GCRestartEEEnd_V1
// (id 3); GCStart_V2 (id 1) inside a pause says which generation and why. Events reach the listener on
// the runtime's dispatch thread a little after they happen, with their own timestamps, so WaitFor lets
// them catch up before a window is read. Only suspensions for a collection (reason 1, or 6, the
// collector's preparation) are GC pauses; the others (the tiered JIT's call counting, a debugger) are kept
// apart (ForGc false), since they stall every thread too.
using System.Diagnostics.Tracing;

namespace RedLeaf.Benchmarks.Gc;

public sealed class GcPauseListener : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1, GcEnd = 2, RestartEEEnd = 3, SuspendEEBegin = 9;

    // Field initializers run before EventListener's constructor, which may already call OnEventSourceCreated.
    private readonly object _gate = new();
    private readonly List<GcPause> _pauses = new();
    private readonly int[] _collections = new int[3];
    private DateTime? _suspendedAt;
    private bool _suspendForGc;
    private uint _reason;
    private int _generation = -1;
    private bool _induced;
    private bool _background;
    private bool _backgroundRunning;
    private long _ends;
    private volatile bool _enabled;

    /// <summary>True once the runtime's event source was found and its GC events enabled.</summary>
    public bool Enabled => _enabled;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name != RuntimeSource) return;
        EnableEvents(source, EventLevel.Informational, GcKeyword);
        _enabled = true;
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_gate)
        {
            switch (e.EventId)
            {
                case SuspendEEBegin:
                    _suspendedAt = e.TimeStamp;
                    uint reason = Convert.ToUInt32(e.Payload![0]);
                    _suspendForGc = reason is 1 or 6;
                    _reason = reason;
                    _generation = -1;
                    _induced = false;
                    _background = _backgroundRunning;
                    break;
                case GcStart:
                    int depth = (int)Convert.ToUInt32(e.Payload![1]);
                    uint why = Convert.ToUInt32(e.Payload[2]);
                    uint type = Convert.ToUInt32(e.Payload[3]); // 0 blocking, 1 background, 2 foreground (during a background one)
                    _generation = depth;
                    _induced = why is 1 or 7; // Induced, InducedNotForced
                    _background = type == 1;
                    if (type == 1) _backgroundRunning = true;
                    if (depth is >= 0 and <= 2) _collections[depth]++;
                    break;
                case GcEnd:
                    _ends++;
                    if ((int)Convert.ToUInt32(e.Payload![1]) == 2) _backgroundRunning = false;
                    break;
                case RestartEEEnd:
                    if (_suspendedAt is { } at)
                        _pauses.Add(new GcPause(at, (e.TimeStamp - at).Ticks / 10.0, _generation, _background, _induced, _suspendForGc, _reason));
                    _suspendedAt = null;
                    break;
            }
        }
    }

    /// <summary>Collections started so far, by generation (0, 1, 2), as the events counted them.</summary>
    public int[] Collections { get { lock (_gate) return (int[])_collections.Clone(); } }

    /// <summary>Collections whose GCEnd has arrived.</summary>
    public long Ended { get { lock (_gate) return _ends; } }

    /// <summary>The suspensions (GC pauses and others: see GcPause.ForGc) that began in [from, to).</summary>
    public GcPause[] PausesBetween(DateTime from, DateTime to)
    {
        lock (_gate) return _pauses.Where(p => p.Start >= from && p.Start < to).ToArray();
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until the events of <paramref name="collections"/>
    /// collections have arrived; false if they did not.</summary>
    public bool WaitFor(long collections, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (Ended < collections)
        {
            if (sw.Elapsed > timeout) return false;
            Thread.Sleep(5);
        }
        Thread.Sleep(20); // the closing RestartEEEnd follows the GCEnd
        return true;
    }
}
