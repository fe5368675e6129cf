// kernel-ext/RedLeaf.Cli: a small argument reader: positional words, --flags and --options with
// values. Unknown options are errors that name the option, so typos never pass silently.
namespace RedLeaf.Cli;

internal sealed class Args
{
    private readonly List<string> _words = new();
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> argv, IReadOnlySet<string> valued)
    {
        var list = argv.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if ((a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2) || valued.Contains(a))
            {
                var eq = a.IndexOf('=');
                if (eq > 0) _options[a[..eq]] = a[(eq + 1)..];
                else if (valued.Contains(a))
                {
                    if (i + 1 >= list.Count) throw new UsageException($"{a} needs a value");
                    _options[a] = list[++i];
                }
                else _options[a] = null;
            }
            else _words.Add(a);
        }
    }

    public IReadOnlyList<string> Words => _words;

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? Option(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>Throws if an option was given that the command never asked about.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option {string.Join(", ", unknown)}");
    }
}

internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
