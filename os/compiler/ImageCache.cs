// os/compiler: signed images on disk, keyed by a hash of their sources, the compiler's version
// and options, the interfaces and the key, so a second process (a CLI run, a notebook) boots without
// recompiling. A cached image is used only if its signature verifies with the machine key for the very
// name and sources being compiled (an entry copied, renamed or replayed from another domain's is not
// the image of these sources, and is rebuilt); anything unreadable is ignored and rebuilt. See
// "5. A signed image is bound to what it claims to be" in os/README.md for who may write here. $REDLEAF_CACHE_DIR (default ~/.cache/redleaf/images) holds it;
// REDLEAF_CACHE_DIR=off turns it off.
using System.Text.Json;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Compiler;

public sealed class ImageCache
{
    public const string DirectoryVariable = "REDLEAF_CACHE_DIR";

    public ImageCache(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The default cache, or null when turned off.</summary>
    public static ImageCache? Default
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (env == "off") return null;
            return new ImageCache(env is { Length: > 0 } ? env
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "redleaf", "images"));
        }
    }

    private sealed record Entry(string Name, string Assembly, string? Pdb, ImageSignature Signature);

    private string PathOf(string key) => Path.Combine(Directory, key + ".json");

    internal DomainImage? TryLoad(string key, string name, string sourceHash, string origin, MachineKey trusted)
    {
        try
        {
            var path = PathOf(key);
            if (!File.Exists(path)) return null;
            var e = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path));
            if (e?.Signature is null || e.Assembly is null || e.Name != name) return null;
            var il = Convert.FromBase64String(e.Assembly);
            if (e.Signature.Verify(name, il, new[] { trusted }) is not null) return null; // stale, tampered or another domain's: rebuild
            if (e.Signature.SourceHash != sourceHash) return null; // signed for other sources (a replayed entry): rebuild
            return new DomainImage(name, il, origin, e.Pdb is null ? null : Convert.FromBase64String(e.Pdb), e.Signature);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    internal void Store(string key, DomainImage image)
    {
        if (image.Signature is null) return;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var path = PathOf(key);
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(new Entry(image.Name, Convert.ToBase64String(image.Assembly),
                image.Pdb is null ? null : Convert.ToBase64String(image.Pdb), image.Signature)));
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a cache that cannot write is just slower
    }
}
