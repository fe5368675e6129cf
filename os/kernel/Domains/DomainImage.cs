// os/kernel/Domains: a compiled domain, ready for the loader: its IL and where it came from. The
// trusted compiler makes these; the loader inspects one before loading it. (Signing joins here.)
using System.Security.Cryptography;

namespace RedLeaf.Os.Domains;

public sealed class DomainImage
{
    public DomainImage(string name, byte[] assembly, string origin)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a domain image needs a name", nameof(name));
        Name = name;
        Assembly = assembly ?? throw new ArgumentNullException(nameof(assembly));
        Origin = origin;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(assembly));
    }

    public string Name { get; }
    /// <summary>The domain's assembly (IL and metadata), as the compiler emitted it.</summary>
    public byte[] Assembly { get; }
    /// <summary>Where the source came from (a folder under domains/, or a notebook cell).</summary>
    public string Origin { get; }
    public string Sha256 { get; }

    public override string ToString() => $"{Name} ({Assembly.Length} bytes, sha256 {Sha256[..12]}, from {Origin})";
}
