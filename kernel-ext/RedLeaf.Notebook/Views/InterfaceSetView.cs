// kernel-ext/RedLeaf.Notebook/Views: an interface set a cell declared, as the kernel admitted it: its
// [DomainInterface]s with their methods, the data types beside them, its signature and how long the
// trusted pipeline took to build its proxies.
using System.Reflection;
using RedLeaf.Notebook.Html;
using RedLeaf.Os.Domains;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class InterfaceSetView : IRichView
{
    internal InterfaceSetView(LoadedInterfaceSet set, IReadOnlyList<string> replaced)
    {
        Name = set.Image.Name;
        Interfaces = set.Interfaces.Select(t => (t.FullName!, (IReadOnlyList<string>)t.GetMethods().Select(Signature).ToArray())).ToArray();
        DataTypes = set.Facts.Types.Except(set.Facts.Interfaces).ToArray();
        KeyId = set.Image.Signature?.KeyId ?? "";
        Sha256 = set.Image.Sha256;
        ProxyBuild = set.ProxyBuild;
        Replaced = replaced;
    }

    /// <summary>The set's assembly name (Cell.Interfaces.&lt;hash&gt;).</summary>
    public string Name { get; }
    public IReadOnlyList<(string Name, IReadOnlyList<string> Methods)> Interfaces { get; }
    /// <summary>Structs, enums and constant classes the set declares.</summary>
    public IReadOnlyList<string> DataTypes { get; }
    public string KeyId { get; }
    public string Sha256 { get; }
    public TimeSpan ProxyBuild { get; }
    /// <summary>Earlier sets this one replaced for later definitions (they declared the same types).</summary>
    public IReadOnlyList<string> Replaced { get; }

    private static string Signature(MethodInfo m) =>
        $"{Short(m.ReturnType)} {m.Name}({string.Join(", ", m.GetParameters().Select(p => (p.IsIn ? "in " : "") + Short(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType) + " " + p.Name))})";

    private static string Short(Type t) => t.IsGenericType
        ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Short))}>"
        : t.Name;

    public string ToHtml() => Block("interfaces", $"interface set {Name}", Facts(
            ("interfaces", Pre(string.Join(Environment.NewLine, Interfaces.Select(i => $"{i.Name}{Environment.NewLine}{string.Concat(i.Methods.Select(m => $"    {m}{Environment.NewLine}"))}".TrimEnd())))),
            ("data types", DataTypes.Count == 0 ? "none" : string.Join(", ", DataTypes)),
            ("signed", $"by key {KeyId}, sha256 {Sha256[..12]}"),
            ("proxies", $"built by the trusted pipeline in {ProxyBuild.TotalMilliseconds:F0} ms"),
            ("replaces", Replaced.Count == 0 ? "nothing" : string.Join(", ", Replaced))));

    public override string ToString() =>
        $"interface set {Name}: {string.Join(", ", Interfaces.Select(i => $"{i.Name} ({i.Methods.Count} methods)"))}" +
        (DataTypes.Count == 0 ? "" : $"; data {string.Join(", ", DataTypes)}") +
        $"; signed by {KeyId}; proxies built in {ProxyBuild.TotalMilliseconds:F0} ms" +
        (Replaced.Count == 0 ? "" : $"; replaces {string.Join(", ", Replaced)}");
}
