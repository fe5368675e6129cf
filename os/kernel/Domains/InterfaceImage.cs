// os/kernel/Domains: a compiled interface set, the IDL a notebook cell (or a test) declares for
// domains to share: an assembly of [DomainInterface] interfaces and exchangeable data, with no code.
// The trusted compiler makes and signs these (TrustedCompiler.CompileInterfaces); InterfaceSets
// verifies, inspects and loads one, and builds its proxies, before any domain compiled against it runs.
using System.Security.Cryptography;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Domains;

public sealed class InterfaceImage
{
    /// <summary>Every interface set's assembly name starts with this (then a hash of its contents).</summary>
    public const string NamePrefix = "Cell.Interfaces.";

    /// <summary>The assembly name prefix of the proxies built for a set (IProxyBuilder); no domain may take it.</summary>
    public const string ProxiesPrefix = "Cell.Proxies.";

    public InterfaceImage(string name, byte[] assembly, string origin, ImageSignature? signature)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("an interface image needs a name", nameof(name));
        Name = name;
        Assembly = assembly ?? throw new ArgumentNullException(nameof(assembly));
        Origin = origin;
        Signature = signature;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(assembly));
    }

    /// <summary>The assembly's simple name, as domains compiled against it reference it.</summary>
    public string Name { get; }
    public byte[] Assembly { get; }
    /// <summary>Where the source came from (a notebook cell, a file).</summary>
    public string Origin { get; }
    public ImageSignature? Signature { get; }
    public string Sha256 { get; }

    public override string ToString() =>
        $"{Name} ({Assembly.Length} bytes, sha256 {Sha256[..12]}, {(Signature is null ? "unsigned" : $"signed by {Signature.KeyId}")}, from {Origin})";
}
