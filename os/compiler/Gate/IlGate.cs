// os/compiler/Gate: the IL gate, step 1 of "How a domain lives" (ARCHITECTURE.md). It decides,
// on the compiled IL and not the source, whether a domain image may run: every type and member the
// image refers to must be on the reviewed allow-list (allowlist.txt), and no image may contain native
// code, pointers, forbidden instructions, finalizers, unsafe layouts, writes to shared statics or
// values and frames too large for the stack guard (StackLimits).
// It reads the image with System.Reflection.Metadata (nothing is loaded) and names each refusal at
// its source line through the portable PDB. An empty result means the image may run.
// Files here: IlGate (entry), AllowList* (the list), DeclarationScanner / BodyScanner /
// AttributeScanner / ReferenceSweep (the walk), ReferenceChecker (one reference against the list),
// CompilerHelpers and InlineArrayCalls (compiler-emitted code allowed in exact shapes),
// SourceLocator (PDB lines).
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace RedLeaf.Os.Compiler.Gate;

public sealed class IlGate
{
    private static readonly Lazy<IlGate> Shared = new(() => new IlGate(AllowList.Embedded));
    private readonly AllowList _list;

    public IlGate(AllowList allowList) => _list = allowList ?? throw new ArgumentNullException(nameof(allowList));

    /// <summary>The gate with the kernel's reviewed allow-list.</summary>
    public static IlGate Default => Shared.Value;

    public AllowList AllowList => _list;

    /// <summary>Checks a compiled domain assembly. <paramref name="pdb"/> is its portable PDB; without
    /// one, refusals point at "assembly.dll(IL_xxxx in Type::Method)". <paramref name="source"/>, the
    /// compilation the image was emitted from, only places refusals of declarations (extern methods,
    /// layouts, fields, attributes) at the lines that declare them; the decisions are the IL's. Returns
    /// the refusals in source order; none means the image may run. An unreadable image is refused
    /// (RLGATE018), never passed.</summary>
    public IReadOnlyList<DomainDiagnostic> Check(byte[] pe, byte[]? pdb, Microsoft.CodeAnalysis.Compilation? source = null)
    {
        ArgumentNullException.ThrowIfNull(pe);
        try
        {
            using var peReader = new PEReader(ImmutableArray.Create(pe));
            if (!peReader.HasMetadata) return Unreadable("it is not a .NET assembly");
            var md = peReader.GetMetadataReader();
            string file = (md.IsAssembly ? md.GetString(md.GetAssemblyDefinition().Name) : md.GetString(md.GetModuleDefinition().Name)) + ".dll";
            using var pdbProvider = pdb is null ? null : MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
            var ctx = new GateContext(md, peReader, _list, new SourceLocator(md, pdbProvider?.GetMetadataReader(), file, source is null ? null : new DeclarationSites(md, source)));
            var refs = new ReferenceChecker(ctx);
            var limits = new StackLimits(ctx);
            var expanding = new ExpandingGenerics(ctx);
            var bodies = new BodyScanner(ctx, refs, limits, expanding);
            var declarations = new DeclarationScanner(ctx, peReader, refs, bodies, limits);
            declarations.Scan();
            expanding.Report();
            limits.Frames();
            new AttributeScanner(ctx, refs).Scan();
            new ReferenceSweep(ctx, refs).Scan();
            declarations.AssemblyReferences();
            return ctx.Diagnostics;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return Unreadable(e.Message);
        }
    }

    private static IReadOnlyList<DomainDiagnostic> Unreadable(string why) =>
        new[] { new DomainDiagnostic("domain image", 0, 0, GateIds.BadImage, $"the image cannot be read, so it cannot be checked: {why}") };
}
