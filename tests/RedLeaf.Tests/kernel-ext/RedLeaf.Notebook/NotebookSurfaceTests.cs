// tests/kernel-ext/RedLeaf.Notebook: pins the public notebook surface (RedLeaf.Notebook and RedLeaf.Interactive) so it
// changes only on purpose. On a difference the test writes the new listing next to the approved one
// (NotebookSurface.received.txt) and fails; copy it over the approved file if the change is meant
// (tests/Approval.cs).
using System.Reflection;
using System.Text;
using RedLeaf.Notebook.Session;
using Xunit;

namespace RedLeaf.Tests.Notebooks;

[Trait("suite", "notebooks")]
public class NotebookSurfaceTests
{
    private static string Listing()
    {
        var sb = new StringBuilder();
        foreach (var asm in new[] { typeof(Lab).Assembly, typeof(RedLeaf.Interactive.RedLeafExtension).Assembly })
            foreach (var t in asm.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                sb.AppendLine(t.FullName);
                var members = t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m => m is not MethodInfo { IsSpecialName: true })
                    .Where(m => t.IsEnum || !(m is MethodInfo mi && mi.DeclaringType != t))
                    .Select(Describe).Where(s => s is not null).Order(StringComparer.Ordinal);
                foreach (var m in members) sb.AppendLine("  " + m);
            }
        return sb.ToString().ReplaceLineEndings("\n");
    }

    private static string? Describe(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"ctor({Params(c)})",
        MethodInfo mi when mi.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "<Clone>$" or "PrintMembers" => null,
        MethodInfo mi => $"{(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}({Params(mi)})",
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name}" + (p.GetIndexParameters().Length > 0 ? $"[{string.Join(", ", p.GetIndexParameters().Select(x => Name(x.ParameterType)))}]" : ""),
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {e.Name}",
        Type nested => $"nested {nested.Name}",
        _ => m.ToString(),
    };

    private static string Params(MethodBase m) => string.Join(", ", m.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}"));

    private static string Name(Type t) => t.IsGenericType
        ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>"
        : t.IsArray ? Name(t.GetElementType()!) + "[]" : t.Name;

    [Fact]
    public void PublicNotebookSurfaceMatchesTheApprovedListing() =>
        Approval.Verify(Listing(), "NotebookSurface", "the public notebook surface");
}
