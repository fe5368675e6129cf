// tests/os/compiler: interface sets, the [DomainInterface]s a notebook cell declares. The pipeline checks
// them with the IDL compiler and the interface-set rules, signs them, and builds their proxies itself;
// domains compiled against a set call each other through those proxies with the usual contract
// (RRefs move, a callee crash comes back as an RpcError); the loader refuses a set or a domain that
// does not match what the kernel runs, and a set that holds code.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;
using RedLeaf.Tests.Hostile;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class InterfaceSetTests
{
    private const string Counters = """
        using RedLeaf.Abi;
        namespace Course.Counters;

        public struct Duo { public long A; public long B; }

        public static class Limits { public const long Crash = 13; }

        [DomainInterface]
        public interface ITally
        {
            RpcResult<long> Next(long by);
            RpcResult<long> Sum(RRef<Duo> pair);
        }
        """;

    private const string Counter = """
        using RedLeaf.Abi;
        using Course.Counters;

        public static class Entry { [DomainEntry] public static ITally Start() { return new Counter(); } }

        sealed class Counter : ITally
        {
            private long _value;
            public RpcResult<long> Next(long by)
            {
                if (by == Limits.Crash) throw new InvalidOperationException("unlucky");
                _value += by;
                return _value;
            }
            public RpcResult<long> Sum(RRef<Duo> pair) { return pair.Value.A + pair.Value.B; }
        }
        """;

    // Run(n): n calls of Next(1) (n == 13: one Next(13), which crashes the counter), then a Sum of an RRef it moves.
    private const string User = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        using Course.Counters;

        public static class Entry { [DomainEntry] public static IHostile Start(ITally counter) { return new User(counter); } }

        sealed class User : IHostile
        {
            private readonly ITally _counter;
            public User(ITally counter) { _counter = counter; }
            public RpcResult<long> Run(long n)
            {
                if (n == Limits.Crash)
                {
                    var r = _counter.Next(n);
                    return r.IsOk ? 0 : -(long)r.Error.Kind;
                }
                long last = 0;
                for (long i = 0; i < n; i++) { var r = _counter.Next(1); if (!r.IsOk) return r.Error; last = r.Value; }
                var pair = RRef<Duo>.New(new Duo { A = last, B = 100 });
                var sum = _counter.Sum(pair);
                return sum.IsOk ? sum.Value : sum.Error;
            }
        }
        """;

    private static (InterfaceImage Set, TrustedCompiler Compiler) CountersSet()
    {
        var set = TrustedCompiler.Default.CompileInterfacesText(Counters);
        return (set, TrustedCompiler.Default.WithInterfaces(set));
    }

    [Fact]
    public void DomainsCallEachOtherThroughACellDeclaredInterfaceAndItsGeneratedProxy()
    {
        var (set, compiler) = CountersSet();
        Assert.StartsWith(InterfaceImage.NamePrefix, set.Name);
        Assert.Equal(MachineKey.Current.Id, set.Signature!.KeyId);
        using var k = TestDomains.Boot();
        var loaded = k.LoadInterfaces(set, TrustedCompiler.Proxies);
        Assert.Equal(new[] { "Course.Counters.ITally" }, loaded.Facts.Interfaces);
        Assert.Contains(k.Log.Entries, e => e.Message.Contains($"verified interface set {set.Name}: Course.Counters.ITally"));

        var counter = k.Load(compiler.CompileText("counter", Counter));
        Assert.StartsWith(ProxyBuilder_NamePrefix, counter.Export!.GetType().Assembly.GetName().Name);
        Assert.Equal("Course.Counters.ITally", counter.Export.Interface.FullName);
        var user = k.Load(compiler.CompileText("user", User), counter.Export);
        long live = k.Heap.LiveObjects;
        var result = user.Get<IHostile>().Run(5);
        Assert.True(result.IsOk, result.ToString());
        Assert.Equal(105, result.Value); // five Next(1), then Sum(5, 100) of an RRef moved to the counter
        Assert.Equal(live + 1, k.Heap.LiveObjects); // the pair moved to the counter, which now owns it
        Assert.Equal(110, user.Get<IHostile>().Run(5).Value); // the counter kept its state: 10 + 100
        k.Kill(counter);
        Assert.Equal(live, k.Heap.LiveObjects); // both pairs went with the counter
    }

    private const string ProxyBuilder_NamePrefix = "Cell.Proxies.";

    [Fact]
    public void TheKernelBuildsNoProxiesItself_ASetNotYetAdmittedNeedsTheTrustedCompilersBuilder()
    {
        // The kernel carries no Roslyn (issue 21): the proxies of a set come from the builder its admitter
        // hands in. Without one, a set this process has not admitted is refused, naming the way in.
        var set = TrustedCompiler.Default.CompileInterfacesText("using RedLeaf.Abi;\nnamespace Course.Unadmitted;\n[DomainInterface] public interface IPing { RpcResult<int> Ping(int x); }\n");
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.LoadInterfaces(set));
        Assert.Contains($"interface image '{set.Name}' refused: it has not been admitted to this process", e.Message);
        Assert.Contains("TrustedCompiler.Proxies", e.Message);
        Assert.Null(global::RedLeaf.Os.Domains.InterfaceSets.Find(set.Name));
        var loaded = k.LoadInterfaces(set, TrustedCompiler.Proxies);
        Assert.Equal(new[] { "Course.Unadmitted.IPing" }, loaded.Facts.Interfaces);
        Assert.Same(loaded, k.LoadInterfaces(set)); // admitted now: no builder needed again
    }

    [Fact]
    public async Task ACalleeCrashThroughACellInterfaceReachesTheCallerAsAnErrorAndIsCleanedUp()
    {
        var (set, compiler) = CountersSet();
        using var k = TestDomains.Boot();
        k.LoadInterfaces(set, TrustedCompiler.Proxies);
        var counter = k.Load(compiler.CompileText("counter", Counter));
        var user = k.Load(compiler.CompileText("user", User), counter.Export!);
        var r = user.Get<IHostile>().Run(13);
        Assert.Equal(-(long)RpcErrorKind.CalleeCrashed, r.Value);
        Assert.Equal(DomainStatus.Crashed, counter.Status);
        Assert.Contains("unlucky", counter.LastCrash!.Reason);
        var collected = await counter.LastCrash.Collection.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(collected.Collected, "the counter's load context was not collected");
        Assert.Equal(RpcErrorKind.NotRunning, user.Get<IHostile>().Run(1).Error.Kind);
        k.Restart(counter);
        Assert.Equal(101, user.Get<IHostile>().Run(1).Value);
    }

    [Fact]
    public void ADomainCompiledAgainstASetIsRefusedByAKernelThatHasNotLoadedIt()
    {
        var (set, compiler) = CountersSet();
        using var k = TestDomains.Boot();
        var image = compiler.CompileText("counter", Counter);
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains("'counter' refused", e.Message);
        Assert.Contains($"interface set {set.Name}, which this kernel has not loaded", e.Message);
        Assert.Empty(k.Domains);
    }

    [Fact]
    public void ASetThatDependsOnAnEarlierSetCompilesAndLoadsAfterIt()
    {
        var (first, compiler) = CountersSet();
        var second = compiler.CompileInterfacesText("""
            using RedLeaf.Abi;
            namespace Course.Sums;
            [DomainInterface] public interface IAdder { RpcResult<Course.Counters.Duo> Swap(Course.Counters.Duo p); }
            """);
        Assert.Contains(first.Name, second.Signature!.Interfaces.Keys);
        var both = compiler.WithInterfaces(second);
        var adder = both.CompileText("adder", """
            using RedLeaf.Abi;
            using Course.Counters;
            using Course.Sums;
            public static class Entry { [DomainEntry] public static IAdder Start() { return new Adder(); } }
            sealed class Adder : IAdder { public RpcResult<Duo> Swap(Duo p) { return new Duo { A = p.B, B = p.A }; } }
            """);
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(adder));
        Assert.Contains("has not loaded", e.Message);
        k.LoadInterfaces(first, TrustedCompiler.Proxies);
        k.LoadInterfaces(second, TrustedCompiler.Proxies);
        var d = k.Load(adder);
        Assert.Equal("Course.Sums.IAdder", d.Export!.Interface.FullName);
    }

    [Fact]
    public void TwoKernelsShareOneLoadedSetAndLoadingItAgainIsANoOp()
    {
        var (set, compiler) = CountersSet();
        using var k1 = TestDomains.Boot();
        using var k2 = TestDomains.Boot();
        var a = k1.LoadInterfaces(set, TrustedCompiler.Proxies);
        var b = k2.LoadInterfaces(set, TrustedCompiler.Proxies);
        Assert.Same(a, b);
        Assert.Same(a, k1.LoadInterfaces(set, TrustedCompiler.Proxies));
        Assert.Single(k1.InterfaceSets);
        Assert.Contains(set.Name, k2.DomainReferences);
        k2.Load(compiler.CompileText("counter", Counter));
    }

    private static InterfaceImage Resigned(InterfaceImage set, byte[] assembly, MachineKey key, string? options = null) =>
        new(set.Name, assembly, set.Origin, ImageSignature.Sign(set.Name, set.Signature!.SourceHash, assembly, set.Signature.Interfaces, set.Signature.CompilerVersion, options ?? set.Signature.Options, key));

    [Fact]
    public void AnUnsignedAlteredOrForeignSetIsRefusedByName()
    {
        var (set, _) = CountersSet();
        using var k = TestDomains.Boot();
        var unsigned = new InterfaceImage(set.Name + "x", set.Assembly, set.Origin, null);
        Assert.Contains("not signed", Assert.Throws<DomainException>(() => k.LoadInterfaces(unsigned, TrustedCompiler.Proxies)).Message);
        var bytes = (byte[])set.Assembly.Clone();
        bytes[bytes.Length / 2] ^= 1;
        var altered = new InterfaceImage(set.Name, bytes, set.Origin, set.Signature);
        var e = Assert.Throws<DomainException>(() => k.LoadInterfaces(altered, TrustedCompiler.Proxies));
        Assert.Contains($"interface image '{set.Name}' refused", e.Message);
        Assert.Contains("altered", e.Message);
        var foreign = Resigned(set, set.Assembly, MachineKey.CreateEphemeral());
        Assert.Contains("foreign key", Assert.Throws<DomainException>(() => k.LoadInterfaces(foreign, TrustedCompiler.Proxies)).Message);
        var renamed = new InterfaceImage(set.Name + "y", set.Assembly, set.Origin, set.Signature); // bound to its name
        Assert.Contains($"signed as the image of domain '{set.Name}'", Assert.Throws<DomainException>(() => k.LoadInterfaces(renamed, TrustedCompiler.Proxies)).Message);
        Assert.Empty(k.InterfaceSets);
    }

    [Fact]
    public void ADomainImageIsNeitherLoadedAsAnInterfaceSetNorTheOtherWayRound()
    {
        var (set, _) = CountersSet();
        using var k = TestDomains.Boot();
        var dom = TestDomains.DomB;
        var asSet = new InterfaceImage(InterfaceImage.NamePrefix + "domb", dom.Assembly, dom.Origin, dom.Signature);
        Assert.Contains("not signed as an interface set", Assert.Throws<DomainException>(() => k.LoadInterfaces(asSet, TrustedCompiler.Proxies)).Message);
        var asDomain = new DomainImage("set", set.Assembly, set.Origin, null, set.Signature);
        Assert.Contains("signed as an interface set", Assert.Throws<DomainException>(() => k.Load(asDomain)).Message);
    }

    [Fact]
    public void TheLoaderRefusesASetWithCodeEvenWhenItsSignatureIsGood()
    {
        // Built outside the pipeline and signed with the machine key as if it were a set: the inspector decides.
        var (set, _) = CountersSet();
        var withCode = SnippetCompiler.DomainFiles(new[] { ("evil.cs", """
            namespace Course.Evil;
            public static class Payload { public static int Run() => System.Environment.ProcessorCount; }
            """) }, InterfaceImage.NamePrefix + "evil").Pe;
        var image = Resigned(new InterfaceImage(InterfaceImage.NamePrefix + "evil", withCode, "test", set.Signature), withCode, MachineKey.Current);
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.LoadInterfaces(image, TrustedCompiler.Proxies));
        Assert.Contains("Course.Evil.Payload", e.Message);
        Assert.Contains("methods", e.Message);
    }

    [Theory]
    [InlineData("public sealed class Box { public int V; } // <-", "RLIDL005", "belongs in a domain")]
    [InlineData("[DomainInterface] public interface IDefault { RpcResult Ping() { return default; } } // <-", "RLIDL005", "abstract methods")]
    [InlineData("public interface IPlain { RpcResult Ping(); } // <-", "RLIDL005", "without [DomainInterface]")]
    [InlineData("public struct Mutable { public static long Shared; } // <-", "RLIDL005", "fields only")]
    [InlineData("public struct WithMethod { public long V; public long Twice() { return 2 * V; } } // <-", "RLIDL005", "fields only")]
    [InlineData("public struct Initialized { public long V = 5; public Initialized() { } } // <-", "RLIDL005", "fields only")]
    [InlineData("public record struct Point(long X, long Y); // <-", "RLIDL005", "record struct")]
    [InlineData("public static class Helpers { public static long Twice(long v) { return 2 * v; } } // <-", "RLIDL005", "constants only")]
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct Overlay { [System.Runtime.InteropServices.FieldOffset(0)] public long A; } // <-", "RLIDL005", "[DomainInterface] and [InlineArray]")]
    [InlineData("public struct Holder { public string Text; } // <-", "RLIDL005", "string")]
    [InlineData("[DomainInterface] public interface ISay { RpcResult Say(string text); } // <-", "RLIDL001", "string")]
    [InlineData("public delegate void Callback(); // <-", "RLIDL005", "belongs in a domain")]
    [InlineData("[DomainInterface] public interface IFoo { RpcResult A(); } [DomainInterface] public interface Foo { RpcResult B(); } // <-", "RLIDL005", "same name")]
    [InlineData("[DomainInterface] public interface IDefaults { RpcResult A(long x = 5); } // <-", "RLIDL005", "default values")]
    [InlineData("#nullable enable // <-", "RLIDL005", "nullable")]
    [InlineData("public struct Req { public required long V; } // <-", "RLIDL005", "required")]
    [InlineData("public static class Money { public const decimal Price = 1.5m; } // <-", "RLIDL005", "decimal")]
    [InlineData("[DomainInterface] public interface IClash { RpcResult Target(); } // <-", "RLIDL003", "proxy's base class")]
    [InlineData("[DomainInterface] public interface IUnder { RpcResult A(long __result); } // <-", "RLIDL003", "__")]
    public void ASetThatHoldsAnythingButInterfacesAndDataIsRefusedAtItsLine(string declaration, string id, string mentions)
    {
        string source = "using RedLeaf.Abi;\nnamespace Course.Bad;\n\n" + declaration + "\n";
        var e = Assert.Throws<DomainCompileException>(() => TrustedCompiler.Default.CompileInterfacesText(source, "set.cs"));
        var d = e.Diagnostics.FirstOrDefault(x => x.Id == id && x.Message.Contains(mentions));
        Assert.True(d is not null, $"expected {id} mentioning '{mentions}', got:\n{string.Join("\n", e.Diagnostics)}");
        Assert.Equal("set.cs", d!.File);
        Assert.Equal(4, d.Line);
        Assert.Contains("interface set", e.Message);
    }

    [Theory]
    [InlineData("[System.Runtime.CompilerServices.InlineArray(100_000)] public struct Huge { public long E; }", "struct Course.Big.Huge is 800000 bytes")]
    [InlineData("[System.Runtime.CompilerServices.InlineArray(5_000)] public struct Half { public long E; }\n" +
                "[DomainInterface] public interface IPass { RpcResult<Half> Echo(Half a, Half b); }", "Course.Big.IPass.Echo passes 120")]
    [InlineData("[System.Runtime.CompilerServices.InlineArray(int.MaxValue)] public struct Endless { public long E; }", "Course.Big.Endless")]
    public void ASetWhoseValuesWouldNotFitADomainsStackIsRefusedAtLoad(string declarations, string reason)
    {
        var set = TrustedCompiler.Default.CompileInterfacesText("using RedLeaf.Abi;\nnamespace Course.Big;\n" + declarations + "\n");
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.LoadInterfaces(set, TrustedCompiler.Proxies));
        Assert.Contains($"interface image '{set.Name}' refused", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Empty(k.InterfaceSets);
        Assert.Null(InterfaceSets.Find(set.Name));
    }

    [Theory]
    [InlineData("namespace Lab.Counters;", "belongs to the platform or the notebook")]
    [InlineData("namespace System.Counters;", "belongs to the platform or the notebook")]
    [InlineData("", "declare it in a namespace of your own")]
    public void ASetOutsideANamespaceOfItsOwnIsRefused(string ns, string reason)
    {
        var e = Assert.Throws<DomainCompileException>(() => TrustedCompiler.Default.CompileInterfacesText(
            $"using RedLeaf.Abi;\n{ns}\n[DomainInterface] public interface IFake {{ RpcResult Ping(); }}\n"));
        Assert.Contains(e.Diagnostics, d => d.Id == "RLIDL005" && d.Line == 3 && d.Message.Contains(reason));
    }

    /// <summary>Found in review: parameters named like the proxy's own fields (Target, Callee) shadowed them in
    /// the generated proxy, so an integer argument became the callee's control block (the host died) and an
    /// argument object became the target (the caller's code ran as the callee). Proxies now qualify their own
    /// members and escape parameter names; the call must reach the real callee with the argument intact.</summary>
    [Fact]
    public void ParametersNamedLikeTheProxysOwnMembersAreOnlyArguments()
    {
        var set = TrustedCompiler.Default.CompileInterfacesText("""
            using RedLeaf.Abi;
            namespace Course.Shadow;
            [DomainInterface] public interface IEcho { RpcResult<long> Poke(int Callee, long @class); RpcResult<long> Pass(IEcho Target); }
            """);
        var compiler = TrustedCompiler.Default.WithInterfaces(set);
        using var k = TestDomains.Boot();
        k.LoadInterfaces(set, TrustedCompiler.Proxies);
        var echo = k.Load(compiler.CompileText("echo", """
            using RedLeaf.Abi;
            using Course.Shadow;
            public static class Entry { [DomainEntry] public static IEcho Start() { return new E(); } }
            sealed class E : IEcho
            {
                public RpcResult<long> Poke(int Callee, long @class) { return Callee + @class; }
                public RpcResult<long> Pass(IEcho Target) { return 7; }
            }
            """));
        var user = k.Load(compiler.CompileText("user", """
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            using Course.Shadow;
            public static class Entry { [DomainEntry] public static IHostile Start(IEcho echo) { return new U(echo); } }
            sealed class Mine : IEcho
            {
                public RpcResult<long> Poke(int Callee, long @class) { return -1; }
                public RpcResult<long> Pass(IEcho Target) { return -1; }
            }
            sealed class U : IHostile
            {
                private readonly IEcho _echo;
                public U(IEcho echo) { _echo = echo; }
                public RpcResult<long> Run(long a)
                {
                    var poke = _echo.Poke(0x1000, a);
                    var pass = _echo.Pass(new Mine());
                    return poke.IsOk && pass.IsOk ? poke.Value * 10 + pass.Value : -99;
                }
            }
            """), echo.Export!);
        Assert.Equal((0x1000 + 5) * 10 + 7, user.Get<IHostile>().Run(5).Value); // the echo domain ran, with the caller's values
        Assert.Equal(DomainStatus.Running, echo.Status);
    }

    /// <summary>The loader's own check of what was signed: a set built outside the pipeline, signed with the
    /// machine key, whose struct holds a managed reference, is refused at load even though no source rule saw it.</summary>
    [Theory]
    [InlineData("public struct Smuggler { public object O; }\n[DomainInterface] public interface IObj { RpcResult Go(Smuggler s); }", "struct Course.Raw.Smuggler is not exchangeable")]
    [InlineData("public struct Addr { public System.IntPtr P; }", "native-sized")]
    [InlineData("[DomainInterface] public interface IText { RpcResult Say(string s); }", "Course.Raw.IText.Say is not a valid domain interface method")]
    [InlineData("public struct Shared { public static long Counter; }", "static state")]
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct Over { [System.Runtime.InteropServices.FieldOffset(0)] public long A; [System.Runtime.InteropServices.FieldOffset(0)] public double B; }", "explicit")]
    public void TheLoaderRefusesASignedSetThatBreaksTheIdlRules(string declarations, string reason)
    {
        var (set, _) = CountersSet();
        string name = InterfaceImage.NamePrefix + "raw" + Math.Abs(reason.GetHashCode());
        var bytes = SnippetCompiler.DomainFiles(new[] { ("raw.cs", "#nullable disable\nusing RedLeaf.Abi;\nnamespace Course.Raw;\n" + declarations + "\n") }, name).Pe;
        var image = Resigned(new InterfaceImage(name, bytes, "test", set.Signature), bytes, MachineKey.Current);
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.LoadInterfaces(image, TrustedCompiler.Proxies));
        Assert.Contains(reason, e.Message);
        Assert.Null(InterfaceSets.Find(name));
    }

    [Fact]
    public void ASetInTheRedLeafNamespaceIsRefused()
    {
        var e = Assert.Throws<DomainCompileException>(() => TrustedCompiler.Default.CompileInterfacesText(
            "using RedLeaf.Abi;\nnamespace RedLeaf.Abi.Fake;\n[DomainInterface] public interface IFake { RpcResult Ping(); }\n"));
        Assert.Contains(e.Diagnostics, d => d.Id == "RL0003" && d.Line == 3);
    }

    [Fact]
    public void ADomainThatDeclaresAndExportsItsOwnInterfaceIsToldToDeclareItInASet()
    {
        var image = TrustedCompiler.Default.CompileText("selfish", """
            using RedLeaf.Abi;
            namespace Mine;
            [DomainInterface] public interface IMine { RpcResult Ping(); }
            public static class Entry { [DomainEntry] public static IMine Start() { return new M(); } }
            sealed class M : IMine { public RpcResult Ping() { return RpcResult.Ok; } }
            """);
        using var k = TestDomains.Boot();
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Contains("interface set", e.Message);
    }
}
