// tests/os/kernel/Heap: the hold the heap's race attacks use (SettleAttacks, WriteAfterMoveAttacks): a test thread (or a
// thread it names) is held at the first Checked pause point (HeapRaceHook) it reaches in a given domain, after a given
// number of others there, until the test releases it (or HoldBound passes). Keyed by managed thread id, so a hold never
// catches another test's thread; the heap-race collection runs alone besides (HeapRacesCollection).
using RedLeaf.Os.Heap;
using Xunit;

namespace RedLeaf.Tests.Kernel.Heap;

/// <summary>Holds a thread of the test at the first Checked pause point it reaches in a given domain.</summary>
internal sealed class Holds : IDisposable
{
    private readonly Dictionary<int, Hold> _byThread = new();
    private readonly List<Hold> _order = new();

    /// <summary>How long a held thread waits to be released before it goes on by itself.</summary>
    public static readonly TimeSpan HoldBound = TimeSpan.FromSeconds(8);

    public Holds() => HeapRaceHook.Install(OnPoint);

    public void Hold(int domainId, int skip = 0)
    {
        var h = new Hold(domainId) { Skip = skip };
        lock (_byThread)
        {
            _byThread[Environment.CurrentManagedThreadId] = h;
            _order.Add(h);
        }
    }

    public bool TryReached(int index, TimeSpan bound)
    {
        Hold? h = null;
        return SpinWait.SpinUntil(() => { lock (_byThread) h = _order.Count <= index ? null : _order[index]; return h is not null; }, bound) && h!.At.Wait(bound);
    }

    /// <summary>As Hold, for another thread (by its managed id).</summary>
    public void HoldThread(int threadId, int domainId, int skip = 0)
    {
        var h = new Hold(domainId) { Skip = skip };
        lock (_byThread)
        {
            _byThread[threadId] = h;
            _order.Add(h);
        }
    }

    public Hold Reached(int index, string what, TimeSpan bound)
    {
        Hold? h = null;
        Assert.True(SpinWait.SpinUntil(() => { lock (_byThread) h = _order.Count <= index ? null : _order[index]; return h is not null; }, bound), $"{what}: no hold was set");
        Assert.True(h!.At.Wait(bound), $"{what}: the thread never reached its check");
        return h;
    }

    private void OnPoint(HeapRacePoint point, int domain, int slot, long first)
    {
        if (point != HeapRacePoint.Checked) return;
        Hold? h;
        lock (_byThread) _byThread.TryGetValue(Environment.CurrentManagedThreadId, out h);
        if (h is null || h.DomainId != domain || Interlocked.Decrement(ref h.Skip) >= 0 || Interlocked.Exchange(ref h.Used, 1) != 0) return;
        h.Slot = slot;
        h.First = first;
        h.At.Set();
        h.Go.Wait(HoldBound);
    }

    public void ReleaseAll()
    {
        lock (_byThread) foreach (var h in _order) h.Go.Set();
    }

    public void Dispose()
    {
        HeapRaceHook.Install(null);
        lock (_byThread) foreach (var h in _order) h.Go.Set();
    }
}

internal sealed class Hold(int domainId)
{
    public readonly int DomainId = domainId;
    public readonly ManualResetEventSlim At = new();
    public readonly ManualResetEventSlim Go = new();
    public int Used;
    public int Skip;
    public int Slot;
    public long First;
    public void Release() => Go.Set();
}
