// os/kernel/Domains: a compiled domain, ready for the loader: its IL and where it came from. The
// trusted compiler makes and signs these; the loader verifies the signature, then inspects the image.
using System.Security.Cryptography;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Domains;

public sealed class DomainImage
{
    public DomainImage(string name, byte[] assembly, string origin, byte[]? pdb = null, ImageSignature? signature = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a domain image needs a name", nameof(name));
        Name = name;
        Assembly = assembly ?? throw new ArgumentNullException(nameof(assembly));
        Origin = origin;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(assembly));
        Pdb = pdb;
        Signature = signature;
    }

    /// <summary>The portable PDB (source lines for diagnostics and stack traces), if the compiler kept one.</summary>
    public byte[]? Pdb { get; }
    /// <summary>The trusted compiler's signature; the loader refuses an image without a valid one.</summary>
    public ImageSignature? Signature { get; }

    public string Name { get; }
    /// <summary>The domain's assembly (IL and metadata), as the compiler emitted it.</summary>
    public byte[] Assembly { get; }
    /// <summary>Where the source came from (a folder under domains/, or a notebook cell).</summary>
    public string Origin { get; }
    public string Sha256 { get; }

    public override string ToString() =>
        $"{Name} ({Assembly.Length} bytes, sha256 {Sha256[..12]}, {(Signature is null ? "unsigned" : $"signed by {Signature.KeyId}")}, from {Origin})";
}
