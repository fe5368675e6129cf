// os/abi/Runtime: numbers the exchangeable types that live on the shared heap. Types declared by a
// domain (in a collectible assembly) are refused: a registry entry would root the domain's code
// forever, and such a type could not cross an interface anyway.
namespace RedLeaf.Abi.Runtime;

internal static class TypeRegistry
{
    private static readonly object Gate = new();
    private static readonly List<Type> Types = new() { typeof(void) };
    private static readonly List<string> Refusals = new() { "" };

    /// <summary>A positive id for an allowed type; the negated index of a refusal otherwise.</summary>
    internal static int Register(Type type)
    {
        lock (Gate)
        {
            if (type.Assembly.IsCollectible)
            {
                Refusals.Add($"{type.FullName} is declared in a domain; RRef contents must be exchangeable types declared in the IDL or the ABI");
                return -(Refusals.Count - 1);
            }
            Types.Add(type);
            return Types.Count - 1;
        }
    }

    internal static Type TypeOf(int id) { lock (Gate) return Types[id]; }

    internal static string NameOf(int id)
    {
        lock (Gate) return id > 0 && id < Types.Count ? Pretty(Types[id]) : $"type#{id}";
    }

    internal static string WhyRefused(int index) { lock (Gate) return Refusals[index]; }

    internal static string Pretty(Type t) => !t.IsGenericType
        ? t.Name
        : $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(",", t.GetGenericArguments().Select(Pretty))}>";
}

/// <summary>Per-type id, fixed after first use (a constant to the JIT's tiered code).</summary>
internal static class TypeIds<T> where T : unmanaged
{
    internal static readonly int Id = TypeRegistry.Register(typeof(T));
}
