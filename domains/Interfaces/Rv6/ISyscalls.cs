// domains/Interfaces/Rv6: rv6's system calls, as a user program (domains/rv6/user) sees them: xv6's
// (user/user.h) with fork+exec replaced by Spawn, as in RedLeaf's rv6 (a C# program cannot copy
// itself; a new program is a new domain). The core gives each process its own ISyscalls object, so
// it always knows which process is calling. Paths and data are lent byte arrays; reads move a buffer
// in and back (IoVec). Errors are -1 (Stat: Type 0), as in xv6.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes (rv6's core), the program gets RpcErrorKind.CalleeCrashed (CalleeKilled
/// after a kill), which ulib turns into -1 as xv6 does for a failed system call: lent paths, data and
/// fds stay the program's, an IoVec moved into Read is gone (ulib allocates a new one). Nothing restarts
/// the core: every later call returns NotRunning (-1 again), and the host's IRv6.Run reports that the
/// core is not running.</remarks>
[DomainInterface]
public interface ISyscalls
{
    /// <summary>Starts a program in a new process (its own domain). <paramref name="argv"/>: the arguments,
    /// each followed by a NUL byte, argv[0] the program's name; <paramref name="fds"/>: the caller's file
    /// descriptors that become the child's 0, 1, 2, ... (each dup'ed). The child's pid, or -1.</summary>
    RpcResult<int> Spawn(in RRefArray<byte> argv, in RRefArray<int> fds);

    /// <summary>xv6's exec: replaces the calling process's program with a fresh domain of argv[0] (a C#
    /// program, or an ELF file run by the RISC-V interpreter, chosen as Spawn chooses), given
    /// <paramref name="argv"/>. The pid, open files, working directory, parent and children stay. -1 if there
    /// is no such program or it fails to start (the caller runs on); on success the caller's domain is
    /// unloaded: its thread leaves it, and the new program's Main runs in the same process.</summary>
    RpcResult<int> Exec(in RRefArray<byte> argv);

    /// <summary>Waits for a child to exit; its pid and status, or Pid -1 if the caller has no children.</summary>
    RpcResult<WaitStatus> Wait();

    /// <summary>Ends the calling process with <paramref name="status"/>; does not return (its domain is unloaded).</summary>
    RpcResult Exit(int status);

    /// <summary>Kills a process (its domain is stopped, its files closed). 0, or -1 if there is no such process.</summary>
    RpcResult<int> Kill(int pid);

    RpcResult<int> Getpid();

    /// <summary>Sleeps for <paramref name="ticks"/> clock ticks (one tick: 10 ms). 0, or -1 if killed meanwhile.</summary>
    RpcResult<int> Sleep(int ticks);

    /// <summary>Clock ticks since boot.</summary>
    RpcResult<int> Uptime();

    RpcResult<FdPair> Pipe();

    /// <summary>Reads up to io.Count bytes into io.Data (moved in and back); io.Count becomes the count
    /// (0 at end of file, -1 on error). A pipe or the console waits for data.</summary>
    RpcResult<RRef<IoVec>> Read(int fd, RRef<IoVec> io);

    /// <summary>Writes the first <paramref name="n"/> bytes of <paramref name="data"/>; bytes written or -1.</summary>
    RpcResult<int> Write(int fd, in RRefArray<byte> data, int n);

    RpcResult<int> Open(in RRefArray<byte> path, int omode);
    RpcResult<int> Close(int fd);
    RpcResult<int> Dup(int fd);
    RpcResult<Stat> Fstat(int fd);
    RpcResult<int> Chdir(in RRefArray<byte> path);
    RpcResult<int> Mkdir(in RRefArray<byte> path);
    RpcResult<int> Mknod(in RRefArray<byte> path, short major, short minor);
    RpcResult<int> Link(in RRefArray<byte> oldPath, in RRefArray<byte> newPath);
    RpcResult<int> Unlink(in RRefArray<byte> path);
}
