// os/compiler/Gate: the base types of a type a domain refers to, found by asking the runtime
// (the trusted kernel has the base library, the ABI and the IDL loaded; domain code never runs here).
// The allow-list needs them so a member denied on a base (Object::GetType) is denied through every
// derived type too: in IL, List`1::GetType binds to Object.GetType as surely as Object::GetType does.
using System.Collections.Concurrent;

namespace RedLeaf.Os.Compiler.Gate;

internal static class BaseTypes
{
    private static readonly ConcurrentDictionary<(string, string), IReadOnlyList<string>> Cache = new();

    /// <summary>Allow-list keys of the base types, nearest first; System.Object when the type is unknown.</summary>
    public static IReadOnlyList<string> Of(TypeRefName type) => Cache.GetOrAdd((type.Assembly, type.FullName), static key =>
    {
        var list = new List<string>();
        Type? t = null;
        try { t = Type.GetType($"{key.Item2}, {key.Item1}", throwOnError: false); }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException or TypeLoadException) { }
        for (var b = t?.BaseType; b is not null; b = b.BaseType)
            list.Add(MetadataNames.StripArity((b.IsGenericType ? b.GetGenericTypeDefinition() : b).FullName ?? b.Name));
        if (list.Count == 0 && t is null) list.Add("System.Object"); // unknown: assume the least, every type is an object
        return list;
    });
}
