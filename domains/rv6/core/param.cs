// domains/rv6/core: rv6's limits, after xv6's kernel/param.h.
namespace Domains.Rv6.Core;

internal static class Param
{
    public const int NPROC = 64;      // maximum number of processes
    public const int NOFILE = 16;     // open files per process
    public const int NFILE = 100;     // open files per system
    public const int MAXARG = 32;     // max exec arguments
    public const int MAXPATH = 128;   // maximum file path name
    public const int PIPESIZE = 65536; // xv6: 512; 64 KiB as Linux, since each refill is two thread hand-offs here (bench rv6 pipe: 9 MB/s at 512 bytes, 930 MB/s at 64 KiB)
    public const int TICKMS = 10;     // one clock tick, in milliseconds (xv6's timer interrupt interval)
}
