// os/idl: what an interface set may hold, the IDL a notebook cell (or any source outside
// domains/Interfaces) declares for domains to share. Such an assembly is loaded once into the host, as
// trusted code that is never instrumented, so it may hold no code at all: [DomainInterface] interfaces
// (abstract methods only), structs of exchangeable fields, enums, and static classes of constants.
// The trusted pipeline runs these rules on the source, for diagnostics at the student's lines; the
// kernel's InterfaceInspector checks the same on the IL, and decides.
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RedLeaf.Idl;

public static class InterfaceSetRules
{
    public const string Id = "RLIDL005";

    /// <summary>Attributes an interface set may carry: they describe, they run nothing.</summary>
    public static readonly IReadOnlyList<string> AllowedAttributes = new[]
    {
        ExchangeableTypes.InterfaceAttribute, "System.Runtime.CompilerServices.InlineArrayAttribute",
    };

    /// <summary>First parts of a namespace a set may not use: the platform's, and the notebook's entry class
    /// (a namespace Lab would hide RedLeaf.Notebook.Session.Lab in C# cells). RedLeaf is refused as RL0003.</summary>
    public static readonly IReadOnlyList<string> ReservedRoots = new[] { "System", "Microsoft", "Lab" };

    private static readonly DiagnosticDescriptor NotAllowed = new(
        Id, "Not allowed in an interface set",
        "{0}: {1}. An interface set holds only [DomainInterface] interfaces, structs of exchangeable fields, enums and static classes of constants; it is loaded into the kernel and runs no code.",
        "RedLeaf.IDL", DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Every violation in <paramref name="compilation"/>'s own source (empty if it may be an interface set).</summary>
    public static IReadOnlyList<Diagnostic> Check(Compilation compilation)
    {
        var found = new List<Diagnostic>();
        void Report(ISymbol at, string what, string why) =>
            found.Add(Diagnostic.Create(NotAllowed, at.Locations.FirstOrDefault() ?? Location.None, what, why));

        foreach (var type in Types(compilation.Assembly.GlobalNamespace))
        {
            string name = type.ToDisplayString();
            string root = type.ContainingNamespace.IsGlobalNamespace ? "" : name.Substring(0, name.IndexOf('.'));
            if (root.Length == 0) { Report(type, name, "declare it in a namespace of your own (namespace Tallies;): in the global namespace it would hide what notebook cells import"); continue; }
            if (ReservedRoots.Contains(root)) { Report(type, name, $"the namespace {root} belongs to the platform or the notebook (Lab.Boot); choose another"); continue; }
            if (type.ContainingType != null) { Report(type, name, "a nested type; declare it at namespace level"); continue; }
            if (type.IsGenericType) { Report(type, name, "a generic type cannot be checked as exchangeable"); continue; }
            switch (type.TypeKind)
            {
                case TypeKind.Interface:
                    if (!ExchangeableTypes.IsDomainInterface(type)) Report(type, name, "an interface without [DomainInterface]");
                    foreach (var m in type.GetMembers())
                        if (m is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsAbstract: true, IsStatic: false })
                            Report(m, m.ToDisplayString(), "only abstract methods may be declared in a domain interface (no bodies, properties, events or static members)");
                    break;
                case TypeKind.Struct:
                    if (type.IsRecord) { Report(type, name, "a record struct has generated methods; declare a plain struct of fields"); break; }
                    if (type.IsRefLikeType) { Report(type, name, "a ref struct points into its holder's memory"); break; }
                    if (ExchangeableTypes.WhyNotData(type, 0, allowHandles: true) is { } why) Report(type, name, "not exchangeable data: " + why);
                    foreach (var m in type.GetMembers())
                        if (!IsPlainField(m) && m is not IMethodSymbol { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: true })
                            Report(m, m.ToDisplayString(), "a struct here holds fields only (no methods, properties, constructors, initializers or static state)");
                    break;
                case TypeKind.Enum:
                    break;
                case TypeKind.Class when type.IsStatic:
                    foreach (var m in type.GetMembers())
                        if (m is not IFieldSymbol { IsConst: true })
                            Report(m, m.ToDisplayString(), "a static class here holds constants only");
                    break;
                default:
                    Report(type, name, $"a {type.TypeKind.ToString().ToLowerInvariant()} runs code or lives on a private heap; it belongs in a domain");
                    break;
            }
        }

        // Each interface's proxy is a class named after it (ITally: TallyProxy); two may not share one.
        foreach (var clash in Types(compilation.Assembly.GlobalNamespace).Where(ExchangeableTypes.IsDomainInterface)
                     .GroupBy(t => t.ContainingNamespace.ToDisplayString() + "." + ProxyEmitter.ClassName(t.Name)).Where(g => g.Count() > 1))
            foreach (var t in clash.Skip(1))
                Report(t, t.ToDisplayString(), $"its generated proxy would have the same name as {clash.First().ToDisplayString()}'s ({ProxyEmitter.ClassName(t.Name)}); rename one");

        foreach (var type in Types(compilation.Assembly.GlobalNamespace))
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method)
                    foreach (var p in method.Parameters.Where(p => p.HasExplicitDefaultValue))
                        Report(p, $"{method.ToDisplayString()} parameter '{p.Name}'", "parameters may not have default values");
                if (member is IFieldSymbol { IsRequired: true } required) Report(required, required.ToDisplayString(), "'required' adds attributes with behaviour; declare a plain field");
                if (member is IFieldSymbol { IsConst: true } constant && constant.Type.SpecialType == SpecialType.System_Decimal)
                    Report(constant, constant.ToDisplayString(), "a decimal constant is initialized by code; use an integer or floating-point constant");
            }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var directive in tree.GetRoot().DescendantTrivia().Where(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullableDirectiveTrivia)))
                found.Add(Diagnostic.Create(NotAllowed, directive.GetLocation(), "#nullable", "nullable annotations add attribute classes to the set; leave them out"));
            foreach (var attribute in tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>())
            {
                var type = model.GetTypeInfo(attribute).Type?.ToDisplayString();
                if (type is null || !AllowedAttributes.Contains(type))
                    found.Add(Diagnostic.Create(NotAllowed, attribute.GetLocation(), $"[{attribute.Name}]",
                        $"only [DomainInterface] and [InlineArray] may be applied in an interface set"));
            }
        }
        return found;
    }

    private static bool IsPlainField(ISymbol m) =>
        m is IFieldSymbol f && (f.IsConst || (!f.IsStatic && !HasInitializer(f)));

    private static bool HasInitializer(IFieldSymbol f) =>
        f.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is VariableDeclaratorSyntax { Initializer: not null });

    private static IEnumerable<INamedTypeSymbol> Types(INamespaceSymbol ns)
    {
        foreach (var t in ns.GetTypeMembers())
        {
            yield return t;
            foreach (var nested in t.GetTypeMembers()) yield return nested;
        }
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var t in Types(child)) yield return t;
    }
}
