// tests/os/compiler: runs one attack in a kernel of its own, in a child process, for attacks that may take
// the whole process down (a stack overflow or a crash of the runtime cannot be caught) or leave a
// thread spinning forever: the test host survives whatever happens, and the test reads what the child
// printed. The child is a small program compiled here with Roslyn against the kernel's assemblies in
// the test output folder; the attack and a friendly domain are compiled and signed in the test process
// by the trusted compiler and handed over as files.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using Xunit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
internal sealed record SandboxOutcome(int Exit, string Out, string Err, bool TimedOut)
{
    public bool Survived => Exit == 0 && !TimedOut;

    public string? Line(string key) => Out.Split('\n').Select(l => l.TrimEnd('\r'))
        .FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal))?[(key.Length + 1)..];

    public string Describe() => TimedOut ? "the child was still running after its time limit and was killed"
        : $"exit code {Exit}{(Exit is 134 or 139 ? " (the runtime aborted: the whole kernel process died)" : "")}\n" +
          $"stdout:\n{Out.Trim()}\nstderr (head):\n{string.Join("\n", Err.Split('\n').Take(12))}";
}

[Trait("suite", "hostile")]
internal static class Sandbox
{
    private const string Program = """
        using System.Reflection;
        using System.Runtime.CompilerServices;
        using System.Runtime.Loader;
        using System.Text.Json;
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        using RedLeaf.Os;
        using RedLeaf.Os.Signing;
        using RedLeaf.Os.Domains;

        public static class SandboxMain
        {
            public static int Main(string[] args)
            {
                string bin = args[0];
                AssemblyLoadContext.Default.Resolving += (ctx, name) =>
                {
                    var p = Path.Combine(bin, name.Name + ".dll");
                    return File.Exists(p) ? ctx.LoadFromAssemblyPath(p) : null;
                };
                return Run(args);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static int Run(string[] args)
            {
                if (args[1] == "compile") return Compile(args[2], args[3]);
                var hostile = Read(args[1]);
                var friend = Read(args[2]);
                long argument = long.Parse(args[3]);
                int killAfter = int.Parse(args[4]);
                int wait = int.Parse(args[5]);
                using var k = Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = 64L << 20 });
                long booted = k.Heap.LiveObjects;
                // Loaded on a thread of its own that then ends: a thread that saw a domain's exception thrown
                // keeps it (the runtime's last thrown object) and so roots the domain's code while it lives.
                Domain? loaded = null;
                DomainException? failure = null;
                var loader = new Thread(() => { try { loaded = k.Load(hostile); } catch (DomainException e) { failure = e; } }, 4 << 20);
                loader.Start();
                loader.Join();
                var d = loaded!;
                if (failure is { } e)
                {
                    // The attack's entry point failed: report how, then that the kernel carries on.
                    Console.WriteLine("LOADFAILED " + e.Message.ReplaceLineEndings(" "));
                    var failed = k.Domains.Single();
                    Console.WriteLine("STATUS " + failed.Status);
                    Console.WriteLine("REASON " + failed.LastCrash?.Reason.ReplaceLineEndings(" "));
                    Console.WriteLine("HEAP " + (k.Heap.LiveObjects == booted ? "baseline" : $"{booted} -> {k.Heap.LiveObjects}"));
                    if (failed.LastCrash is { } fc) Console.WriteLine("COLLECTED " + (fc.Collection.Wait(10_000) && fc.Collection.Result.Collected));
                    Console.WriteLine("ALIVE " + k.Load(friend).Get<IHostile>().Run(41).Value);
                    return 0;
                }
                long live = k.Heap.LiveObjects;
                Console.WriteLine("LOADED " + d.Name);
                RpcResult<long> r = default;
                var t = new Thread(() => r = d.Get<IHostile>().Run(argument), 4 << 20) { IsBackground = true };
                t.Start();
                if (killAfter >= 0 && !t.Join(killAfter)) { k.Kill(d, "killed by the hostile suite"); Console.WriteLine("KILLED"); }
                if (!t.Join(wait)) { Console.WriteLine("HANG the call did not return"); Console.Out.Flush(); Environment.Exit(3); }
                Console.WriteLine("RESULT " + r.Error.Kind);
                Console.WriteLine("STATUS " + d.Status);
                Console.WriteLine("REASON " + d.LastCrash?.Reason);
                Console.WriteLine("HEAP " + (k.Heap.LiveObjects == live ? "baseline" : $"{live} -> {k.Heap.LiveObjects}"));
                if (d.LastCrash is { } c) Console.WriteLine("COLLECTED " + (c.Collection.Wait(10_000) && c.Collection.Result.Collected));
                var f = k.Load(friend);
                Console.WriteLine("ALIVE " + f.Get<IHostile>().Run(41).Value);
                return 0;
            }

            /// <summary>Compiles a file as a #!domain cell is compiled (TrustedCompiler.CompileText), on the
            /// calling thread (a notebook kernel's), and prints what the compiler said.</summary>
            [MethodImpl(MethodImplOptions.NoInlining)]
            private static int Compile(string file, string shownAs)
            {
                try
                {
                    var image = RedLeaf.Os.Compiler.TrustedCompiler.Default.CompileText(Path.GetFileNameWithoutExtension(shownAs), File.ReadAllText(file), shownAs);
                    Console.WriteLine("COMPILED " + image.Name);
                }
                catch (RedLeaf.Os.Compiler.DomainCompileException e)
                {
                    foreach (var d in e.Diagnostics) Console.WriteLine("REFUSED " + d);
                }
                Console.WriteLine("ALIVE 42");
                return 0;
            }

            private static DomainImage Read(string dir) => new(File.ReadAllText(Path.Combine(dir, "name")),
                File.ReadAllBytes(Path.Combine(dir, "image.dll")), "hostile sandbox", null,
                JsonSerializer.Deserialize<ImageSignature>(File.ReadAllText(Path.Combine(dir, "signature.json"))));
        }
        """;

