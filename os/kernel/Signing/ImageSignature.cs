// os/kernel/Signing (the kernel holds the trust anchor: keys and verification; the compiler signs through it): what the trusted compiler vouches for: a fingerprint over the name the
// image was compiled under, a hash of its sources, its IL, the interface definitions it was checked
// against, the compiler's version and its options, and a signature of that fingerprint with the machine
// key. Changing any byte of any of these, loading the image under another name, or signing with another
// key, makes the loader refuse the image.
using System.Security.Cryptography;
using System.Text;

namespace RedLeaf.Os.Signing;

public sealed record ImageSignature(
    string Domain,
    string SourceHash,
    string Fingerprint,
    string Signature,
    string KeyId,
    string CompilerVersion,
    string Options,
    IReadOnlyDictionary<string, string> Interfaces)
{
    /// <summary>SHA-256 over everything the signature covers, in a fixed order.</summary>
    public static byte[] ComputeFingerprint(string domain, string sourceHash, byte[] il, IReadOnlyDictionary<string, string> interfaces, string compilerVersion, string options)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { var b = Encoding.UTF8.GetBytes(s); h.AppendData(BitConverter.GetBytes(b.Length)); h.AppendData(b); }
        Add(FormatVersion);
        Add(domain);
        Add(sourceHash);
        h.AppendData(BitConverter.GetBytes(il.Length));
        h.AppendData(il);
        foreach (var (name, sha) in interfaces.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { Add(name); Add(sha); }
        Add(compilerVersion);
        Add(options);
        return h.GetHashAndReset();
    }

    /// <summary>What the fingerprint starts with; a new layout of the fingerprint gets a new version, so an
    /// image signed under an older one never verifies.</summary>
    public const string FormatVersion = "redleaf-domain-image/2";

    /// <summary>Signs <paramref name="il"/> as the image of <paramref name="domain"/>, compiled from sources
    /// whose hash is <paramref name="sourceHash"/> (TrustedCompiler.SourceHash; empty for an image built
    /// outside the pipeline).</summary>
    public static ImageSignature Sign(string domain, string sourceHash, byte[] il, IReadOnlyDictionary<string, string> interfaces, string compilerVersion, string options, MachineKey key)
    {
        var fp = ComputeFingerprint(domain, sourceHash, il, interfaces, compilerVersion, options);
        return new ImageSignature(domain, sourceHash, Convert.ToHexStringLower(fp), Convert.ToBase64String(key.Sign(fp)), key.Id, compilerVersion, options, interfaces);
    }

    /// <summary>Null if the signature holds for <paramref name="il"/> loaded as <paramref name="domain"/> under
    /// one of <paramref name="trusted"/>; else why not.</summary>
    public string? Verify(string domain, byte[] il, IEnumerable<MachineKey> trusted)
    {
        if (Domain is null || SourceHash is null || Fingerprint is null || Signature is null || KeyId is null || CompilerVersion is null || Options is null || Interfaces is null)
            return $"its signature is incomplete (signed by an older compiler, or damaged; fingerprints are now {FormatVersion}): recompile it";
        if (!string.Equals(Domain, domain, StringComparison.Ordinal))
            return $"it was signed as the image of domain '{Domain}', not '{domain}': an image is bound to the name it was compiled under (renamed, swapped or replayed)";
        var fp = ComputeFingerprint(domain, SourceHash, il, Interfaces, CompilerVersion, Options);
        byte[] claimed;
        try { claimed = Convert.FromHexString(Fingerprint); }
        catch (FormatException) { return "its fingerprint is not hexadecimal"; }
        if (!CryptographicOperations.FixedTimeEquals(fp, claimed))
            return "its contents do not match its fingerprint (the image was altered after signing)";
        var key = trusted.FirstOrDefault(k => k.Id == KeyId);
        if (key is null) return $"it was signed with key {KeyId}, which this kernel does not trust (a foreign key)";
        byte[] sig;
        try { sig = Convert.FromBase64String(Signature); }
        catch (FormatException) { return "its signature is not valid base64"; }
        return key.Key.VerifyData(fp, sig, HashAlgorithmName.SHA256) ? null : "its signature does not verify (altered or forged)";
    }
}
