// os/compiler: one trusted build, step by step: compile the student's source as written (its
// errors are the ones to report, at its lines), run the IDL compiler over it, instrument, compile the
// instrumented trees with a portable PDB (so the gate can name source lines), gate, sign.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;

namespace RedLeaf.Os.Compiler;

public sealed partial class TrustedCompiler
{
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompileOptions = new(OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release, allowUnsafe: false, deterministic: true,
        nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false,
        generalDiagnosticOption: ReportDiagnostic.Default);

    private static string? s_options;

    /// <summary>The compiler settings the signature covers, as text (computed on first use: it includes
    /// the gate's policy hash, a static of another part of this class).</summary>
    public static string OptionsText => s_options ??=
        $"roslyn={typeof(CSharpCompilation).Assembly.GetName().Version};lang={Parse.LanguageVersion};unsafe=false;optimize=release;instrument=tick,stack,catch,arrays;gate={GatePolicy}";

    private DomainImage Build(string name, IReadOnlyList<DomainSource> sources, string origin, bool instrument = true)
    {
        using var deadline = new CancellationTokenSource(SourceBounds.MaxCompileTime);
        try { return Build(name, sources, origin, instrument, deadline.Token); }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new DomainCompileException(name, [SourceBounds.TooLong(sources.Count > 0 ? sources[0].Path : name)]);
        }
    }

    private DomainImage Build(string name, IReadOnlyList<DomainSource> sources, string origin, bool instrument, CancellationToken cancel)
    {
        var trees = ParseBounded(name, sources);
        string assemblyName = $"Domain.{Sanitize(name)}.{CacheKey(name, sources)[..8]}";
        var compilation = CSharpCompilation.Create(assemblyName, trees, _references, CompileOptions);

        // The IDL compiler checks any [DomainInterface] the domain itself declares.
        var driver = CSharpGeneratorDriver.Create(new Idl.IdlGenerator());
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out var generatorDiagnostics, cancel);
        var errors = generatorDiagnostics.Concat(withGenerated.GetDiagnostics(cancel))
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic).Distinct().ToList();
        errors.AddRange(ReservedNames.Declarations(compilation));
        if (instrument) errors.AddRange(Instrumenter.ComputedCapacityAssignments(compilation).Concat(Instrumenter.WideAlignments(compilation)).Concat(Instrumenter.WidePrecisions(compilation)).Concat(Instrumenter.GrowthBypasses(compilation)).Concat(Instrumenter.HashingBypasses(compilation)));
        if (errors.Count > 0) throw new DomainCompileException(name, errors);

        // Instrument and compile again; the result must compile, or the instrumenter has a bug.
        var unguarded = instrument ? StackChecks.Unguarded(compilation, trees) : null;
        var instrumented = unguarded is null ? compilation
            : compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(trees.Select(t => Instrumenter.Rewrite(t, compilation, unguarded)));
        if (instrument && ReservedNames.Bindings(instrumented, instrumented.GetAssemblyOrModuleSymbol(_abi) as IAssemblySymbol
                ?? throw new InvalidOperationException("the ABI is not among a domain's references")).ToList() is { Count: > 0 } captured)
            throw new DomainCompileException(name, captured); // the checks would call the domain's own code
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = instrumented.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb), cancellationToken: cancel);
        if (!result.Success && result.Diagnostics.Any(d => d.Id == "CS0656" && d.GetMessage().Contains("Microsoft.CSharp.RuntimeBinder")))
            throw new DomainCompileException(name, result.Diagnostics.Where(d => d.Id == "CS0656").Take(1)
                .Select(d => ToDiagnostic(d) with { Id = Gate.GateIds.Reflection, Message = "uses dynamic, which binds members by reflection and generates code at run time; domains may not" }).ToList());
        if (!result.Success)
            throw new DomainCompileException(name, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => ToDiagnostic(d) with { Id = "RL0002", Message = $"the instrumented code did not compile (a bug in the trusted compiler, please report it): {d.Id} {d.GetMessage()}" }).ToList());

        var peBytes = pe.ToArray();
        var pdbBytes = pdb.ToArray();
        var refused = new List<DomainDiagnostic>();
        RunGate(peBytes, pdbBytes, compilation, refused);
        if (refused.Count > 0) throw new DomainCompileException(name, refused);

        var signature = ImageSignature.Sign(name, SourceHash(sources), peBytes, _interfaces, PipelineVersion, instrument ? OptionsText : OptionsText + ";UNINSTRUMENTED", _key);
        return new DomainImage(name, peBytes, origin, pdbBytes, signature);
    }

    /// <summary>The syntax trees of <paramref name="sources"/> and the implicit usings, or RL0006 if a source is too
    /// large or nested too deeply to parse and compile safely (SourceBounds: before and after parsing).</summary>
    private static List<SyntaxTree> ParseBounded(string name, IReadOnlyList<DomainSource> sources, string kind = "domain")
    {
        if (SourceBounds.Check(sources) is { Count: > 0 } tooBig) throw new DomainCompileException(name, tooBig, kind);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, Parse, s.Path, Encoding.UTF8))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, Parse, "<implicit usings>", Encoding.UTF8)).ToList();
        if (trees.Select(SourceBounds.TreeDepth).OfType<DomainDiagnostic>().ToList() is { Count: > 0 } tooDeep) throw new DomainCompileException(name, tooDeep, kind);
        return trees;
    }

    /// <summary>The IL gate (os/compiler/Gate): adds a diagnostic per refused construct.</summary>
    partial void RunGate(byte[] pe, byte[] pdb, Compilation source, List<DomainDiagnostic> refused);

    private static DomainDiagnostic ToDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        return new DomainDiagnostic(span.Path ?? "", span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Id, DiagnosticHints.Explain(d.Id, d.GetMessage()));
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
