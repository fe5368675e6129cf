// tools/RedLeaf.Xv6: what mkfs puts in an image: a file (name and contents) or a directory (name
// and children), in the order they are to be written. From a host folder: files and subfolders in
// ordinal order of their names, so the same folder always makes the same image.
namespace RedLeaf.Xv6;

public sealed record MkfsNode(string Name, byte[]? Data, IReadOnlyList<MkfsNode>? Children)
{
    public static MkfsNode File(string name, byte[] data) => new(name, data, null);

    public static MkfsNode Directory(string name, IReadOnlyList<MkfsNode> children) => new(name, null, children);

    public bool IsDirectory => Children is not null;

    /// <summary>The contents of host folder <paramref name="folder"/>, subfolders included. Symbolic links
    /// are followed as the host opens them; anything that is neither a file nor a folder is refused.</summary>
    public static IReadOnlyList<MkfsNode> FromFolder(string folder)
    {
        if (!System.IO.Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such folder");
        var list = new List<MkfsNode>();
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(folder).OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (System.IO.Directory.Exists(path)) list.Add(Directory(name, FromFolder(path)));
            else if (System.IO.File.Exists(path)) list.Add(File(name, Read(path)));
            else throw new MkfsException($"{PrintableName.Escape(path)}: neither a file nor a folder (a broken link?); mkfs copies only files and folders");
        }
        return list;
    }

    private static byte[] Read(string path)
    {
        try { return System.IO.File.ReadAllBytes(path); }
        catch (UnauthorizedAccessException e) { throw new IOException($"{PrintableName.Escape(path)}: cannot read it ({e.Message})", e); }
    }
}
