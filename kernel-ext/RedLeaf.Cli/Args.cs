// kernel-ext/RedLeaf.Cli: a small argument reader: positional words, --flags and --options with
// values. Unknown options are errors that name the option, so typos never pass silently.
namespace RedLeaf.Cli;

internal sealed class Args
{
    private readonly List<string> _words = new();
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<(string Option, string Name, string Value)> _pairs = new();

    /// <summary><paramref name="paired"/>: options that take two values and may repeat (`-p NAME VALUE`).</summary>
    public Args(IEnumerable<string> argv, IReadOnlySet<string> valued, IReadOnlySet<string>? paired = null)
    {
        var list = argv.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (paired?.Contains(a) == true)
            {
                if (i + 2 >= list.Count) throw new UsageException($"{a} needs a name and a value ({a} NAME VALUE)");
                _pairs.Add((a, list[i + 1], list[i + 2]));
                i += 2;
                continue;
            }
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

    /// <summary>Every (name, value) given with the paired option, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> Pairs(string option)
    {
        _used.Add(option);
        return _pairs.Where(p => p.Option == option).Select(p => (p.Name, p.Value)).ToList();
    }

    /// <summary>Throws if an option was given that the command never asked about.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Concat(_pairs.Select(p => p.Option)).Distinct().Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option {string.Join(", ", unknown)}");
    }
}

internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
