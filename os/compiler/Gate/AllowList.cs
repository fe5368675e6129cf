// os/compiler/Gate: the reviewed list of what domain code may use, loaded from allowlist.txt
// (embedded in the kernel; see the file for its format and its reasons). It answers one question:
// may a domain use this type, or this member of this type? The most specific entry decides:
//   1. an entry for exactly this member (Type::Member); on a tie a deny wins;
//   2. a deny for this member name on a base type (so List::GetType is refused like Object::GetType;
//      constructors are not inherited and do not count);
//   3. an entry for the type, an enclosing type, or a prefix ("System.Reflection.*"), the longest first
//      ("name" entries do not count here: they let a type be named, not used);
//   4. nothing: refused as not listed, except in an interface assembly, where public types are allowed.
// A type may be named (in a signature, a local, a cast) when step 3 allows it or some member entry
// allows a member of it (System.Type may appear because Type::GetTypeFromHandle is allowed).

namespace RedLeaf.Os.Compiler.Gate;

public sealed class AllowList
{
    public const string ResourceName = "RedLeaf.Os.Gate.allowlist.txt";
    private static readonly Lazy<AllowList> EmbeddedList = new(() => Load(ReadResource()));

    private readonly IReadOnlyList<AllowEntry> _entries;
    private readonly Dictionary<string, AssemblyRole> _assemblies;
    private readonly Dictionary<string, List<AllowEntry>> _exact = new(StringComparer.Ordinal);
    private readonly List<AllowEntry> _prefixes = new();
    private readonly Dictionary<string, List<AllowEntry>> _memberDenies = new(StringComparer.Ordinal);

    private AllowList(IReadOnlyList<AllowEntry> entries, Dictionary<string, AssemblyRole> assemblies)
    {
        _entries = entries;
        _assemblies = assemblies;
        foreach (var e in entries)
        {
            if (e.IsPrefix) { _prefixes.Add(e); continue; }
            if (!_exact.TryGetValue(e.TypePattern, out var list)) _exact[e.TypePattern] = list = new();
            list.Add(e);
            if (e is { Kind: AllowEntryKind.Deny, Member: { } m })
            {
                if (!_memberDenies.TryGetValue(m, out var denies)) _memberDenies[m] = denies = new();
                denies.Add(e);
            }
        }
    }

    /// <summary>Parses allow-list text (format in allowlist.txt); throws FormatException naming the bad line.</summary>
    public static AllowList Load(string text)
    {
        var (entries, assemblies) = AllowListParser.Parse(text);
        return new AllowList(entries, assemblies);
    }

    /// <summary>The reviewed list compiled into the kernel (os/compiler/Gate/allowlist.txt).</summary>
    public static AllowList Embedded => EmbeddedList.Value;

    public IReadOnlyList<AllowEntry> Entries => _entries;

    /// <summary>Assemblies a domain may reference, with what each is to the gate.</summary>
    public IReadOnlyDictionary<string, AssemblyRole> Assemblies => _assemblies;

    public AssemblyRole RoleOf(string assemblyName) => _assemblies.GetValueOrDefault(assemblyName, AssemblyRole.Outside);

    /// <summary>This list plus more interface (IDL) assemblies, e.g. one a notebook cell declared.</summary>
    public AllowList WithInterfaceAssemblies(params string[] names)
    {
        var assemblies = new Dictionary<string, AssemblyRole>(_assemblies, StringComparer.OrdinalIgnoreCase);
        foreach (var n in names) assemblies[n] = AssemblyRole.Interfaces;
        return new AllowList(_entries, assemblies);
    }

    /// <summary>May a domain name this type? <paramref name="typeKey"/> is "Namespace.Type+Nested" without arity.</summary>
    public Verdict DecideType(string typeKey, AssemblyRole role, bool inHelper = false)
    {
        var byType = BestTypeEntry(typeKey, inHelper, forMember: false);
        if (byType is { Kind: not AllowEntryKind.Deny }) return Verdict.Allow;
        if (_exact.TryGetValue(typeKey, out var list) && list.Any(e => e.Member is not null && Usable(e, inHelper) && e.Kind != AllowEntryKind.Deny))
            return Verdict.Allow;
        if (byType is not null) return Verdict.From(byType);
        return role == AssemblyRole.Interfaces ? Verdict.Allow : Verdict.NotListed;
    }

    /// <summary>May a domain use member <paramref name="member"/> (a metadata name: ".ctor", "get_Length")
    /// of this type? <paramref name="baseKeys"/> lists the type's base types, nearest first; it is only
    /// asked for when some entry denies a member of that name.</summary>
    public Verdict DecideMember(string typeKey, string member, AssemblyRole role, Func<IReadOnlyList<string>> baseKeys, bool inHelper = false)
    {
        AllowEntry? exact = null;
        if (_exact.TryGetValue(typeKey, out var list))
            foreach (var e in list)
                if (e.NamesMember(typeKey, member) && Usable(e, inHelper) && (exact is null || e.Kind == AllowEntryKind.Deny)) exact = e;
        if (exact is not null) return Verdict.From(exact);

        if (member is not (".ctor" or ".cctor") && _memberDenies.TryGetValue(member, out var denies))
            foreach (var b in baseKeys())
                if (denies.FirstOrDefault(d => d.TypePattern == b) is { } inherited) return Verdict.From(inherited);

        var byType = BestTypeEntry(typeKey, inHelper, forMember: true);
        if (byType is not null) return Verdict.From(byType);
        return role == AssemblyRole.Interfaces ? Verdict.Allow : Verdict.NotListed;
    }

    /// <summary>The deny entry that names this type (or a prefix of it), if one decides it; used to give
    /// a type from outside the reference set its specific reason (Console: I/O, not just "outside").</summary>
    public AllowEntry? DenyFor(string typeKey, string? member)
    {
        if (member is not null && _exact.TryGetValue(typeKey, out var list) && list.FirstOrDefault(e => e.NamesMember(typeKey, member) && e.Kind == AllowEntryKind.Deny) is { } exact)
            return exact;
        return BestTypeEntry(typeKey, inHelper: false, forMember: member is not null) is { Kind: AllowEntryKind.Deny } d ? d : null;
    }

    private AllowEntry? BestTypeEntry(string typeKey, bool inHelper, bool forMember)
    {
        AllowEntry? best = null;
        int bestScore = 0;
        void Consider(AllowEntry e)
        {
            if (!Usable(e, inHelper) || (forMember && e.Kind == AllowEntryKind.Name)) return;
            int score = e.TypeScore(typeKey);
            if (score == 0) return;
            if (score > bestScore || (score == bestScore && e.Kind == AllowEntryKind.Deny)) { best = e; bestScore = score; }
        }
        for (string k = typeKey; ;)
        {
            if (_exact.TryGetValue(k, out var list)) foreach (var e in list) Consider(e);
            int plus = k.LastIndexOf('+');
            if (plus < 0) break;
            k = k[..plus];
        }
        foreach (var e in _prefixes) Consider(e);
        return best;
    }

    private static bool Usable(AllowEntry e, bool inHelper) => e.Kind != AllowEntryKind.Helper || inHelper;

    private static string ReadResource()
    {
        using var s = typeof(AllowList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the kernel was built without its allow-list resource {ResourceName}");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
