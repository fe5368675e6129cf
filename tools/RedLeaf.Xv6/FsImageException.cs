// tools/RedLeaf.Xv6: the one error a bad image gets: a message naming the image, and where in it
// the trouble is. An IOException, so the CLI reports it as a message and exit 1, never a trace.
namespace RedLeaf.Xv6;

public sealed class FsImageException : IOException
{
    public FsImageException(string image, string message) : base($"{image}: {message}") { }
}
