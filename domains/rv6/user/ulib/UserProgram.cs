// domains/rv6/user/ulib: the user library every rv6 program links (each program's link.txt lists these
// files): xv6's user/user.h, ulib.c and printf.c in C#. A program is a class deriving from UserProgram;
// its domain's [DomainEntry] makes one for the process's ISyscalls. The core calls IProgram.Main with
// the NUL-terminated argv; we split it into strings and call the program's own Main(argv), whose result
// is the exit status. Returning from Main is exiting, as returning from main is in xv6 (ulib.c's start
// calls exit); Exit(status) anywhere else unwinds to here through an ExitException.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Rv6;

namespace Domains.Rv6.Ulib;

public abstract partial class UserProgram : IProgram
{
    // kernel/fcntl.h
    protected const int O_RDONLY = OpenMode.ReadOnly, O_WRONLY = OpenMode.WriteOnly, O_RDWR = OpenMode.ReadWrite,
        O_CREATE = OpenMode.Create, O_TRUNC = OpenMode.Truncate;
    // kernel/stat.h
    protected const short T_DIR = FileType.Dir, T_FILE = FileType.File, T_DEVICE = FileType.Device;
    // kernel/file.h: the console's major device number
    protected const short CONSOLE = DeviceMajor.Console;
    // kernel/fs.h
    protected const int BSIZE = 1024, DIRSIZ = 14, NDIRECT = 12, NINDIRECT = BSIZE / 4, MAXFILE = NDIRECT + NINDIRECT;
    protected const int DIRENT_SIZE = 16; // sizeof(struct dirent): ushort inum, char name[DIRSIZ]

    /// <summary>This process's system calls (the core makes one object per process).</summary>
    protected readonly ISyscalls sys;

    protected UserProgram(ISyscalls sys) => this.sys = sys;

    /// <summary>The program itself: argv[0] is its name. The result is the exit status.</summary>
    protected abstract int Main(string[] argv);

    RpcResult<int> IProgram.Main(in RRefArray<byte> argv)
    {
        string[] args = Argv.Parse(argv);
        try
        {
            return Main(args);
        }
        catch (ExitException e)
        {
            return e.Status;
        }
        finally
        {
            ReleaseBuffers();
        }
    }

    /// <summary>xv6's exit(status): ends the program with <paramref name="status"/> (unwinds to IProgram.Main).</summary>
    protected static void Exit(int status) => throw new ExitException(status);
}

/// <summary>Thrown by Exit to unwind a program to its IProgram.Main, which returns the status.</summary>
public sealed class ExitException : Exception
{
    public int Status { get; }
    public ExitException(int status) : base($"exit({status})") => Status = status;
}
