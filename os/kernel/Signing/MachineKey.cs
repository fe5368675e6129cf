// os/kernel/Signing (the kernel holds the trust anchor: keys and verification; the compiler signs through it): the machine's image-signing key (ECDSA P-256). The trusted compiler
// signs every domain image with it and the loader trusts what it signed. Made on first use and kept
// in $REDLEAF_KEY_DIR (default ~/.local/share/redleaf) readable by its owner only. Another machine's
// key, or any key the kernel was not told to trust, is foreign.
using System.Security.Cryptography;

namespace RedLeaf.Os.Signing;

public sealed class MachineKey
{
    public const string DirectoryVariable = "REDLEAF_KEY_DIR";
    private static readonly Lazy<MachineKey> Shared = new(LoadOrCreate);

    private MachineKey(ECDsa key, string? path)
    {
        Key = key;
        Path = path;
        Id = KeyIdOf(key);
    }

    /// <summary>This machine's key (created on first use).</summary>
    public static MachineKey Current => Shared.Value;

    internal ECDsa Key { get; }
    /// <summary>Where the key lives (null for an in-memory key).</summary>
    public string? Path { get; }
    /// <summary>Short id of the public key, recorded in every image it signs.</summary>
    public string Id { get; }

    /// <summary>A throwaway key (tests; "another machine").</summary>
    public static MachineKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    public byte[] PublicKey => Key.ExportSubjectPublicKeyInfo();

    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private static MachineKey LoadOrCreate()
    {
        string dir = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? d
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "redleaf");
        string path = System.IO.Path.Combine(dir, "machine-key.pem");
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            try { key.ImportFromPem(File.ReadAllText(path)); }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"the machine key at {path} is unreadable ({e.Message}); delete it to make a new one (images signed with it will be rebuilt)", e);
            }
            return new MachineKey(key, path);
        }
        Directory.CreateDirectory(dir);
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string tmp = path + ".tmp" + Environment.ProcessId;
        File.WriteAllText(tmp, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try { File.Move(tmp, path, overwrite: false); }
        catch (IOException) // another process made it first: use theirs
        {
            File.Delete(tmp);
            key.ImportFromPem(File.ReadAllText(path));
        }
        return new MachineKey(key, path);
    }

    internal byte[] Sign(byte[] fingerprint) => Key.SignData(fingerprint, HashAlgorithmName.SHA256);

    public override string ToString() => $"machine key {Id}{(Path is null ? " (ephemeral)" : $" at {Path}")}";
}
