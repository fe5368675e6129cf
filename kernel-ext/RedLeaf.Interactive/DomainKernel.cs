// kernel-ext/RedLeaf.Interactive: the #!domain magic. A cell that starts with
//   #!domain --name keeper [--grant other,another,restart:other]
// is C# for a new domain: the trusted compiler builds it (diagnostics point at the cell's lines),
// the current kernel (Lab.Current) loads it, and its export becomes a C# variable named after it in
// later cells: a proxy of a trusted generated type, never an object of the domain's.
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using RedLeaf.Notebook.Session;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Interactive;

public sealed class DomainKernel : Kernel, IKernelCommandHandler<SubmitCode>
{
    public const string KernelName = "domain";

    public DomainKernel() : base(KernelName)
    {
        KernelInfo.LanguageName = "C#";
        KernelInfo.DisplayName = "RedLeaf domain (C#, trusted compiler)";
        KernelInfo.Description = "Compiles the cell as a RedLeaf domain and loads it into the current kernel";
    }

    public override KernelSpecifierDirective KernelSpecifierDirective
    {
        get
        {
            var directive = base.KernelSpecifierDirective;
            directive.Parameters.Add(new("--name", "the domain's name; its export becomes a C# variable of that name") { Required = true });
            directive.Parameters.Add(new("--grant", "domains whose exports this domain is granted, comma-separated; restart:NAME grants the right to restart NAME"));
            return directive;
        }
    }

    async Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        string? name = command.Parameters.TryGetValue("--name", out var n) ? Unquote(n) : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            context.Fail(command, null, "#!domain needs --name NAME (the domain's name)");
            return;
        }
        var grants = command.Parameters.TryGetValue("--grant", out var g) && !string.IsNullOrWhiteSpace(g)
            ? Unquote(g)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : Array.Empty<string>();
        var kernel = Lab.Current;
        if (kernel is null)
        {
            context.Fail(command, null, "#!domain: no kernel is booted; run `var kernel = Lab.Boot();` in a cell first");
            return;
        }
        var (code, firstLine) = Body(command.Code, "#!domain");
        try
        {
            var view = kernel.Define(name, code, grants, path: "cell", firstLine: firstLine);
            context.Display(view, "text/html", "text/plain");
            var export = kernel.Core.Domains.First(d => d.Name == view.Name).Export;
            if (export is not null && SyntaxFacts.IsValidIdentifier(name) && RootKernel.FindKernelByName("csharp") is CSharpKernel csharp)
            {
                try { await csharp.SetValueAsync(name, export, export.Interface); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    context.Fail(command, null, $"domain '{name}' is loaded, but its export could not become the C# variable '{name}' " +
                        $"of type {export.Interface.FullName}: {e.Message}. If the interface's namespace begins with a name C# cells " +
                        $"already use for a type, rename the namespace; meanwhile kernel.Use<global::{export.Interface.FullName}>(\"{name}\") reaches it.");
                }
            }
        }
        catch (DomainCompileException e)
        {
            context.Fail(command, null, $"domain '{name}' was refused by the trusted compiler:{Environment.NewLine}" + Lines(e));
        }
        catch (RedLeaf.Os.DomainException e)
        {
            context.Fail(command, null, $"domain '{name}' could not be loaded: {e.Message}");
        }
    }

    /// <summary>The code after the magic's line, and the cell line it starts on (the host may or may not
    /// hand over the directive line; lines are counted from the cell's top either way).</summary>
    internal static (string Code, int FirstLine) Body(string code, string magic)
    {
        if (!code.TrimStart().StartsWith(magic, StringComparison.Ordinal)) return (code, 2);
        int nl = code.IndexOf('\n');
        return (nl < 0 ? "" : code[(nl + 1)..], 2);
    }

    /// <summary>The compiler's diagnostics, one per line, at the cell's lines.</summary>
    internal static string Lines(DomainCompileException e) =>
        string.Join(Environment.NewLine, e.Diagnostics.Select(d => $"  cell line {d.Line}, column {d.Column}: {d.Id}: {d.Message}"));

    private static string? Unquote(string? s) => s is { Length: >= 2 } && s[0] == '"' && s[^1] == '"' ? s[1..^1] : s;
}
