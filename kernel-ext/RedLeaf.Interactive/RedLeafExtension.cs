// kernel-ext/RedLeaf.Interactive: the extension's entry. .NET Interactive calls OnLoadAsync when it
// finds the package (interactive-extensions/dotnet); a notebook that `#r`s the DLL calls Load()
// itself (the host does not run extensions of plain DLLs). Either way: formatters for every
// notebook view, the #!domain, #!idl and #!rv6 kernels, and a fresh page for plotly.js.
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using RedLeaf.Notebook.Charts;
using RedLeaf.Notebook.Html;

namespace RedLeaf.Interactive;

public sealed class RedLeafExtension : IKernelExtension
{
    public Task OnLoadAsync(Kernel kernel)
    {
        Install(kernel);
        return Task.CompletedTask;
    }

    /// <summary>Loads the extension into the running notebook (its first cell calls this).</summary>
    public static IRichView Load()
    {
        var kernel = KernelInvocationContext.Current?.HandlingKernel?.RootKernel ?? Kernel.Root
            ?? throw new InvalidOperationException("RedLeaf.Interactive: no .NET Interactive kernel is running here; use RedLeaf.Notebook directly from plain C#");
        return Install(kernel);
    }

    private static int s_resolverInstalled;

    private static IRichView Install(Kernel kernel)
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
            AssemblyLoadContext.Default.Resolving += UseHostCopy;
        PlotlyPage.Reset();
        var formatters = Formatters.Register();
        var magics = new List<string>();
        if (kernel.RootKernel is CompositeKernel root && root.FindKernelByName(DomainKernel.KernelName) is null)
        {
            root.Add(new DomainKernel());
            magics.Add("#!domain --name NAME [--grant A,B]");
        }
        if (kernel.RootKernel is CompositeKernel root3 && root3.FindKernelByName(IdlKernel.KernelName) is null)
        {
            root3.Add(new IdlKernel());
            magics.Add("#!idl (an interface set: [DomainInterface]s for later #!domain cells)");
        }
        if (kernel.RootKernel is CompositeKernel root2 && root2.FindKernelByName(Rv6Kernel.KernelName) is null)
        {
            root2.Add(new Rv6Kernel());
            magics.Add("#!rv6 (one shell command line per line)");
        }
        ReferenceLibraries(kernel);
        return new LoadedSummary(formatters, magics);
    }

    /// <summary>The RedLeaf libraries a C# cell may name (`using RedLeaf.Benchmarks.Suites;` ...): referenced
    /// explicitly, because C# cells see only what is referenced, and a library the extension's own assembly
    /// happens not to use (the measuring library, the suites, the systems tier) would otherwise be missing.</summary>
    private static void ReferenceLibraries(Kernel kernel)
    {
        if ((kernel.RootKernel as CompositeKernel)?.FindKernelByName("csharp") is not Microsoft.DotNet.Interactive.CSharp.CSharpKernel csharp) return;
        var libraries = new[]
        {
            typeof(RedLeaf.Hardware.Machine), typeof(RedLeaf.Abi.RpcResult), typeof(RedLeaf.Os.Microkernel),
            typeof(RedLeaf.Os.Compiler.TrustedCompiler), typeof(RedLeaf.Systems.Rv6.Rv6System), typeof(RedLeaf.Xv6.FsImage),
            typeof(RedLeaf.Measure.SuiteResult), typeof(RedLeaf.Benchmarks.Suites.CallsSuite), typeof(RedLeaf.Notebook.Session.Lab),
            // Notebooks draw their own charts with Plotly.NET's C# API (PlotlyView); RedLeaf.Notebook writes
            // plotly's JSON itself, so its metadata no longer brings these in.
            typeof(Plotly.NET.GenericChart), typeof(Plotly.NET.CSharp.Chart),
        };
        csharp.AddAssemblyReferences(libraries.Select(t => t.Assembly.Location).Where(l => l.Length > 0).Distinct());
    }

    /// <summary>Plotly.NET asks for FSharp.Core 10.1; the dotnet-interactive tool runs on 10.0. The API
    /// Plotly uses is in both, so bind the request to the copy the host already loaded.</summary>
    /// An interface set (#!idl) resolves to the copy the kernel admitted, so cells and domains share its types.
    /// This handler runs inside the host's own resolution: it touches RedLeaf.Os only for a set's name
    /// (in a method of its own), and not again while that lookup itself resolves something (in the
    /// dotnet-interactive tool, loading RedLeaf.Os from here raises this event again).
    private static Assembly? UseHostCopy(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is "FSharp.Core" or "Newtonsoft.Json")
            return AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name.Name && !a.IsDynamic);
        if (t_resolvingSet || name.Name is null || !name.Name.StartsWith(InterfaceSetPrefix, StringComparison.Ordinal)) return null;
        t_resolvingSet = true;
        try { return AdmittedSet(name.Name); }
        finally { t_resolvingSet = false; }
    }

    /// <summary>InterfaceImage.NamePrefix, spelled here so the handler needs nothing of RedLeaf.Os to test a name.</summary>
    private const string InterfaceSetPrefix = "Cell.Interfaces.";

    [ThreadStatic] private static bool t_resolvingSet;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Assembly? AdmittedSet(string name) => RedLeaf.Os.Domains.InterfaceSets.Find(name)?.Assembly;

    private sealed record LoadedSummary(IReadOnlyList<string> Formatters, IReadOnlyList<string> Magics) : IRichView
    {
        public string ToHtml() => Markup.Block("extension", "RedLeaf.NET loaded",
            Markup.Facts(("views", string.Join(", ", Formatters)), ("magic commands", Magics.Count == 0 ? "(already registered)" : string.Join("; ", Magics)),
                ("start", "var kernel = Lab.Boot();")));

        public override string ToString() =>
            $"RedLeaf.NET loaded: views {string.Join(", ", Formatters)}; magic commands {(Magics.Count == 0 ? "(already registered)" : string.Join("; ", Magics))}; start with: var kernel = Lab.Boot();";
    }
}
