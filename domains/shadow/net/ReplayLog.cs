// domains/shadow/net: the net shadow's log of frames handed to the driver to transmit and not yet reported sent, in
// the order they were handed over: a ring of copies in buffers the shadow owns (RRefs of the shared heap, so they
// survive the driver), each with its length. Spare buffers are kept for reuse; the ring and the spares grow only when
// more frames are unconfirmed at once than ever before, so a steady stream allocates nothing per packet.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Net;

namespace Domains.Shadow.Net;

internal sealed class ReplayLog
{
    private RRefArray<byte>[] _copies = new RRefArray<byte>[64];
    private int[] _lengths = new int[64];
    private int _head, _count;
    private RRefArray<byte>[] _spare = new RRefArray<byte>[64];
    private int _spareCount;
    private byte[] _scratch = new byte[0];

    /// <summary>Frames kept and not yet confirmed sent.</summary>
    public int Count => _count;

    /// <summary>Copies every frame of <paramref name="packets"/> (about to be transmitted) to the log's end.</summary>
    public void Keep(RRefDeque<Packet> packets, int bufferBytes)
    {
        if (_scratch.Length < bufferBytes) _scratch = new byte[bufferBytes];
        for (int i = 0, n = packets.Count; i < n; i++)
        {
            var p = packets[i];
            int length = p.Buffer.IsNull ? 0 : Math.Min(p.Length, Math.Min(p.Buffer.Length, bufferBytes));
            var copy = _spareCount > 0 ? _spare[--_spareCount] : RRefArray<byte>.New(bufferBytes);
            if (length > 0)
            {
                var bytes = _scratch.AsSpan(0, length);
                p.Buffer.CopyTo(bytes);
                copy.CopyFrom(bytes);
            }
            if (_count == _copies.Length) Grow();
            int at = (_head + _count) % _copies.Length;
            _copies[at] = copy;
            _lengths[at] = length;
            _count++;
        }
    }

    /// <summary>Forgets the last <paramref name="n"/> frames kept (a batch the driver never took).</summary>
    public void Unkeep(int n)
    {
        for (; n > 0 && _count > 0; n--)
        {
            _count--;
            Release(_copies[(_head + _count) % _copies.Length]);
        }
    }

    /// <summary>The driver took <paramref name="submitted"/> frames and handed back <paramref name="result"/>: its frames
    /// still carrying a length came back unsent (the newest of those submitted: forgotten, the caller has them again),
    /// the others are sent buffers, each confirming the oldest frame kept.</summary>
    public void Confirm(RRefDeque<Packet> result, int submitted)
    {
        int n = result.Count, unsent = 0;
        while (unsent < n && result[unsent].Length > 0) unsent++; // the driver puts unsent frames first
        Unkeep(Math.Min(unsent, submitted));
        for (int sent = n - unsent; sent > 0 && _count > 0; sent--)
        {
            Release(_copies[_head]);
            _head = (_head + 1) % _copies.Length;
            _count--;
        }
    }

    /// <summary>A batch of new buffers holding every frame kept, oldest first, to re-send (the log keeps its copies
    /// until the re-sent frames are confirmed). Allocates: only after a crash.</summary>
    public RRefDeque<Packet> Copies(int bufferBytes)
    {
        DropEmpty(); // a packet that carried no frame is not re-sent
        var batch = RRefDeque<Packet>.New(_count);
        for (int i = 0; i < _count; i++)
        {
            int at = (_head + i) % _copies.Length;
            var buffer = RRefArray<byte>.New(bufferBytes);
            var bytes = _scratch.AsSpan(0, _lengths[at]);
            _copies[at].CopyTo(bytes);
            buffer.CopyFrom(bytes);
            batch.TryPushBack(new Packet { Buffer = buffer, Length = _lengths[at] });
        }
        return batch;
    }

    private void DropEmpty()
    {
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            int at = (_head + i) % _copies.Length, to = (_head + kept) % _copies.Length;
            if (_lengths[at] == 0) { Release(_copies[at]); continue; }
            _copies[to] = _copies[at];
            _lengths[to] = _lengths[at];
            kept++;
        }
        _count = kept;
    }

    private void Release(RRefArray<byte> copy)
    {
        if (_spareCount == _spare.Length) Array.Resize(ref _spare, _spare.Length * 2);
        _spare[_spareCount++] = copy;
    }

    private void Grow()
    {
        var copies = new RRefArray<byte>[_copies.Length * 2];
        var lengths = new int[copies.Length];
        for (int i = 0; i < _count; i++)
        {
            copies[i] = _copies[(_head + i) % _copies.Length];
            lengths[i] = _lengths[(_head + i) % _copies.Length];
        }
        _copies = copies;
        _lengths = lengths;
        _head = 0;
    }
}
