// domains/test/dom_b: the callee of the kernel's tests (after RedLeaf's dom_b). Untrusted code: it
// sees only the ABI, the IDL and the base library, and keeps its state in private fields.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomB;

internal sealed class DomB : IDomB
{
    private readonly List<RRef<Payload>> _kept = new();
    private readonly List<RRef<Pair>> _pairs = new();
    private readonly List<RRefDeque<RRef<Payload>>> _batches = new();
    private long _calls;

    public RpcResult Null()
    {
        _calls++;
        return RpcResult.Ok;
    }

    public RpcResult<long> Add(long a, long b)
    {
        _calls++;
        return a + b;
    }

    public RpcResult<long> Keep(RRef<Payload> p)
    {
        _calls++;
        var v = p.Value;
        _kept.Add(p);
        return v.A + v.B;
    }

    public RpcResult<RRef<Payload>> Produce(long a, long b)
    {
        _calls++;
        return RRef<Payload>.New(new Payload(a, b));
    }

    public RpcResult<long> Inspect(in RRef<Payload> p)
    {
        _calls++;
        var v = p.Value;
        return v.A * 1000 + v.B;
    }

    public RpcResult WriteBorrowed(in RRef<Payload> p)
    {
        _calls++;
        p.Value = new Payload(-1, -1);
        return RpcResult.Ok;
    }

    public RpcResult<long> KeepPair(RRef<Pair> pair)
    {
        _calls++;
        var v = pair.Value;
        _pairs.Add(pair);
        return v.Left.Value.A + v.Right.Value.A;
    }

    public RpcResult<long> DropKept()
    {
        long n = _kept.Count + _pairs.Count + _batches.Count;
        foreach (var p in _kept) p.Drop();
        foreach (var p in _pairs) p.Drop();
        foreach (var b in _batches) b.Drop();
        _kept.Clear();
        _pairs.Clear();
        _batches.Clear();
        return n;
    }

    public RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch)
    {
        _calls++;
        int n = batch.Count;
        for (int i = 0; i < n; i++)
        {
            batch.TryPopFront(out var item);
            var v = item.Value;
            item.Value = new Payload(v.A + 1, v.B);
            batch.TryPushBack(item);
        }
        return batch;
    }

    public RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch)
    {
        _calls++;
        _batches.Add(batch);
        return batch.Count;
    }

    public RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch)
    {
        _calls++;
        int n = batch.Count;
        for (int i = 0; i < n; i++)
        {
            batch.TryPopFront(out var pair);
            var v = pair.Value;
            pair.Value = new Pair { Left = v.Right, Right = v.Left, Tag = v.Tag };
            batch.TryPushBack(pair);
        }
        return batch;
    }

    public RpcResult Crash()
    {
        _calls++;
        throw new InvalidOperationException("dom_b crashed on purpose");
    }

    public RpcResult CrashHolding(RRef<Pair> pair)
    {
        _calls++;
        _pairs.Add(pair);
        _kept.Add(RRef<Payload>.New(new Payload(7, 7)));
        var more = RRefArray<long>.New(128);
        more[0] = 1;
        throw new InvalidOperationException("dom_b crashed while owning RRefs");
    }

    public RpcResult<long> Calls() => ++_calls;

    public RpcResult<ICounter> NewCounter(long start)
    {
        _calls++;
        return RpcResult.From<ICounter>(new Counter(start));
    }

    public RpcResult<long> Drive(ICounter counter, long n)
    {
        _calls++;
        long last = 0;
        for (long i = 0; i < n; i++)
        {
            var r = counter.Next();
            if (!r.IsOk) return r.Error;
            last = r.Value;
        }
        return last;
    }
}
