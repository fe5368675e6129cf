// domains/Interfaces/Rv6: a read's buffer and its count, moved into the callee and back as one RRef
// (RedLeaf's VFS returns (count, buffer) the same way). Before the call Count is how many bytes to
// read (at most Data.Length); after it, how many were read: 0 at end of file, -1 on error.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

public struct IoVec
{
    public int Count;
    public RRefArray<byte> Data;
}

/// <summary>The two ends of a pipe (xv6's pipe(fd[2])); both -1 on failure.</summary>
public struct FdPair
{
    public int Read, Write;
}

/// <summary>What wait returns: the child that ended and its exit status; Pid -1 if there are no children.</summary>
public struct WaitStatus
{
    public int Pid, Status;
}
