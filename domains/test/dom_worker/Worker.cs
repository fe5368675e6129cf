// domains/test/dom_worker: a domain that gets a thread from the kernel (DomainThreads.Spawn) and
// works on it, calling dom_b; tests watch the thread run, end, and die with the domain.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;

namespace Domains.Test.DomWorker;

public static class Entry
{
    [DomainEntry]
    public static IWorker Start(IDomB domB) => new Worker(domB);
}

internal sealed class Worker : IWorker
{
    private readonly IDomB _b;
    private long _done;

    public Worker(IDomB b) => _b = b;

    public RpcResult<long> StartWorker(long calls) => DomainThreads.Spawn("adder", new Body(this, calls));

    public RpcResult<long> Progress() => _done;

    private sealed class Body : IThreadBody
    {
        private readonly Worker _w;
        private readonly long _calls;

        public Body(Worker w, long calls) { _w = w; _calls = calls; }

        public RpcResult Run()
        {
            for (long i = 0; i < _calls; i++)
            {
                var r = _w._b.Add(i, 1);
                if (!r.IsOk) return r.Error;
                _w._done++;
            }
            return RpcResult.Ok;
        }
    }
}
