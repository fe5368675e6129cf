// os/kernel/Compiler/Signing: what the trusted compiler vouches for: a fingerprint over the image's
// IL, the interface definitions it was checked against, the compiler's version and its options, and
// a signature of that fingerprint with the machine key. Changing any byte of any of these, or
// signing with another key, makes the loader refuse the image.
using System.Security.Cryptography;
using System.Text;

namespace RedLeaf.Os.Compiler.Signing;

public sealed record ImageSignature(
    string Fingerprint,
    string Signature,
    string KeyId,
    string CompilerVersion,
    string Options,
    IReadOnlyDictionary<string, string> Interfaces)
{
    /// <summary>SHA-256 over everything the signature covers, in a fixed order.</summary>
    public static byte[] ComputeFingerprint(byte[] il, IReadOnlyDictionary<string, string> interfaces, string compilerVersion, string options)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { var b = Encoding.UTF8.GetBytes(s); h.AppendData(BitConverter.GetBytes(b.Length)); h.AppendData(b); }
        Add("redleaf-domain-image/1");
        h.AppendData(BitConverter.GetBytes(il.Length));
        h.AppendData(il);
        foreach (var (name, sha) in interfaces.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { Add(name); Add(sha); }
        Add(compilerVersion);
        Add(options);
        return h.GetHashAndReset();
    }

    public static ImageSignature Sign(byte[] il, IReadOnlyDictionary<string, string> interfaces, string compilerVersion, string options, MachineKey key)
    {
        var fp = ComputeFingerprint(il, interfaces, compilerVersion, options);
        return new ImageSignature(Convert.ToHexStringLower(fp), Convert.ToBase64String(key.Sign(fp)), key.Id, compilerVersion, options, interfaces);
    }

    /// <summary>Null if the signature holds for <paramref name="il"/> under one of <paramref name="trusted"/>; else why not.</summary>
    public string? Verify(byte[] il, IEnumerable<MachineKey> trusted)
    {
        var fp = ComputeFingerprint(il, Interfaces, CompilerVersion, Options);
        if (!CryptographicOperations.FixedTimeEquals(fp, Convert.FromHexString(Fingerprint)))
            return "its contents do not match its fingerprint (the image was altered after signing)";
        var key = trusted.FirstOrDefault(k => k.Id == KeyId);
        if (key is null) return $"it was signed with key {KeyId}, which this kernel does not trust (a foreign key)";
        byte[] sig;
        try { sig = Convert.FromBase64String(Signature); }
        catch (FormatException) { return "its signature is not valid base64"; }
        return key.Key.VerifyData(fp, sig, HashAlgorithmName.SHA256) ? null : "its signature does not verify (altered or forged)";
    }
}