    private const string Friend = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() => new Friend(); }
        sealed class Friend : IHostile { public RpcResult<long> Run(long argument) => argument + 1; }
        """;

    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-sandbox-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { } };
        return dir;
    });

    private static readonly Lazy<string> Host = new(BuildHost);
    private static readonly Lazy<string> FriendDir = new(() => Write(TrustedCompiler.Default.CompileText("hostile_friend", Friend, "friend.cs")));

    private static string BuildHost()
    {
        var bin = AppContext.BaseDirectory;
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Concat(new[] { "RedLeaf.Os", "RedLeaf.Compiler", "RedLeaf.Abi", "RedLeaf.Interfaces", "RedLeaf.Machine" }.Select(n => Path.Combine(bin, n + ".dll")))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var tree = CSharpSyntaxTree.ParseText(Program, new CSharpParseOptions(LanguageVersion.Latest));
        var usings = CSharpSyntaxTree.ParseText("global using System; global using System.IO; global using System.Linq; global using System.Threading;");
        var c = CSharpCompilation.Create("hostile-sandbox", new[] { tree, usings }, refs,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(Root.Value, "hostile-sandbox.dll");
        var result = c.Emit(path);
        Assert.True(result.Success, "the sandbox host did not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        File.WriteAllText(Path.Combine(Root.Value, "hostile-sandbox.runtimeconfig.json"), """
            {"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"},"configProperties":{"System.Runtime.TieredPGO":false}}}
            """);
        return path;
    }

    private static string Write(DomainImage image)
    {
        var dir = Path.Combine(Root.Value, image.Name + "-" + image.Sha256[..12]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "name"), image.Name);
        File.WriteAllBytes(Path.Combine(dir, "image.dll"), image.Assembly);
        File.WriteAllText(Path.Combine(dir, "signature.json"), JsonSerializer.Serialize(image.Signature));
        return dir;
    }

    /// <summary>Runs Run(argument) of <paramref name="image"/> in a child kernel; kills the domain after
    /// <paramref name="killAfterMs"/> (-1: never); the child gives up on the call after <paramref name="waitMs"/>.
    /// <paramref name="environment"/> adds variables for the child's runtime (a GC heap limit, say).</summary>
    public static SandboxOutcome Run(DomainImage image, long argument, int killAfterMs = -1, int waitMs = 10_000,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Host.Value, AppContext.BaseDirectory, Write(image), FriendDir.Value, argument.ToString(), killAfterMs.ToString(), waitMs.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        bool exited = p.WaitForExit(waitMs + 20_000);
        if (!exited) { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } p.WaitForExit(5_000); }
        return new SandboxOutcome(exited ? p.ExitCode : -1, stdout.Result, Truncate(stderr.Result), !exited);
    }

    /// <summary>Compiles <paramref name="source"/> in a child process as a notebook cell named
    /// <paramref name="file"/> (for sources that may take the compiling process down).</summary>
    public static SandboxOutcome Compile(string source, string file, int waitMs = 120_000)
    {
        var path = Path.Combine(Root.Value, Guid.NewGuid().ToString("n") + ".cs");
        File.WriteAllText(path, source);
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Host.Value, AppContext.BaseDirectory, "compile", path, file }) psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            bool exited = p.WaitForExit(waitMs);
            if (!exited) { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } p.WaitForExit(5_000); }
            return new SandboxOutcome(exited ? p.ExitCode : -1, stdout.Result, Truncate(stderr.Result), !exited);
        }
        finally { File.Delete(path); }
    }

    private static string Truncate(string s) => s.Length <= 8192 ? s : s[..8192];

    /// <summary>Asserts the child kernel survived the attack and contained it: the call came back with
    /// <paramref name="kind"/>, the heap is at its baseline, the context was collected, another domain runs.</summary>
    public static void AssertContained(SandboxOutcome o, string kind = "CalleeCrashed", string? reason = null)
    {
        Assert.True(o.Survived, "the attack was not contained: " + o.Describe());
        Assert.True(o.Line("LOADFAILED") is null, "the attack failed to load: " + o.Describe());
        Assert.True(o.Line("RESULT") == kind, $"expected the caller to get {kind}: " + o.Describe());
        if (reason is not null) Assert.True((o.Line("REASON") ?? "").Contains(reason, StringComparison.Ordinal), $"expected the crash to name '{reason}': " + o.Describe());
        Assert.Equal("baseline", o.Line("HEAP"));
        Assert.Equal("True", o.Line("COLLECTED"));
        Assert.Equal("42", o.Line("ALIVE"));
    }

    /// <summary>Asserts the child kernel survived an attack whose entry point failed: Load threw a
    /// DomainException naming <paramref name="reason"/>, the heap is at its baseline, the context was
    /// collected, another domain loads and runs.</summary>
    public static void AssertLoadRefused(SandboxOutcome o, string reason)
    {
        Assert.True(o.Survived, "the attack was not contained: " + o.Describe());
        Assert.True(o.Line("LOADFAILED") is { } failed && failed.Contains(reason, StringComparison.Ordinal),
            $"expected Load to fail naming '{reason}': " + o.Describe());
        Assert.True(o.Line("HEAP") == "baseline", "the heap is not at its baseline: " + o.Describe());
        Assert.True(o.Line("COLLECTED") == "True", "the domain's context was not collected: " + o.Describe());
        Assert.True(o.Line("ALIVE") == "42", "the kernel did not run another domain: " + o.Describe());
    }
}
