// systems/RedLeaf.Systems/Rv6: rv6 could not boot (a foreign or damaged image, a domain that failed to
// compile or start); the message says which and why.
namespace RedLeaf.Systems.Rv6;

public sealed class Rv6BootException : Exception
{
    public Rv6BootException(string message, Exception? inner = null) : base(message, inner) { }
}
