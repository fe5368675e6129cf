// tools/RedLeaf.Xv6: mkfs could not make the image (a file too large for xv6, a name too long,
// the image full); the message names the file and the limit. An IOException, so the CLI says it and exits 1.
namespace RedLeaf.Xv6;

public sealed class MkfsException : IOException
{
    public MkfsException(string message) : base(message) { }
}
