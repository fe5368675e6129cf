// os/compiler/Gate: the state of one gate run over one image: its metadata, the allow-list,
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

    /// <summary>Where a refusal at the assembly (line 0) really is, for the check under way: the final sweep
    /// sets it per reference, so a reference only metadata holds is still placed at a source line.</summary>
    public Func<SourceSpot>? AssemblySpot { get; set; }

    public void Report(SourceSpot at, string id, string message)
    {
        if (at.Line == 0 && AssemblySpot is { } place && at == Locator.Assembly) at = place();
        var d = new DomainDiagnostic(at.File, at.Line, at.Column, id, message);
        if (_seen.Add(d)) _found.Add(d);
    }

    /// <summary>The refusals in source order.</summary>
    public IReadOnlyList<DomainDiagnostic> Diagnostics =>
        _found.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
}
