// tests/os/kernel/Signing: attacks on domain images from outside the compiler: patch one IL byte of a signed
// image, recompute its fingerprint, re-sign it with a key of one's own, move one image's signature onto
// another image, load an unsigned hand-made image, claim other interface assemblies, or (with the
// machine key) sign an image the gate never saw. The loader must refuse each one with a message naming
// the image and the reason, and load nothing of it.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;
using RedLeaf.Tests.Kernel;
using RedLeaf.Tests.Trusted;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class ImageAttacks
{
    private const string Legit = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() => new Attack(); }
        sealed class Attack : IHostile { public RpcResult<long> Run(long argument) => argument + 41; }
        """;

    private static DomainImage LegitImage => TrustedCompiler.Default.CompileText("image_attack_legit", Legit, "legit.cs");

    private static DomainException Refused(Microkernel k, DomainImage image, string reason)
    {
        int before = k.Domains.Count;
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Equal(before, k.Domains.Count);
        Assert.Contains($"'{image.Name}'", e.Message);
        Assert.Contains(reason, e.Message);
        return e;
    }

    /// <summary>The file offset of the IL of Attack.Run, and its length.</summary>
    private static (int Offset, int Length) RunBody(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var md = pe.GetMetadataReader();
        var run = md.MethodDefinitions.Select(md.GetMethodDefinition)
            .Single(m => md.GetString(m.Name) == "Run" && md.GetString(md.GetTypeDefinition(m.GetDeclaringType()).Name) == "Attack");
        var body = pe.GetMethodBody(run.RelativeVirtualAddress);
        var section = pe.PEHeaders.SectionHeaders.Single(s => run.RelativeVirtualAddress >= s.VirtualAddress && run.RelativeVirtualAddress < s.VirtualAddress + s.VirtualSize);
        int start = run.RelativeVirtualAddress - section.VirtualAddress + section.PointerToRawData;
        int il = body.GetILBytes()!.Length;
        return (start + body.Size - il, il);
    }

    /// <summary>The legit image with `ldc.i4.s 41` in Run patched to 42: one IL byte.</summary>
    private static byte[] Patched(DomainImage legit)
    {
        var bytes = (byte[])legit.Assembly.Clone();
        var (offset, length) = RunBody(bytes);
        int at = Enumerable.Range(offset, length - 1).Single(i => bytes[i] == 0x1F && bytes[i + 1] == 41);
        bytes[at + 1] = 42;
        return bytes;
    }

    [Fact]
    public void TheLegitImageLoadsAndRuns()
    {
        using var k = Boot();
        Assert.Equal(42, k.Load(LegitImage).Get<IHostile>().Run(1).Value);
    }

    [Fact]
    public void OneIlBytePatchedInAMethodBody()
    {
        using var k = Boot();
        var legit = LegitImage;
        Refused(k, new DomainImage(legit.Name, Patched(legit), legit.Origin, legit.Pdb, legit.Signature), "altered");
    }

    [Fact]
    public void APatchedImageWithItsFingerprintRecomputed()
    {
        using var k = Boot();
        var legit = LegitImage;
        var patched = Patched(legit);
        var s = legit.Signature!;
        var fp = Convert.ToHexStringLower(ImageSignature.ComputeFingerprint(s.Domain, s.SourceHash, patched, s.Interfaces, s.CompilerVersion, s.Options));
        Refused(k, new DomainImage(legit.Name, patched, legit.Origin, legit.Pdb, s with { Fingerprint = fp }), "does not verify");
    }

    [Fact]
    public void APatchedImageResignedWithTheAttackersOwnKey()
    {
        using var k = Boot();
        var legit = LegitImage;
        var patched = Patched(legit);
        var s = legit.Signature!;
        var mine = MachineKey.CreateEphemeral();
        var e = Refused(k, new DomainImage(legit.Name, patched, legit.Origin, legit.Pdb,
            ImageSignature.Sign(s.Domain, s.SourceHash, patched, s.Interfaces, s.CompilerVersion, s.Options, mine)), "foreign key");
        Assert.Contains(mine.Id, e.Message);
    }

    [Fact]
    public void APatchedImageClaimingTheMachineKeysIdWithAnotherKey()
    {
        using var k = Boot();
        var legit = LegitImage;
        var patched = Patched(legit);
        var s = legit.Signature!;
        var forged = ImageSignature.Sign(s.Domain, s.SourceHash, patched, s.Interfaces, s.CompilerVersion, s.Options, MachineKey.CreateEphemeral()) with { KeyId = s.KeyId };
        Refused(k, new DomainImage(legit.Name, patched, legit.Origin, legit.Pdb, forged), "does not verify");
    }

    [Fact]
    public void OneImagesSignatureSwappedOntoAnotherImage()
    {
        using var k = Boot();
        var legit = LegitImage;
        var other = TestDomains.DomB;
        Refused(k, new DomainImage(other.Name, other.Assembly, other.Origin, other.Pdb, legit.Signature), "signed as the image of domain 'image_attack_legit'");
    }

    // ---- an image is bound to its name and sources (class 5) -----------------------------------------

    /// <summary>The legit image's file renamed to dom_b, a name the kernel and the tests trust: before names were
    /// signed, the kernel loaded it as dom_b.</summary>
    [Fact]
    public void AnImageRenamedToATrustedDomainsName()
    {
        using var k = Boot();
        var legit = LegitImage;
        var e = Refused(k, new DomainImage(TestDomains.DomB.Name, legit.Assembly, legit.Origin, legit.Pdb, legit.Signature), "not 'dom_b'");
        Assert.Contains("image_attack_legit", e.Message);
        Assert.Equal(42, k.Load(legit).Get<IHostile>().Run(1).Value); // under its own name it still loads
    }

    /// <summary>Two domains' images swapped (each file under the other's name), both signed by the machine key.</summary>
    [Fact]
    public void TwoDomainsImagesSwapped()
    {
        using var k = Boot();
        var legit = LegitImage;
        var b = TestDomains.DomB;
        Refused(k, new DomainImage(b.Name, legit.Assembly, legit.Origin, legit.Pdb, legit.Signature), $"not '{b.Name}'");
        Refused(k, new DomainImage(legit.Name, b.Assembly, b.Origin, b.Pdb, b.Signature), $"not '{legit.Name}'");
        Assert.Equal(3, k.Load(b).Get<RedLeaf.Interfaces.Test.IDomB>().Add(1, 2).Value);
    }

    /// <summary>The renamed image with the name field inside its signature edited to match: the name is part
    /// of the signed fingerprint.</summary>
    [Fact]
    public void AnImageRenamedWithItsSignaturesNameFieldEdited()
    {
        using var k = Boot();
        var legit = LegitImage;
        Refused(k, new DomainImage("dom_b", legit.Assembly, legit.Origin, legit.Pdb, legit.Signature! with { Domain = "dom_b" }), "altered");
    }

    /// <summary>The renamed image re-fingerprinted under the new name (no key): the signature is over the old fingerprint.</summary>
    [Fact]
    public void AnImageRenamedAndReFingerprinted()
    {
        using var k = Boot();
        var legit = LegitImage;
        var s = legit.Signature!;
        var fp = Convert.ToHexStringLower(ImageSignature.ComputeFingerprint("dom_b", s.SourceHash, legit.Assembly, s.Interfaces, s.CompilerVersion, s.Options));
        Refused(k, new DomainImage("dom_b", legit.Assembly, legit.Origin, legit.Pdb, s with { Domain = "dom_b", Fingerprint = fp }), "does not verify");
    }

    private const string Victim = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() { return new Honest(); } }
        sealed class Honest : IHostile { public RpcResult<long> Run(long argument) { return 1; } }
        """;

    /// <summary>Another domain's cache entry copied over the victim's (its name field edited to the victim's): a
    /// compiler that finds it must rebuild the victim from its sources, not run the other domain's code.</summary>
    [Fact]
    public void AnotherDomainsCacheEntryReplayedUnderTheVictimsKey()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-cache-").FullName;
        try
        {
            var cache = new ImageCache(dir);
            TrustedCompiler Fresh() => new(new[] { typeof(IHostile).Assembly }, MachineKey.Current, cache);
            var compiler = Fresh();
            var victimSources = new[] { new DomainSource("victim.cs", Victim) };
            var victim = compiler.Compile("victim", victimSources, "test");
            var attacker = compiler.Compile("attacker", new[] { new DomainSource("attacker.cs", Victim.Replace("return 1;", "return 666;")) }, "test");
            string victimEntry = Path.Combine(dir, compiler.CacheKey("victim", victimSources) + ".json");
            string attackerEntry = Path.Combine(dir, compiler.CacheKey("attacker", new[] { new DomainSource("attacker.cs", Victim.Replace("return 1;", "return 666;")) }) + ".json");
            Assert.True(File.Exists(victimEntry) && File.Exists(attackerEntry), "the cache did not hold both entries");
            File.WriteAllText(victimEntry, File.ReadAllText(attackerEntry).Replace("\"Name\":\"attacker\"", "\"Name\":\"victim\""));

            var again = Fresh().Compile("victim", victimSources, "test");
            Assert.NotEqual(attacker.Sha256, again.Sha256);
            Assert.Equal(victim.Signature!.Fingerprint, again.Signature!.Fingerprint);
            using var k = Boot();
            Assert.Equal(1, k.Load(again).Get<IHostile>().Run(0).Value);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The same replay into the cache a verify run reads: a student's refused homework planted with
    /// an accepted image under its key. `redleaf verify` must still refuse the homework.</summary>
    [Fact]
    public void ARefusedHomeworkPlantedWithAnAcceptedImageInTheCacheVerify()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-verify-cache-").FullName;
        try
        {
            var cacheDir = Path.Combine(dir, "cache");
            var env = new Dictionary<string, string> { [ImageCache.DirectoryVariable] = cacheDir };
            string benign = Path.Combine(dir, "benign.cs"), homework = Path.Combine(dir, "homework.cs");
            File.WriteAllText(benign, Victim);
            var hostile = Source("""
                        Environment.Exit(0); // <-
                        return 0;
                """);
            File.WriteAllText(homework, hostile);
            var first = RedLeaf.Tests.Cli.CliTests.RedleafWith(env, "verify", benign);
            Assert.True(first.Exit == 0, first.Out + first.Err);
            string benignEntry = Path.Combine(cacheDir, TrustedCompiler.Default.CacheKey("benign", new[] { new DomainSource(benign, Victim) }) + ".json");
            Assert.True(File.Exists(benignEntry), "the test computes the CLI's cache key wrongly: " + string.Join(", ", Directory.GetFiles(cacheDir)));
            string plant = Path.Combine(cacheDir, TrustedCompiler.Default.CacheKey("homework", new[] { new DomainSource(homework, hostile) }) + ".json");
            File.WriteAllText(plant, File.ReadAllText(benignEntry).Replace("\"Name\":\"benign\"", "\"Name\":\"homework\""));

            var (exit, stdout, stderr) = RedLeaf.Tests.Cli.CliTests.RedleafWith(env, "verify", homework);
            Assert.True(exit == 1, $"the planted entry was taken for the homework: exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains($"homework.cs({LineOf(hostile)},", stdout);
            Assert.Contains("System.Environment.Exit", stdout);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A domain that reads any address it is given: only an image built outside the pipeline can hold it.</summary>
    private const string PointerAttack = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() => new Attack(); }
        sealed unsafe class Attack : IHostile { public RpcResult<long> Run(long argument) => *(long*)argument; }
        """;

    [Fact]
    public void AnUnsignedHandMadeImageWithAPointer()
    {
        using var k = Boot();
        var image = SnippetCompiler.Hostile(PointerAttack);
        Refused(k, new DomainImage("hand_made", image.Pe, "outside the pipeline", image.Pdb), "not signed");
    }

    [Fact]
    public void AHandMadeImageSignedWithAnotherKey()
    {
        using var k = Boot();
        var image = SnippetCompiler.Hostile(PointerAttack);
        var legit = LegitImage.Signature!;
        var other = MachineKey.CreateEphemeral();
        Refused(k, new DomainImage("hand_made_foreign", image.Pe, "outside the pipeline", image.Pdb,
            ImageSignature.Sign("hand_made_foreign", "", image.Pe, legit.Interfaces, legit.CompilerVersion, legit.Options, other)), "foreign key");
    }

    [Fact]
    public void AnImageClaimingOtherInterfaceAssemblies()
    {
        using var k = Boot();
        var legit = LegitImage;
        var s = legit.Signature!;
        var interfaces = s.Interfaces.ToDictionary(kv => kv.Key, kv => kv.Key == "RedLeaf.Interfaces" ? new string('f', 64) : kv.Value);
        Refused(k, new DomainImage(legit.Name, legit.Assembly, legit.Origin, legit.Pdb,
            ImageSignature.Sign(s.Domain, s.SourceHash, legit.Assembly, interfaces, s.CompilerVersion, s.Options, MachineKey.Current)), "compiled against RedLeaf.Interfaces ffffffffffff");
    }

    [Fact]
    public void AnImageClaimingNoAbiAtAll()
    {
        using var k = Boot();
        var legit = LegitImage;
        var s = legit.Signature!;
        var interfaces = s.Interfaces.Where(kv => kv.Key != "RedLeaf.Abi").ToDictionary(kv => kv.Key, kv => kv.Value);
        Refused(k, new DomainImage(legit.Name, legit.Assembly, legit.Origin, legit.Pdb,
            ImageSignature.Sign(s.Domain, s.SourceHash, legit.Assembly, interfaces, s.CompilerVersion, s.Options, MachineKey.Current)), "RedLeaf.Abi (none)");
    }

    // ---- the loader's own inspection: a second wall behind the signature ------------------------------

    [Fact]
    public void AMachineSignedImageWithPInvokeIsStillRefusedByTheLoader()
    {
        using var k = Boot();
        var image = SnippetCompiler.Hostile("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start() => new Attack(); }
            sealed class Attack : IHostile
            {
                [System.Runtime.InteropServices.DllImport("libc")] private static extern int getpid();
                public RpcResult<long> Run(long argument) => getpid();
            }
            """);
        var signed = TrustedCompiler.Default.SignUnchecked(new DomainImage("pinvoke_signed", image.Pe, "outside the pipeline", image.Pdb));
        Refused(k, signed, "native imports (P/Invoke)");
    }

    [Fact]
    public void AMachineSignedImageReferencingTheKernelIsStillRefusedByTheLoader()
    {
        using var k = Boot();
        var image = SnippetCompiler.Hostile("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;
            public static class Entry { [DomainEntry] public static IHostile Start() => new Attack(); }
            sealed class Attack : IHostile
            {
                public RpcResult<long> Run(long argument) => typeof(RedLeaf.Os.Microkernel) == null ? 0 : 1;
            }
            """, extra: new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(Microkernel).Assembly.Location) });
        var signed = TrustedCompiler.Default.SignUnchecked(new DomainImage("kernel_ref_signed", image.Pe, "outside the pipeline", image.Pdb));
        Refused(k, signed, "outside the domain reference set");
    }

    [Fact]
    public void AMachineSignedBlobThatIsNotAnAssembly()
    {
        using var k = Boot();
        var blob = new byte[4096];
        new Random(3).NextBytes(blob);
        Refused(k, TrustedCompiler.Default.SignUnchecked(new DomainImage("noise", blob, "nowhere")), "not");
    }

    /// <summary>An image built without the instrumentation (for the instrumentation benchmark) is signed
    /// like any other; a kernel should not load it by default, since a kill cannot stop its loops.</summary>
    [Fact]
    public void AnUninstrumentedImageIsNotLoadedByDefault()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-uninstrumented-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Spin.cs"), Source("        while (true) { }"));
            var image = TrustedCompiler.Default.CompileUninstrumentedForMeasurement(dir);
            Assert.Contains("UNINSTRUMENTED", image.Signature!.Options);
            using var k = Boot();
            int before = k.Domains.Count;
            var loaded = Record.Exception(() => k.Load(image));
            Assert.True(loaded is DomainException, $"the kernel loaded an image signed with options '{image.Signature.Options[^40..]}': its loops cannot be stopped by a kill");
            Assert.Equal(before, k.Domains.Count);
        }
        finally { Directory.Delete(dir, true); }
    }
}
