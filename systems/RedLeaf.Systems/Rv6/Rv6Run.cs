// systems/RedLeaf.Systems/Rv6: what one command line did: the shell's exit status and the console output
// it produced (bytes, and as text).
using System.Text;

namespace RedLeaf.Systems.Rv6;

public sealed record Rv6Run(string Command, int Status, byte[] Output, TimeSpan Elapsed)
{
    public string Text => Encoding.UTF8.GetString(Output);
    public override string ToString() => Text;
}
