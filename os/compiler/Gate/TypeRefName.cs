// os/compiler/Gate: the name of a type a domain refers to, as the gate matches and reports
// it: the assembly it is looked up in ("" for the domain's own module), its metadata name
// ("System.Collections.Generic.List`1+Enumerator"), the allow-list key (no arity) and the name
// students know ("System.Collections.Generic.List.Enumerator").
namespace RedLeaf.Os.Compiler.Gate;

internal readonly record struct TypeRefName(string Assembly, string FullName)
{
    /// <summary>Assembly scope of a type in another module of the domain's assembly (refused).</summary>
    public const string ModulePrefix = "module:";

    public bool IsOwn => Assembly.Length == 0;

    /// <summary>The allow-list key: the full name without generic arity ("System.Func", "List+Enumerator").</summary>
    public string Key => MetadataNames.StripArity(FullName);

    /// <summary>The name as C# writes it (nested types with '.').</summary>
    public string Display => Key.Replace('+', '.');
}
