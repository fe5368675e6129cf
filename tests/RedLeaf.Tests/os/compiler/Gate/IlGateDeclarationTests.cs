// tests/os/compiler/Gate: the IL gate's refusals of what a domain declares rather than calls: finalizers,
// explicit layouts, skipped local zeroing, unsafe compilation, access-check bypasses, module
// initializers, the kernel's own exceptions and shared runtime state; the generic "not listed"
// refusal; and an image that cannot be read at all.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Trusted.IlGateTests;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class IlGateDeclarationTests
{
    [Fact]
    public void FinalizerIsRefused() => Refused("""
        public sealed class Leaky
        {
            private int _n;
            ~Leaky() { _n++; } // <-
        }
        """, GateIds.Finalizer, "declares a finalizer (Leaky.Finalize)");

    [Fact]
    public void ExplicitLayoutIsRefused() => Refused("""
        using System.Runtime.InteropServices;
        [StructLayout(LayoutKind.Explicit)]
        public struct Union
        {
            [FieldOffset(0)] public long Number;
            [FieldOffset(0)] public object Reference;
            public long Get() => Number; // <-
        }
        """, GateIds.UnsafeCode, "explicit field offsets");

    [Fact]
    public void SkipLocalsInitIsRefused()
    {
        const string source = """
            using System.Runtime.CompilerServices;
            public static class D
            {
                [SkipLocalsInit]
                public static int Garbage(int n)
                {
                    int sum = 0; // <-
                    for (int i = 0; i < n; i++) sum += i * n;
                    return sum;
                }
            }
            """;
        Refused(source, GateIds.UnsafeCode, "D.Garbage skips zeroing its local variables", allowUnsafe: true);
        Refused(source, GateIds.UnsafeCode, "applies the attribute System.Runtime.CompilerServices.SkipLocalsInitAttribute", allowUnsafe: true);
    }

    [Fact]
    public void CompilingWithUnsafeIsRefusedEvenWithoutPointers()
    {
        var found = Check("public static class D { public static int One() => 1; }", allowUnsafe: true);
        Assert.Contains(found, d => d.Id == GateIds.UnsafeCode && d.Message.Contains("compiled with unsafe code allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void IgnoresAccessChecksToIsRefused() => Refused("""
        namespace System.Runtime.CompilerServices
        {
            [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
            public sealed class IgnoresAccessChecksToAttribute : Attribute
            {
                public IgnoresAccessChecksToAttribute(string name) => Name = name; // <-
                public string Name { get; }
            }
        }
        """, GateIds.AccessBypass, "declares System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute");

    [Fact]
    public void StringInternIsSharedState() => Refused("""
        public static class D
        {
            public static string Share(string s) => string.Intern(s); // <-
        }
        """, GateIds.SharedState, "calls System.String.Intern: the intern pool is one table for the whole process");

    [Fact]
    public void ModuleInitializerIsSharedState() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            public static int Runs;
            [ModuleInitializer]
            public static void Early() => Runs++; // <-
        }
        """, GateIds.SharedState, "ModuleInitializerAttribute");

    [Fact]
    public void ForgingTheKernelsExceptionsIsRefused() => Refused("""
        using RedLeaf.Abi;
        public static class D
        {
            public static void Fake() => throw new DomainStoppedException("not really"); // <-
        }
        """, GateIds.SharedState, "creates RedLeaf.Abi.DomainStoppedException");

    [Fact]
    public void NotListedIsRefusedWithTheGenericReason() => Refused("""
        public static class D
        {
            public static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s); // <-
        }
        """, GateIds.NotAllowed, "reads System.Text.Encoding.UTF8: it is not on the allow-list");

    [Fact]
    public void UnreadableImageIsRefused()
    {
        var found = IlGate.Default.Check(new byte[] { 1, 2, 3, 4 }, null);
        Assert.Equal(GateIds.BadImage, Assert.Single(found).Id);
    }
}
