// machine/Clock/RdtscCode.cs: the only machine code RedLeaf.NET writes by hand.
// .NET has no rdtsc intrinsic, so the trusted machine layer places two tiny x86-64 functions in an
// anonymous mapping (written while RW, then flipped to RX: never writable and executable at once)
// and hands out unmanaged function pointers to them. The page is mapped once and never unmapped.
// Anything that makes this unsafe to use (wrong CPU or OS, rdtsc trapped, mmap refused) is reported
// as a reason string so ClockSource can fall back instead of crashing.
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace RedLeaf.Hardware;

internal static unsafe class RdtscCode
{
    // rdtsc; shl rdx,32; or rax,rdx; ret: the 64-bit counter in rax, no ordering guarantees.
    static ReadOnlySpan<byte> Plain => [0x0F, 0x31, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3];

    // lfence; rdtsc; lfence; shl rdx,32; or rax,rdx; ret. The first lfence waits for earlier
    // instructions to finish, the second keeps later ones from starting before the read.
    static ReadOnlySpan<byte> Fenced =>
        [0x0F, 0xAE, 0xE8, 0x0F, 0x31, 0x0F, 0xAE, 0xE8, 0x48, 0xC1, 0xE2, 0x20, 0x48, 0x09, 0xD0, 0xC3];

    const int FencedOffset = 32;
    const nuint PageSize = 4096;

    /// <summary>Entry points, or nulls and the reason rdtsc cannot be used here.</summary>
    public static readonly (IntPtr Read, IntPtr ReadFenced, string Why) Code = Map();

    static (IntPtr, IntPtr, string) Map()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux())
            return (0, 0, $"rdtsc code is only provided for x86-64 Linux (this is {RuntimeInformation.RuntimeIdentifier})");
        if (!X86Base.IsSupported || (X86Base.CpuId(1, 0).Edx & (1 << 4)) == 0)
            return (0, 0, "CPUID reports no time-stamp counter");
        if (!RdtscAllowed())
            return (0, 0, "rdtsc would trap in this process (prctl PR_GET_TSC says SIGSEGV)");

        byte* page = (byte*)mmap(null, PageSize, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (page == (byte*)-1)
            return (0, 0, $"mmap of a code page failed (errno {Marshal.GetLastPInvokeError()})");
        Plain.CopyTo(new Span<byte>(page, (int)PageSize));
        Fenced.CopyTo(new Span<byte>(page + FencedOffset, (int)PageSize - FencedOffset));
        if (mprotect(page, PageSize, ProtRead | ProtExec) != 0)
            return (0, 0, $"mprotect to read+execute failed (errno {Marshal.GetLastPInvokeError()})");
        return ((IntPtr)page, (IntPtr)(page + FencedOffset), "rdtsc from a read-execute code page");
    }

    // Linux can make rdtsc fault per process (seccomp sandboxes do); ask before executing it.
    static bool RdtscAllowed()
    {
        int mode = 0;
        return prctl(PrGetTsc, (nint)(&mode), 0, 0, 0) != 0 || mode != PrTscSigsegv;
    }

    const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    const int MapPrivate = 0x02, MapAnonymous = 0x20;
    const int PrGetTsc = 25, PrTscSigsegv = 2;

    [DllImport("libc", SetLastError = true)]
    static extern void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [DllImport("libc", SetLastError = true)]
    static extern int mprotect(void* addr, nuint length, int prot);

    [DllImport("libc", SetLastError = true)]
    static extern int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);
}
