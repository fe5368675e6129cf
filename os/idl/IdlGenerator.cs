// os/idl: the IDL compiler's entry. In any compilation that declares [DomainInterface] interfaces it
// checks them (errors fail the build). In a trusted compilation, one that references the kernel's
// proxy runtime, it also emits a proxy for every valid domain interface declared there or in a
// referenced assembly that an [assembly: ProxiesFor("name")] names, plus a module initializer that
// registers them with the kernel.
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RedLeaf.Idl;

[Generator(LanguageNames.CSharp)]
public sealed class IdlGenerator : IIncrementalGenerator
{
    private const string ProxyBase = "RedLeaf.Os.Proxies.Proxy`1";
    private const string ProxiesFor = "RedLeaf.Os.Proxies.ProxiesForAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context) =>
        context.RegisterSourceOutput(context.CompilationProvider, Execute);

    private static void Execute(SourceProductionContext spc, Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName(ExchangeableTypes.InterfaceAttribute) is null) return;
        var diagnostics = new List<Diagnostic>();
        var models = new List<InterfaceModel>();
        foreach (var iface in DeclaredIn(compilation.Assembly.GlobalNamespace))
        {
            var model = InterfaceChecker.Check(iface, diagnostics);
            if (model != null) models.Add(model);
        }
        foreach (var d in diagnostics) spc.ReportDiagnostic(d);

        if (compilation.GetTypeByMetadataName(ProxyBase) is null) return; // not a trusted compilation
        var named = new HashSet<string>(compilation.Assembly.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == ProxiesFor && a.ConstructorArguments.Length == 1)
            .Select(a => a.ConstructorArguments[0].Value as string ?? ""));
        foreach (var asm in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!named.Contains(asm.Name)) continue;
            foreach (var iface in DeclaredIn(asm.GlobalNamespace))
            {
                var model = InterfaceChecker.Check(iface, new List<Diagnostic>());
                if (model != null) models.Add(model);
            }
        }
        foreach (var m in models)
            spc.AddSource($"{ProxyEmitter.Namespace(m)}.{ProxyEmitter.ClassName(m)}.g.cs", SourceText.From(ProxyEmitter.Emit(m), System.Text.Encoding.UTF8));
        if (models.Count > 0)
            spc.AddSource("RedLeaf.Generated.ProxyRegistration.g.cs", SourceText.From(ProxyEmitter.EmitRegistration(models), System.Text.Encoding.UTF8));
    }

    private static IEnumerable<INamedTypeSymbol> DeclaredIn(INamespaceSymbol ns)
    {
        foreach (var t in ns.GetTypeMembers())
            if (ExchangeableTypes.IsDomainInterface(t)) yield return t;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var t in DeclaredIn(child)) yield return t;
    }
}
