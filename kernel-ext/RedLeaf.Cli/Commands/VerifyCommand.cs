// kernel-ext/RedLeaf.Cli: `redleaf verify <file.cs|folder>...`: runs the trusted compiler's whole
// pipeline (compile, IDL check, instrumentation, IL gate, signing) and prints what it found, as a
// student checking homework would want: one line per accepted domain, every diagnostic with its file
// and line otherwise. A tree such as domains/ is walked: a folder holding .cs files is one domain,
// and domains/Interfaces is checked as the IDL, not as a domain. With --interfaces FILE|FOLDER the
// domains are compiled against that interface set (the IDL a homework declares, as a #!idl cell
// would), which is checked first. Exit 0 only if everything passed.
using RedLeaf.Os;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Cli.Commands;

internal static class VerifyCommand
{
    public const string Usage = "redleaf verify [--interfaces <file.cs|folder>] <file.cs|folder>...";

    public static int Run(Args args)
    {
        string? idl = args.Option("--interfaces");
        args.RejectUnknown();
        var targets = args.Words.Skip(1).ToList();
        if (targets.Count == 0) throw new UsageException($"what should be verified? usage: {Usage}");
        int refused = 0, accepted = 0;
        var compiler = TrustedCompiler.Default;
        if (idl is not null)
        {
            compiler = WithInterfaceSet(compiler, idl, ref accepted, ref refused);
            if (refused > 0)
            {
                Console.Out.WriteLine($"{accepted} accepted, {refused} refused (the domains were not checked: they need the interface set)");
                return 1;
            }
        }
        foreach (var target in targets)
        {
            if (File.Exists(target))
            {
                if (!target.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"{target} is not a .cs file or a folder");
                Check(Path.GetFileNameWithoutExtension(target), () => compiler.Compile(Path.GetFileNameWithoutExtension(target),
                    new[] { new DomainSource(target, File.ReadAllText(target)) }, target), ref accepted, ref refused);
            }
            else if (Directory.Exists(target)) Walk(compiler, target, ref accepted, ref refused);
            else throw new UsageException($"{target}: no such file or folder");
        }
        Console.Out.WriteLine($"{accepted} accepted, {refused} refused");
        return refused == 0 ? 0 : 1;
    }

    /// <summary>Compiles and admits the interface set in <paramref name="idl"/>; the compiler for the domains.</summary>
    private static TrustedCompiler WithInterfaceSet(TrustedCompiler compiler, string idl, ref int accepted, ref int refused)
    {
        List<DomainSource> sources;
        if (File.Exists(idl)) sources = new() { new DomainSource(idl, File.ReadAllText(idl)) };
        else if (Directory.Exists(idl))
            sources = Directory.EnumerateFiles(idl, "*.cs", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(idl, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                .Order(StringComparer.Ordinal)
                .Select(f => new DomainSource(f, File.ReadAllText(f))).ToList();
        else throw new UsageException($"--interfaces {idl}: no such file or folder");
        if (sources.Count == 0) throw new UsageException($"--interfaces {idl}: the folder holds no .cs files");
        try
        {
            var set = compiler.CompileInterfaces(sources, idl);
            var with = compiler.WithInterfaces(set);
            var loaded = Os.Domains.InterfaceSets.Find(set.Name)!;
            Console.Out.WriteLine($"ok       interfaces {idl}: {string.Join(", ", loaded.Facts.Interfaces)} ({set.Name}, signed by {set.Signature!.KeyId})");
            accepted++;
            return with;
        }
        catch (DomainCompileException e)
        {
            Report($"interfaces {idl}", e.Diagnostics, ref accepted, ref refused);
        }
        catch (DomainException e)
        {
            Console.Out.WriteLine($"REFUSED  interfaces {idl}:{Environment.NewLine}  {e.Message}");
            refused++;
        }
        return compiler;
    }

    private static void Walk(TrustedCompiler compiler, string folder, ref int accepted, ref int refused)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        if (name == "Interfaces")
        {
            var diagnostics = IdlCheck.Folder(folder);
            Report($"IDL {folder}", diagnostics, ref accepted, ref refused);
            return;
        }
        if (name is "bin" or "obj") return;
        if (Directory.EnumerateFiles(folder, "*.cs").Any())
        {
            Check(folder, () => compiler.CompileFolder(folder), ref accepted, ref refused);
            return;
        }
        foreach (var sub in Directory.EnumerateDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
            Walk(compiler, sub, ref accepted, ref refused);
    }

    private static void Check(string what, Func<Os.Domains.DomainImage> compile, ref int accepted, ref int refused)
    {
        try
        {
            var image = compile();
            Console.Out.WriteLine($"ok       {what}: {image.Assembly.Length} bytes, fingerprint {image.Signature!.Fingerprint[..16]}, signed by {image.Signature.KeyId}");
            accepted++;
        }
        catch (DomainCompileException e)
        {
            Report(what, e.Diagnostics, ref accepted, ref refused);
        }
    }

    private static void Report(string what, IReadOnlyList<DomainDiagnostic> diagnostics, ref int accepted, ref int refused)
    {
        if (diagnostics.Count == 0)
        {
            Console.Out.WriteLine($"ok       {what}");
            accepted++;
            return;
        }
        Console.Out.WriteLine($"REFUSED  {what}:");
        foreach (var d in diagnostics) Console.Out.WriteLine($"  {d}");
        refused++;
    }
}
