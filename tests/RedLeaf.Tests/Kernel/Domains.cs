// tests/Kernel: shared helpers for the kernel suite: compiled test domains (cached per process) and
// a booted kernel with dom_b, or dom_a calling dom_b, loaded.
using RedLeaf.Interfaces.Test;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Tests.Kernel;

internal static class TestDomains
{
    public static DomainImage DomA => DomainCompiler.Default.CompileFolder(DomainTree.Folder("test/dom_a"));
    public static DomainImage DomB => DomainCompiler.Default.CompileFolder(DomainTree.Folder("test/dom_b"));
    public static DomainImage NullDomain => DomainCompiler.Default.CompileFolder(DomainTree.Folder("bench/null_domain"));

    public static Microkernel Boot() => Microkernel.Boot(new RedLeaf.Hardware.MachineConfig { MemoryBytes = 64L << 20 });

    /// <summary>A kernel with dom_b loaded; returns its export proxy.</summary>
    public static (Microkernel Kernel, Domain B, IDomB Proxy) WithDomB()
    {
        var k = Boot();
        var b = k.Load(DomB);
        return (k, b, b.Get<IDomB>());
    }

    /// <summary>A kernel with dom_b and dom_a (granted dom_b's proxy).</summary>
    public static (Microkernel Kernel, Domain A, Domain B) WithDomAandB()
    {
        var k = Boot();
        var b = k.Load(DomB);
        var a = k.Load(DomA, b.Export!);
        return (k, a, b);
    }
}
