// domains/Interfaces/Rv6: the kernel's service that starts user programs as domains, granted to rv6's
// core (RedLeaf's create_domain capability). It loads only the signed program images the kernel was
// given at boot, names each instance after its process, and unloads only what it loaded.
using RedLeaf.Abi;

namespace RedLeaf.Interfaces.Rv6;

/// <remarks>When the callee crashes: the callee is the kernel's own service (systems's
/// ProgramLoader), trusted host code, not a domain, so it is never unloaded; an exception it throws
/// (Export of a pid it never loaded) reaches rv6's core as RpcErrorKind.CalleeCrashed naming the kernel,
/// is written to the kernel's log, and the loader serves the next call as before. Names lent to it stay
/// the core's. A program that fails to start is not a crash: Load and Replace return -1.</remarks>
[DomainInterface]
public interface IProgramLoader
{
    /// <summary>True if a program of that name (no NUL) exists.</summary>
    RpcResult<bool> Exists(in RRefArray<byte> name);

    /// <summary>Starts a fresh domain of program <paramref name="name"/> for process <paramref name="pid"/>,
    /// granted <paramref name="sys"/>. 0, or -1 if there is no such program or it failed to start (the
    /// kernel's log says why).</summary>
    RpcResult<int> Load(in RRefArray<byte> name, int pid, ISyscalls sys);

    /// <summary>exec: starts a fresh domain of program <paramref name="name"/> for process <paramref name="pid"/>
    /// and, once it has started, stops and unloads the process's old domain (its thread leaves it at its next
    /// check). 0, or -1 (the old domain untouched) if there is no such program, it failed to start, or
    /// <paramref name="pid"/> has no domain loaded.</summary>
    RpcResult<int> Replace(in RRefArray<byte> name, int pid, ISyscalls sys);

    /// <summary>What process <paramref name="pid"/>'s domain exports (after a successful Load).</summary>
    RpcResult<IProgram> Export(int pid);

    /// <summary>A process whose domain stopped without Unload (it crashed, or someone killed it through the
    /// kernel) and that has not been reported yet; -1 if none. The core polls it so that a process whose
    /// thread is asleep inside the core (wait, sleep, a pipe) learns that its program is gone.</summary>
    RpcResult<int> NextDead();

    /// <summary>Stops and unloads process <paramref name="pid"/>'s domain (exit or kill): its thread leaves it at
    /// its next check, everything it held on the shared heap is reclaimed. 0, or -1 if it loaded no such process.</summary>
    RpcResult<int> Unload(int pid, int status);
}
