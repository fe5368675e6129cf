// tests/domains/rv6/fs/disk: the on-disk format layer (domains/rv6/fs/disk) is shared source: the host tools link it,
// and the fs domain will compile it with the trusted compiler. Here it goes through that compiler's
// whole pipeline (compile, instrumentation, IL gate, signing), so a change that reaches for an API a
// domain may not use fails here, not later in rv6.
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using Xunit;

namespace RedLeaf.Tests.Rv6;

[Trait("suite", "rv6")]
public class DiskLayerGateTests
{
    private static string Folder => DomainTree.Folder(Path.Combine("rv6", "fs", "disk"));

    [Fact]
    public void TheSharedDiskLayerPassesTheTrustedCompiler()
    {
        var image = TrustedCompiler.Default.CompileFolder(Folder, "rv6-fs-disk");
        Assert.NotNull(image.Signature);
        Assert.Empty(IlGate.Default.Check(image.Assembly, image.Pdb));
    }

    [Fact]
    public void TheHostToolsCompileTheVerySameFiles()
    {
        var csproj = File.ReadAllText(Path.Combine(DomainTree.Root, "tools", "RedLeaf.Xv6", "RedLeaf.Xv6.csproj"));
        Assert.Contains("<Compile Include=\"../../domains/rv6/fs/disk/*.cs\"", csproj);
        // Every type of the shared folder is in the host assembly, compiled from that source.
        var hostTypes = typeof(RedLeaf.Xv6.Fsck).Assembly.GetTypes().Where(t => t.Namespace == "Domains.Rv6.Fs.Disk").Select(t => t.Name).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.cs"))
            Assert.Contains(Path.GetFileNameWithoutExtension(file), hostTypes);
    }

    [Fact]
    public void AnApiOffTheAllowListInTheSameLayerWouldBeRefused()
    {
        // The check above can fail: the same layer reaching for System.Buffers.Binary (not allowed) is refused.
        var sources = Directory.EnumerateFiles(Folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new DomainSource(f, File.ReadAllText(f)))
            .Append(new DomainSource("Bad.cs", "namespace Domains.Rv6.Fs.Disk; public static class Bad { public static uint U32(System.ReadOnlySpan<byte> b) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b); }"))
            .ToList();
        var e = Assert.Throws<DomainCompileException>(() => TrustedCompiler.Default.Compile("rv6-fs-disk-bad", sources, "test"));
        Assert.Contains(e.Diagnostics, d => d.File == "Bad.cs" && d.Message.Contains("BinaryPrimitives"));
    }
}
