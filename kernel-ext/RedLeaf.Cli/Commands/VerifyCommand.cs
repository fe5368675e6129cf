// kernel-ext/RedLeaf.Cli: `redleaf verify <file.cs|folder>...`: runs the trusted compiler's whole
// pipeline (compile, IDL check, instrumentation, IL gate, signing) and prints what it found, as a
// student checking homework would want: one line per accepted domain, every diagnostic with its file
// and line otherwise. A tree such as domains/ is walked: a folder holding .cs files is one domain,
// and domains/Interfaces is checked as the IDL, not as a domain. Exit 0 only if everything passed.
using RedLeaf.Os;
using RedLeaf.Os.Compiler;

namespace RedLeaf.Cli.Commands;

internal static class VerifyCommand
{
    public const string Usage = "redleaf verify <file.cs|folder>...";

    public static int Run(Args args)
    {
        args.RejectUnknown();
        var targets = args.Words.Skip(1).ToList();
        if (targets.Count == 0) throw new UsageException($"what should be verified? usage: {Usage}");
        int refused = 0, accepted = 0;
        foreach (var target in targets)
        {
            if (File.Exists(target))
            {
                if (!target.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"{target} is not a .cs file or a folder");
                Check(Path.GetFileNameWithoutExtension(target), () => TrustedCompiler.Default.Compile(Path.GetFileNameWithoutExtension(target),
                    new[] { new DomainSource(target, File.ReadAllText(target)) }, target), ref accepted, ref refused);
            }
            else if (Directory.Exists(target)) Walk(target, ref accepted, ref refused);
            else throw new UsageException($"{target}: no such file or folder");
        }
        Console.Out.WriteLine($"{accepted} accepted, {refused} refused");
        return refused == 0 ? 0 : 1;
    }

    private static void Walk(string folder, ref int accepted, ref int refused)
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
            Check(folder, () => TrustedCompiler.Default.CompileFolder(folder), ref accepted, ref refused);
            return;
        }
        foreach (var sub in Directory.EnumerateDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
            Walk(sub, ref accepted, ref refused);
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
