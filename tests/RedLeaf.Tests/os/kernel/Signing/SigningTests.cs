// tests/os/kernel/Signing: signed images. The loader takes only an image whose signature, by a key it trusts,
// covers exactly these bytes, compiled against the interfaces this kernel runs; everything else is
// refused with a message naming the image and the reason, and nothing of it runs.
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Os.Signing;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class SigningTests
{
    private static DomainException Refused(Microkernel k, DomainImage image)
    {
        int before = k.Domains.Count;
        var e = Assert.Throws<DomainException>(() => k.Load(image));
        Assert.Equal(before, k.Domains.Count); // nothing of it was loaded
        Assert.Contains($"'{image.Name}'", e.Message);
        return e;
    }

    [Fact]
    public void AnImageFromThePipelineIsSignedAndVerifiedAtLoadAndTheLogSaysSo()
    {
        using var k = TestDomains.Boot();
        var image = TestDomains.DomB;
        Assert.NotNull(image.Signature);
        Assert.Equal(MachineKey.Current.Id, image.Signature!.KeyId);
        k.Load(image);
        Assert.Contains(k.Log.Entries, e => e.Message.Contains($"verified image dom_b: fingerprint {image.Signature.Fingerprint[..12]}"));
    }

    [Fact]
    public void AnUnsignedImageIsRefused()
    {
        using var k = TestDomains.Boot();
        var signed = TestDomains.DomB;
        var e = Refused(k, new DomainImage(signed.Name, signed.Assembly, signed.Origin));
        Assert.Contains("not signed", e.Message);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void AnImageAlteredAfterSigningIsRefused(double where)
    {
        using var k = TestDomains.Boot();
        var signed = TestDomains.DomB;
        var bytes = (byte[])signed.Assembly.Clone();
        bytes[(int)(bytes.Length * where)] ^= 0x01;
        var e = Refused(k, new DomainImage(signed.Name, bytes, signed.Origin, signed.Pdb, signed.Signature));
        Assert.Contains("altered", e.Message);
    }

    [Fact]
    public void AnImageSignedWithAnotherKeyIsRefusedAsForeign()
    {
        using var k = TestDomains.Boot();
        var signed = TestDomains.DomB;
        var other = MachineKey.CreateEphemeral();
        var sig = ImageSignature.Sign(signed.Name, signed.Signature!.SourceHash, signed.Assembly, signed.Signature!.Interfaces, signed.Signature.CompilerVersion, signed.Signature.Options, other);
        var e = Refused(k, new DomainImage(signed.Name, signed.Assembly, signed.Origin, signed.Pdb, sig));
        Assert.Contains("foreign key", e.Message);
        Assert.Contains(other.Id, e.Message);
    }

    [Fact]
    public void AKernelTrustsTheKeysItIsToldToTrust()
    {
        var other = MachineKey.CreateEphemeral();
        using var k = Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = 16L << 20 }, new KernelOptions { TrustedKeys = new[] { other } });
        var signed = TestDomains.DomB;
        var sig = ImageSignature.Sign(signed.Name, signed.Signature!.SourceHash, signed.Assembly, signed.Signature!.Interfaces, signed.Signature.CompilerVersion, signed.Signature.Options, other);
        var d = k.Load(new DomainImage(signed.Name, signed.Assembly, signed.Origin, signed.Pdb, sig));
        Assert.Equal(3, d.Get<IDomB>().Add(1, 2).Value);
        Assert.Throws<DomainException>(() => k.Load(signed)); // the machine key is not trusted by this kernel
    }

    [Fact]
    public void AnImageCompiledAgainstOtherInterfacesIsRefusedAtLoad()
    {
        using var k = TestDomains.Boot();
        var signed = TestDomains.DomB;
        var interfaces = signed.Signature!.Interfaces.ToDictionary(kv => kv.Key, kv => kv.Key == "RedLeaf.Interfaces" ? new string('0', 64) : kv.Value);
        var sig = ImageSignature.Sign(signed.Name, signed.Signature!.SourceHash, signed.Assembly, interfaces, signed.Signature.CompilerVersion, signed.Signature.Options, MachineKey.Current);
        var e = Refused(k, new DomainImage(signed.Name, signed.Assembly, signed.Origin, signed.Pdb, sig));
        Assert.Contains("compiled against RedLeaf.Interfaces 000000000000", e.Message);
        Assert.Contains("recompile", e.Message);
    }

    [Fact]
    public void ASignatureThatIsNotBase64IsRefused()
    {
        using var k = TestDomains.Boot();
        var signed = TestDomains.DomB;
        var e = Refused(k, new DomainImage(signed.Name, signed.Assembly, signed.Origin, signed.Pdb, signed.Signature! with { Signature = "%%%" }));
        Assert.Contains("base64", e.Message);
    }

    [Fact]
    public void TheSameSourcesCompileOnceAndDifferentSourcesGetDifferentFingerprints()
    {
        const string source = "using RedLeaf.Abi; using RedLeaf.Interfaces.Test; public static class E { [DomainEntry] public static IHostile Start() => new H(); } sealed class H : IHostile { public RpcResult<long> Run(long a) => a + 1; }";
        var a = TrustedCompiler.Default.CompileText("cached", source);
        var b = TrustedCompiler.Default.CompileText("cached", source);
        Assert.Same(a, b);
        var c = TrustedCompiler.Default.CompileText("cached", source.Replace("a + 1", "a + 2"));
        Assert.NotEqual(a.Signature!.Fingerprint, c.Signature!.Fingerprint);
    }

    [Fact]
    public void ATamperedDiskCacheEntryIsRebuiltNotUsed()
    {
        var dir = Directory.CreateTempSubdirectory("redleaf-cache-").FullName;
        try
        {
            var cache = new ImageCache(dir);
            var compiler = new TrustedCompiler(new[] { typeof(IDomB).Assembly }, MachineKey.Current, cache);
            var first = compiler.CompileFolder(DomainTree.Folder("test/dom_b"));
            var entry = Assert.Single(Directory.GetFiles(dir, "*.json"));
            File.WriteAllText(entry, File.ReadAllText(entry).Replace("\"Fingerprint\":\"", "\"Fingerprint\":\"00"));
            var again = new TrustedCompiler(new[] { typeof(IDomB).Assembly }, MachineKey.Current, cache).CompileFolder(DomainTree.Folder("test/dom_b"));
            Assert.Null(again.Signature!.Verify(again.Name, again.Assembly, new[] { MachineKey.Current }));
            Assert.Equal(first.Signature!.Fingerprint, again.Signature.Fingerprint);
            Assert.DoesNotContain("\"Fingerprint\":\"00", File.ReadAllText(entry)); // and the entry was repaired
        }
        finally { Directory.Delete(dir, true); }
    }
}
