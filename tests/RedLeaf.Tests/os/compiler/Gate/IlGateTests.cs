// tests/os/compiler/Gate: the IL gate's refusals. Each test makes one construct appear in IL (compiled with
// Roslyn against the whole base library, with unsafe code allowed where the construct needs it, since
// the gate must refuse what the IL contains however it was produced) and checks the diagnostic ID,
// the source line (marked "// <-" in the snippet) and that the message names the construct.
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class IlGateTests
{
    internal static IReadOnlyList<DomainDiagnostic> Check(string source, bool allowUnsafe = false) =>
        Check(SnippetCompiler.Hostile(source, allowUnsafe));

    internal static IReadOnlyList<DomainDiagnostic> Check(CompiledImage image, IlGate? gate = null) => (gate ?? IlGate.Default).Check(image.Pe, image.Pdb);

    /// <summary>Asserts a refusal with <paramref name="id"/> on the line marked "// &lt;-" whose message mentions <paramref name="mentions"/>.</summary>
    internal static void Refused(string source, string id, string mentions, bool allowUnsafe = false, string marker = "// <-")
    {
        var found = Check(source, allowUnsafe);
        int line = SnippetCompiler.LineOf(source, marker);
        Assert.True(found.Any(d => d.Id == id && d.Line == line && d.File == "hostile.cs" && d.Message.Contains(mentions, StringComparison.Ordinal)),
            $"expected {id} at hostile.cs line {line} mentioning '{mentions}'; the gate said:\n{string.Join("\n", found)}");
    }

    [Fact]
    public void MarshalIsRawMemory() => Refused("""
        using System.Runtime.InteropServices;
        public static class D
        {
            public static nint Grab() => Marshal.AllocHGlobal(64); // <-
        }
        """, GateIds.RawMemory, "calls System.Runtime.InteropServices.Marshal.AllocHGlobal: Marshal reaches raw native memory");

    [Fact]
    public void UnsafeAsIsRawMemory() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            public static string Forge(object o)
            {
                return Unsafe.As<string>(o); // <-
            }
        }
        """, GateIds.RawMemory, "Unsafe.As");

    [Fact]
    public void UnsafeAddIsRawMemory() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            public static int Past(int[] a) => Unsafe.Add(ref a[0], 100); // <-
        }
        """, GateIds.RawMemory, "Unsafe.Add");

    [Fact]
    public void MemoryMarshalIsRawMemory() => Refused("""
        using System.Runtime.InteropServices;
        public static class D
        {
            public static Span<long> Widen(Span<int> s) => MemoryMarshal.Cast<int, long>(s); // <-
        }
        """, GateIds.RawMemory, "MemoryMarshal.Cast");

    [Fact]
    public void GcHandleIsRawMemory() => Refused("""
        using System.Runtime.InteropServices;
        public static class D
        {
            public static nint Pin(byte[] b) => GCHandle.Alloc(b, GCHandleType.Pinned).AddrOfPinnedObject(); // <-
        }
        """, GateIds.RawMemory, "GCHandle");

    [Fact]
    public void CollectionsMarshalBeyondCollectionExpressionsIsRawMemory() => Refused("""
        using System.Runtime.InteropServices;
        public static class D
        {
            public static void Poke(Dictionary<int, int> d) => CollectionsMarshal.GetValueRefOrAddDefault(d, 1, out _) = 5; // <-
        }
        """, GateIds.RawMemory, "CollectionsMarshal.GetValueRefOrAddDefault");

    [Fact]
    public void DllImportIsNativeCode()
    {
        const string source = """
            using System.Runtime.InteropServices;
            public static class D
            {
                [DllImport("libc")] private static extern int getpid();
                public static int Pid() => getpid(); // <-
            }
            """;
        Refused(source, GateIds.NativeCode, "native function from 'libc'");
    }

    [Fact]
    public void ExternMethodWithoutBodyIsNativeCode() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_items")] private static extern ref int[] Items(List<int> l);
            public static int[] Steal(List<int> l) => Items(l); // <-
        }
        """, GateIds.NativeCode, "without a body (extern)");

    [Fact]
    public void UnsafeAccessorAttributeIsAnAccessBypass() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_items")] private static extern ref int[] Items(List<int> l);
            public static int[] Steal(List<int> l) => Items(l); // <-
        }
        """, GateIds.AccessBypass, "UnsafeAccessor");

    [Fact]
    public void InternalCallIsNativeCode() => Refused("""
        using System.Runtime.CompilerServices;
        public static class D
        {
            [MethodImpl(MethodImplOptions.InternalCall)] private static extern void Secret();
            public static void Run() => Secret(); // <-
        }
        """, GateIds.NativeCode, "InternalCall");

    [Fact]
    public void PointerFieldIsRefused() => Refused("""
        public unsafe struct Cell
        {
            public int* Target;
            public int Read() => 0; // <-
        }
        """, GateIds.Pointer, "field Cell.Target has type int*", allowUnsafe: true);

    [Fact]
    public void PointerParameterIsRefused() => Refused("""
        public static unsafe class D
        {
            public static int Read(int* p)
            {
                return *p; // <- signatures point at the method's first line
            }
        }
        """, GateIds.Pointer, "int*", allowUnsafe: true);

    [Fact]
    public void PointerDereferenceInABodyIsRefused() => Refused("""
        public static unsafe class D
        {
            public static int Peek(long address)
            {
                int* p = (int*)address; // <- locals point at the method's first line
                return *p + p[1];
            }
        }
        """, GateIds.Pointer, "int*", allowUnsafe: true);

    [Fact]
    public void FunctionPointerIsRefused() => Refused("""
        public static unsafe class D
        {
            public static int Call(delegate*<int> f) => f(); // <-
        }
        """, GateIds.Pointer, "delegate*", allowUnsafe: true);

    [Fact]
    public void CalliIsAForbiddenInstruction() => Refused("""
        public static unsafe class D
        {
            public static int Call(delegate*<int> f) => f(); // <-
        }
        """, GateIds.Instruction, "calli", allowUnsafe: true);

    [Fact]
    public void StackallocIsLocalloc() => Refused("""
        public static class D
        {
            public static int Sum()
            {
                Span<int> s = stackalloc int[1 << 20]; // <-
                return s[0];
            }
        }
        """, GateIds.Instruction, "stackalloc (IL localloc)");

    [Fact]
    public void TypedReferencesAreForbiddenInstructions()
    {
        const string source = """
            public static class D
            {
                public static int Twist(int x)
                {
                    TypedReference r = __makeref(x); // <-
                    return __refvalue(r, int); // <- refvalue
                }
            }
            """;
        Refused(source, GateIds.Instruction, "__makeref (IL mkrefany)");
        Refused(source, GateIds.Instruction, "__refvalue (IL refanyval)", marker: "// <- refvalue");
    }

    [Fact]
    public void ArglistIsAForbiddenInstruction() => Refused("""
        public static class D
        {
            public static int Count(__arglist)
            {
                return new ArgIterator(__arglist).GetRemainingCount(); // <-
            }
        }
        """, GateIds.Instruction, "__arglist");
}
