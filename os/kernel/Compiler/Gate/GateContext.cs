// os/kernel/Compiler/Gate: the state of one gate run over one image: its metadata, the allow-list,
// where things are in the source, the handles already held against the list (so the final sweep
// checks only what nothing else reached), and the refusals found so far, without repeats.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Compiler.Gate;

internal sealed class GateContext
{
    private readonly HashSet<DomainDiagnostic> _seen = new();
    private readonly List<DomainDiagnostic> _found = new();

    public GateContext(MetadataReader md, PEReader pe, AllowList list, SourceLocator locator)
    {
        Md = md;
        Pe = pe;
        List = list;
        Locator = locator;
    }

    public MetadataReader Md { get; }
    public PEReader Pe { get; }
    public AllowList List { get; }
    public SourceLocator Locator { get; }

    /// <summary>Type and member references, specs and signatures already checked at some site.</summary>
    public HashSet<EntityHandle> Checked { get; } = new();

    /// <summary>Assemblies outside the reference set that some refusal at a source line already names.</summary>
    public HashSet<string> ExplainedAssemblies { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Report(SourceSpot at, string id, string message)
    {
        var d = new DomainDiagnostic(at.File, at.Line, at.Column, id, message);
        if (_seen.Add(d)) _found.Add(d);
    }

    /// <summary>The refusals in source order.</summary>
    public IReadOnlyList<DomainDiagnostic> Diagnostics =>
        _found.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
}
