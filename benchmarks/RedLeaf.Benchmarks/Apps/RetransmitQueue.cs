// benchmarks/RedLeaf.Benchmarks/Apps: the key-value store's clients sending a request again when its reply never came
// (what a UDP store's clients do: MICA's, memcached's over UDP). Client c sends the frames whose number is c modulo the
// number of clients (the generator's flows), and request n is first sent in frame n. When the reply checker finds that
// the sink skipped frame f (a driver crash lost the request, or its reply), the request f carried waits on its client's
// queue; the client's next frame carries it instead of a new request, so a request is always sent again by its own
// client, after the requests it sent before. Which request a frame carried is remembered (in frame order) until the
// checker reaches that frame, answered or skipped again. Nothing is allocated per request: the queue's nodes and the
// frames in flight are kept in arrays that grow only if a crash loses more requests at once than they hold.
namespace RedLeaf.Benchmarks.Apps;

public sealed class RetransmitQueue
{
    private const int InitialCapacity = 4096;
    private readonly int _clients;
    private readonly ulong _clientMask; // _clients - 1 when a power of two, else 0
    private readonly int[] _head, _tail; // per client: the first and last node of its waiting requests, -1: none
    private ulong[] _nodeRequest = new ulong[InitialCapacity];
    private int[] _nodeNext = new int[InitialCapacity];
    private int _free = -1, _used;
    private ulong[] _flightFrame = new ulong[InitialCapacity];   // the frames carrying a request sent again, in frame order (a ring)
    private ulong[] _flightRequest = new ulong[InitialCapacity];
    private int _flightFirst, _flightCount;

    /// <param name="clients">The clients (the generator's flows): client c sends the frames numbered c modulo clients.</param>
    public RetransmitQueue(int clients)
    {
        if (clients < 1) throw new ArgumentOutOfRangeException(nameof(clients), clients, "at least one client");
        _clients = clients;
        _clientMask = ulong.IsPow2((ulong)clients) ? (ulong)clients - 1 : 0;
        _head = new int[clients];
        _tail = new int[clients];
        Array.Fill(_head, -1);
        Array.Fill(_tail, -1);
    }

    public int Clients => _clients;
    /// <summary>Requests waiting for their client's next frame.</summary>
    public int Waiting { get; private set; }
    /// <summary>Requests sent again whose frame the checker has not reached yet.</summary>
    public int InFlight => _flightCount;
    /// <summary>Requests sent again in all (a request lost twice counts twice).</summary>
    public long Sent { get; private set; }
    /// <summary>Requests sent again and not answered yet: waiting or in flight.</summary>
    public int Unanswered => Waiting + _flightCount;

    /// <summary>The client that sends frame (or first sends request) <paramref name="n"/>.</summary>
    public int ClientOf(ulong n) => (int)(_clientMask != 0 || _clients == 1 ? n & _clientMask : n % (ulong)_clients);

    /// <summary>The reply to <paramref name="request"/> never came: its client sends it again in its next frame.</summary>
    public void Add(ulong request)
    {
        int n = NewNode();
        _nodeRequest[n] = request;
        _nodeNext[n] = -1;
        int c = ClientOf(request);
        if (_tail[c] < 0) _head[c] = n; else _nodeNext[_tail[c]] = n;
        _tail[c] = n;
        Waiting++;
    }

    /// <summary>The request frame <paramref name="frame"/> carries, as it is written: its client's oldest waiting request,
    /// or request <paramref name="frame"/> (a new one) if none waits. Called once per frame, in frame order.</summary>
    public ulong RequestFor(ulong frame)
    {
        if (Waiting == 0) return frame;
        int c = ClientOf(frame);
        int n = _head[c];
        if (n < 0) return frame;
        ulong request = _nodeRequest[n];
        _head[c] = _nodeNext[n];
        if (_head[c] < 0) _tail[c] = -1;
        _nodeNext[n] = _free;
        _free = n;
        Waiting--;
        if (_flightCount == _flightFrame.Length) GrowFlight();
        int slot = (_flightFirst + _flightCount) & (_flightFrame.Length - 1);
        _flightFrame[slot] = frame;
        _flightRequest[slot] = request;
        _flightCount++;
        Sent++;
        return request;
    }

    /// <summary>The checker reached frame <paramref name="frame"/> (its reply came, or the sink skipped it): the request it
    /// carried. Called once per frame number, in order.</summary>
    public ulong Reached(ulong frame)
    {
        while (_flightCount > 0)
        {
            ulong f = _flightFrame[_flightFirst];
            if (f > frame) break;
            ulong request = _flightRequest[_flightFirst];
            _flightFirst = (_flightFirst + 1) & (_flightFrame.Length - 1);
            _flightCount--;
            if (f == frame) return request;
            Add(request); // a frame the checker was never shown (not possible when it is called for every number): send it again
        }
        return frame;
    }

    private int NewNode()
    {
        if (_free >= 0)
        {
            int n = _free;
            _free = _nodeNext[n];
            return n;
        }
        if (_used == _nodeRequest.Length)
        {
            Array.Resize(ref _nodeRequest, _used * 2);
            Array.Resize(ref _nodeNext, _used * 2);
        }
        return _used++;
    }

    private void GrowFlight()
    {
        var frames = new ulong[_flightFrame.Length * 2];
        var requests = new ulong[frames.Length];
        for (int i = 0; i < _flightCount; i++)
        {
            int slot = (_flightFirst + i) & (_flightFrame.Length - 1);
            frames[i] = _flightFrame[slot];
            requests[i] = _flightRequest[slot];
        }
        _flightFrame = frames;
        _flightRequest = requests;
        _flightFirst = 0;
    }

    public override string ToString() => $"retransmits: {Sent} sent, {Waiting} waiting, {InFlight} in flight";
}
