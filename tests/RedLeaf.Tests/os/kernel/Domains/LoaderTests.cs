// tests/os/kernel/Domains: the loader (os/kernel/Domains, Microkernel.Load): each instance in its own
// collectible load context; the image inspector's facts and refusals (disallowed references, native
// imports, no or two entry points, reserved names, garbage); missing or wrong grants; entry points
// that throw or fault. Images the trusted compiler would never emit are built here with Roslyn.
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Interfaces.Workloads;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Proxies;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class LoaderTests
{
    private const string ValidEntry = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Workloads;
        public static class Entry
        {
            [DomainEntry] public static IBench? Start() => null;
        }
        """;

    private static readonly Lazy<MetadataReference[]> RawReferences = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => Path.GetDirectoryName(p) == runtimeDir)
            .Append(typeof(RRef<>).Assembly.Location)
            .Append(typeof(IBench).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    /// <summary>An image straight from Roslyn, with any assembly name and the whole base library: what a forger could hand the loader.</summary>
    private static DomainImage Raw(string imageName, string assemblyName, string source)
    {
        var compilation = CSharpCompilation.Create(assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            RawReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return TrustedCompiler.Default.SignUnchecked(new DomainImage(imageName, pe.ToArray(), "test (raw Roslyn)"));
    }

    private static void AssertRefused(DomainImage image, string reason)
    {
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains($"domain image '{image.Name}' refused", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Empty(k.Domains); // nothing of a refused image is recorded, or run
        Assert.Throws<DomainException>(() => ImageInspector.Inspect(image, k.DomainReferences));
    }

    private static object TargetOf(Proxy proxy) =>
        proxy.GetType().BaseType!.GetField("Target", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(proxy)!;

    [Fact]
    public void TwoInstancesOfOneImageAreSeparateDomainsWithIndependentState()
    {
        using var k = TestDomains.Boot();
        var b1 = k.Load(TestDomains.DomB);
        var b2 = k.Load(TestDomains.DomB);

        Assert.Equal("dom_b", b1.Name);
        Assert.Equal("dom_b.2", b2.Name);
        Assert.NotEqual(b1.Id, b2.Id);
        Assert.Same(b2, k["dom_b.2"]);
        Assert.NotSame(b1.Export, b2.Export);
        Assert.Equal(b1.Id, b1.Export!.CalleeId);
        Assert.Equal(b2.Id, b2.Export!.CalleeId);

        var p1 = b1.Get<IDomB>();
        var p2 = b2.Get<IDomB>();
        for (int i = 0; i < 5; i++) p1.Null();
        Assert.Equal(6, p1.Calls().Value);
        Assert.Equal(1, p2.Calls().Value); // dom_b.2 saw none of dom_b's calls
        Assert.Equal(7, p1.Calls().Value);

        Assert.Equal("dom_b.3", k.Load(TestDomains.DomB).Name);
        Assert.Equal("custom", k.Load("custom", TestDomains.DomB).Name);
    }

    [Fact]
    public void EachInstanceLivesInItsOwnCollectibleLoadContextAndSharesTheIdl()
    {
        using var k = TestDomains.Boot();
        var b1 = k.Load(TestDomains.DomB);
        var b2 = k.Load(TestDomains.DomB);
        var o1 = TargetOf(b1.Export!);
        var o2 = TargetOf(b2.Export!);

        var c1 = AssemblyLoadContext.GetLoadContext(o1.GetType().Assembly)!;
        var c2 = AssemblyLoadContext.GetLoadContext(o2.GetType().Assembly)!;
        Assert.NotSame(c1, c2);
        Assert.NotSame(AssemblyLoadContext.Default, c1);
        Assert.True(c1.IsCollectible && c2.IsCollectible);
        Assert.Equal($"dom_b#{b1.Id}", c1.Name);
        Assert.Equal($"dom_b.2#{b2.Id}", c2.Name);
        Assert.NotSame(o1.GetType(), o2.GetType()); // same source, two copies of the code
        Assert.Equal(o1.GetType().FullName, o2.GetType().FullName);
        Assert.NotSame(o1.GetType().Assembly, o2.GetType().Assembly);

        // The IDL and the ABI are the host's single copy.
        Assert.IsAssignableFrom<IDomB>(o1);
        Assert.Contains(typeof(IDomB), o2.GetType().GetInterfaces());
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(IDomB).Assembly));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(RRef<>).Assembly));
    }

    [Fact]
    public void TheImageInspectorFindsTheEntryPointAndReferences()
    {
        var image = TestDomains.DomB;
        using var k = TestDomains.Boot();
        var facts = ImageInspector.Inspect(image, k.DomainReferences);

        Assert.StartsWith("Domain.dom_b.", facts.AssemblyName);
        Assert.Equal("Domains.Test.DomB.Entry", facts.EntryType);
        Assert.Equal("Start", facts.EntryMethod);
        Assert.Contains("RedLeaf.Abi", facts.References);
        Assert.Contains("RedLeaf.Interfaces", facts.References);
        Assert.All(facts.References, r => Assert.Contains(r, k.DomainReferences));
        Assert.Equal(64, image.Sha256.Length);

        var a = ImageInspector.Inspect(TestDomains.DomA, k.DomainReferences);
        Assert.Equal(("Domains.Test.DomA.Entry", "Start"), (a.EntryType, a.EntryMethod));
    }

    [Fact]
    public void AnImageReferencingAnAssemblyOutsideTheReferenceSetIsRefused()
    {
        var image = Raw("console_user", "Domain.console_user", ValidEntry + """
            public static class Chatty { public static void Say() => System.Console.WriteLine("hi"); }
            """);
        AssertRefused(image, "it references System.Console, outside the domain reference set");
    }

    [Fact]
    public void AnImageDeclaringNativeImportsIsRefused()
    {
        var image = Raw("pinvoker", "Domain.pinvoker", ValidEntry + """
            public static class Native
            {
                [System.Runtime.InteropServices.DllImport("libc")] public static extern int getpid();
            }
            """);
        AssertRefused(image, "native imports (P/Invoke)");
    }

    [Fact]
    public void AnImageWithoutAnEntryPointIsRefused()
    {
        var image = TrustedCompiler.Default.CompileText("no_entry", "public static class NothingHere { public static int Answer() => 42; }");
        AssertRefused(image, "it has no [DomainEntry] method");
    }

    [Fact]
    public void AnImageWithTwoEntryPointsIsRefused()
    {
        var image = TrustedCompiler.Default.CompileText("two_entries", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Workloads;
            public static class One { [DomainEntry] public static IBench? Start() => null; }
            public static class Two { [DomainEntry] public static IBench? Begin() => null; }
            """);
        AssertRefused(image, "it has 2 [DomainEntry] methods (One.Start, Two.Begin); a domain has one");
    }

    [Theory]
    [InlineData("RedLeaf.Os")]
    [InlineData("RedLeaf.Proxies")]
    [InlineData("redleaf.abi")]
    [InlineData("Cell.Interfaces.0123456789abcdef")]
    [InlineData("Cell.Proxies.0123456789abcdef")]
    public void AnImagePosingAsATrustedAssemblyIsRefused(string assemblyName)
    {
        var image = Raw("impostor", assemblyName, ValidEntry);
        AssertRefused(image, $"its assembly name '{assemblyName}' is reserved for the trusted system");
    }

    [Theory]
    [InlineData("random")]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("native-looking")]
    public void GarbageBytesAreRefused(string kind)
    {
        byte[] bytes = kind switch
        {
            "random" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11)).ToArray(),
            "empty" => Array.Empty<byte>(),
            "truncated" => TestDomains.DomB.Assembly[..512],
            _ => new byte[] { (byte)'M', (byte)'Z' }.Concat(new byte[1022]).ToArray(),
        };
        var image = TrustedCompiler.Default.SignUnchecked(new DomainImage("garbage_" + kind, bytes, "test"));
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains($"domain image 'garbage_{kind}' refused", e.Message);
        Assert.True(e.Message.Contains("not a .NET assembly") || e.Message.Contains("not a valid assembly"), e.Message);
        Assert.Empty(k.Domains);
    }

    [Fact]
    public void AMissingGrantIsAClearDomainException()
    {
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(TestDomains.DomA));
        Assert.Contains("domain 'dom_a' needs IDomB ('domB') at its entry point", e.Message);
        Assert.Contains("granted: nothing", e.Message);

        var a = k["dom_a"];
        Assert.Equal(DomainStatus.Crashed, a.Status);
        Assert.Equal(CrashKind.Start, a.LastCrash!.Kind);
        Assert.Null(a.Export);

        // A grant of the wrong interface is just as clear, and names what was granted.
        var bench = k.Load(TestDomains.NullDomain);
        var wrong = Assert.Throws<DomainException>(() => k.Load(TestDomains.DomA, bench.Export!));
        Assert.Contains("needs IDomB", wrong.Message);
        Assert.Contains("granted: IBench", wrong.Message);
    }

    [Fact]
    public void AGrantThatIsNotADomainInterfaceIsRefused()
    {
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(TestDomains.DomA, new object()));
        Assert.Contains("grant 0 for 'dom_a' (Object) implements no [DomainInterface]", e.Message);
        Assert.Empty(k.Domains);
    }

    [Fact]
    public async Task AnEntryPointThatThrowsFailsTheLoadAndIsRecordedAsCrashed()
    {
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(TestDomains.EntryThrows));
        Assert.Contains("domain 'entry_throws' failed to start", e.Message);
        Assert.Contains("InvalidOperationException: entry_throws refuses to start", e.Message);

        var d = k["entry_throws"];
        Assert.Equal(DomainStatus.Crashed, d.Status);
        var crash = d.LastCrash!;
        Assert.Equal(CrashKind.Start, crash.Kind);
        Assert.Equal((1, 64L * 8), (crash.FreedObjects, crash.FreedBytes)); // the array it allocated first
        Assert.Equal(0, k.Heap.LiveObjects);
        Assert.Null(d.Export);

        var collected = await HeapProbe.CollectedWithin(crash, TimeSpan.FromSeconds(5));
        Assert.True(collected.Collected, "the failed domain's load context was not collected");
    }

    [Fact]
    public void AnEntryPointThatIsNotPublicIsRefusedClearly()
    {
        using var k = TestDomains.Boot();
        var image = TrustedCompiler.Default.CompileText("private_entry", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Workloads;
            public static class Entry { [DomainEntry] internal static IBench? Start() => null; }
            """);
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains("domain 'private_entry': [DomainEntry] Entry.Start must be public and static", e.Message);
        Assert.Equal(DomainStatus.Crashed, k["private_entry"].Status);
    }

    [Fact]
    public void AnEntryPointThatExportsNoDomainInterfaceLeavesNothingRunning()
    {
        using var k = TestDomains.Boot();
        var image = TrustedCompiler.Default.CompileText("exports_object", """
            using RedLeaf.Abi;
            public static class Entry
            {
                [DomainEntry]
                public static object Start()
                {
                    RRef<long>.New(5);
                    return new object();
                }
            }
            """);
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains("implements no [DomainInterface]", e.Message);

        // The load failed, so the domain must not be left running, holding what it allocated.
        var d = k["exports_object"];
        Assert.NotEqual(DomainStatus.Running, d.Status);
        Assert.Equal(0, k.Heap.LiveObjects);
    }

    [Fact]
    public void ADomainThatExportsNothingLoadsAndHasNoExport()
    {
        using var k = TestDomains.Boot();
        var d = k.Load(TrustedCompiler.Default.CompileText("quiet", ValidEntry));
        Assert.Equal(DomainStatus.Running, d.Status);
        Assert.Null(d.Export);
        Assert.Contains("exports nothing, not IBench", Assert.Throws<DomainException>(() => d.Get<IBench>()).Message);
    }

    [Fact]
    public void LoadingOnADisposedKernelIsRefused()
    {
        var k = TestDomains.Boot();
        k.Dispose();
        Assert.Throws<ObjectDisposedException>(() => k.Load(TestDomains.DomB));
    }

    [Fact]
    public void ALoadIsLoggedWithTheImageHash()
    {
        using var k = TestDomains.Boot();
        var b = k.Load(TestDomains.DomB);
        Assert.Contains(k.Log.Entries, e => e.Message.Contains($"loaded dom_b as instance {b.Id}")
                                             && e.Message.Contains(b.Image.Sha256[..12])
                                             && e.Message.Contains("exports IDomB"));
    }

    [Fact]
    public void RestartingADomainThatCouldNotStartFailsTheSameClearWay()
    {
        using var k = TestDomains.Boot();
        Assert.Throws<DomainException>(() => k.Load(TestDomains.DomA));
        var a = k["dom_a"];
        int first = a.Id;

        var again = Assert.Throws<DomainException>(() => k.Restart(a));
        Assert.Contains("needs IDomB", again.Message);
        Assert.Equal(DomainStatus.Crashed, a.Status);
        Assert.NotEqual(first, a.Id);
        Assert.Equal(2, a.Crashes.Count);
        Assert.All(a.Crashes, c => Assert.Equal(CrashKind.Start, c.Kind));
    }
}
