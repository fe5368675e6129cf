// domains/Interfaces/Net: one network packet as it crosses domains: a buffer on the shared heap (it
// moves, never copies: the NIC writes received frames straight into it and sends straight from it)
// and how many of its bytes are the frame.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Net;

public struct Packet
{
    public RRefArray<byte> Buffer;
    /// <summary>Frame bytes in Buffer (0 for an empty buffer given for receiving or returned after sending).</summary>
    public int Length;
}
