// kernel-ext/RedLeaf.Interactive: the #!idl magic. A cell that starts with
//   #!idl
// declares an interface set: [DomainInterface] interfaces and the structs, enums and constants they
// carry. The trusted pipeline checks it (IDL rules, no code), signs it, the current kernel admits it and
// builds its proxies; #!domain cells after it compile against it, so one domain can export such an
// interface and another, granted that export, call it.
//   #!idl --expect refused
// declares a set that is meant to be refused (a lesson, or a handout's answer): the cell shows the
// compiler's diagnostics and succeeds, and fails only if the set was accepted. The kernel records every
// refusal (NotebookKernel.InterfaceRefusals) with its diagnostic ids.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using RedLeaf.Notebook.Session;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Interactive;

public sealed class IdlKernel : Kernel, IKernelCommandHandler<SubmitCode>
{
    public const string KernelName = "idl";

    public IdlKernel() : base(KernelName)
    {
        KernelInfo.LanguageName = "C#";
        KernelInfo.DisplayName = "RedLeaf interface set (C#, IDL compiler)";
        KernelInfo.Description = "Compiles the cell as an interface set that later #!domain cells can implement and call";
    }

    public override KernelSpecifierDirective KernelSpecifierDirective
    {
        get
        {
            var directive = base.KernelSpecifierDirective;
            directive.Parameters.Add(new("--expect", "refused: the set is meant to be refused; the cell shows the compiler's diagnostics and fails only if the set is accepted"));
            return directive;
        }
    }

    Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        string? expect = command.Parameters.TryGetValue("--expect", out var x) ? x?.Trim('"') : null;
        if (expect is not null && expect != "refused")
        {
            context.Fail(command, null, $"#!idl --expect takes only 'refused', not '{expect}'");
            return Task.CompletedTask;
        }
        var kernel = Lab.Current;
        if (kernel is null)
        {
            context.Fail(command, null, "#!idl: no kernel is booted; run `var kernel = Lab.Boot();` in a cell first");
            return Task.CompletedTask;
        }
        var (code, firstLine) = DomainKernel.Body(command.Code, "#!idl");
        try
        {
            var set = kernel.DefineInterfaces(code, path: "cell", firstLine: firstLine);
            context.Display(set, "text/html", "text/plain");
            if (expect == "refused")
            {
                context.Fail(command, null, "the interface set was accepted, but this cell (#!idl --expect refused) declares one the IDL compiler must refuse");
                return Task.CompletedTask;
            }
            if (RootKernel.FindKernelByName("csharp") is CSharpKernel csharp) ShareWithCSharp(csharp, set.Name);
        }
        catch (DomainCompileException e) when (expect == "refused")
        {
            KernelInvocationContextExtensions.Display(context, $"the interface set was refused, as this cell expects:{Environment.NewLine}" + DomainKernel.Lines(e), "text/plain");
        }
        catch (DomainCompileException e)
        {
            context.Fail(command, null, $"the interface set was refused:{Environment.NewLine}" + DomainKernel.Lines(e));
        }
        catch (RedLeaf.Os.DomainException e)
        {
            context.Fail(command, null, $"the interface set could not be loaded: {e.Message}");
        }
        return Task.CompletedTask;
    }

    /// <summary>Lets C# cells name the set's types: the C# kernel compiles against a copy of the set on
    /// disk, and at run time its reference resolves (RedLeafExtension's resolver) to the one copy the
    /// kernel loaded, so a domain's export is the same ITally in both.</summary>
    private static void ShareWithCSharp(CSharpKernel csharp, string setName)
    {
        var set = RedLeaf.Os.Domains.InterfaceSets.Find(setName)!;
        string path = Path.Combine(s_shareFolder.Value, setName + ".dll");
        File.WriteAllBytes(path, set.Image.Assembly); // written every time: the folder is this process's own
        csharp.AddAssemblyReferences(new[] { path });
    }

    /// <summary>A fresh folder with a random name (mode 700) for this process's copies.</summary>
    private static readonly Lazy<string> s_shareFolder = new(() => Directory.CreateTempSubdirectory("redleaf-interfaces-").FullName);
}
