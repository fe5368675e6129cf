// domains/rv6/user/ulib: xv6's user/printf.c. C# interpolation does the formatting (xv6's %d %s %x %p
// become {n} {s} {n:x}); the text goes out in one write, not xv6's one write per character, so lines
// of concurrent processes interleave less than in xv6 but still as whole writes.
namespace Domains.Rv6.Ulib;

public abstract partial class UserProgram
{
    /// <summary>xv6's fprintf(fd, ...), with the text already formatted.</summary>
    protected void Fprintf(int fd, string text) => Write(fd, text);

    /// <summary>xv6's printf(...): fprintf to fd 1.</summary>
    protected void Printf(string text) => Write(1, text);
}
