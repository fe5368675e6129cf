// tests/os/compiler/Gate: domains that try to reach raw memory or native code (unsafe code, pointers, Unsafe,
// Marshal, MemoryMarshal, GCHandle, P/Invoke, function pointers, stackalloc, typed references,
// overlapping layouts, access-check bypasses) to forge an RRef or read another domain's memory. Each
// must be refused by the trusted compiler, naming the construct and its line.
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class RawMemoryAttacks
{
    [Fact]
    public void AnUnsafeBlockReadingThroughAPointer() => Refused(Source("""
                unsafe // <-
                {
                    long x = argument;
                    long* p = &x;
                    return p[64]; // read whatever lies beyond x on the stack
                }
        """), "CS0227", "Unsafe code");

    [Fact]
    public void AFixedStatementPinningAnArray() => Refused(Source("""
                var a = new long[4];
                unsafe { fixed (long* p = a) { return p[1000]; } } // <-
        """), "CS0227", "Unsafe code");

    [Fact]
    public void AFixedSizeBuffer() => Refused(Source("        return 0;", types: """
        unsafe struct Overrun // <-
        {
            public fixed long Cells[4];
        }
        """), "CS0227", "Unsafe code");

    [Fact]
    public void UnsafeAsReinterpretsAnObject() => Refused(Source("""
                object o = new long[1];
                var s = System.Runtime.CompilerServices.Unsafe.As<string>(o); // <-
                return s.Length;
        """), GateIds.RawMemory, "Unsafe.As");

    [Fact]
    public void UnsafeAddWalksPastAnArray() => Refused(Source("""
                var a = new long[1];
                return System.Runtime.CompilerServices.Unsafe.Add(ref a[0], 1000); // <-
        """), GateIds.RawMemory, "Unsafe.Add");

    [Fact]
    public void UnsafeReadsARawAddress() => Refused(Source("""
                ulong handle = 0;
                return System.Runtime.CompilerServices.Unsafe.As<ulong, RRef<Payload>>(ref handle).Value.A; // <- forge an RRef from a number
        """), GateIds.RawMemory, "Unsafe.As");

    [Fact]
    public void MarshalAllocatesNativeMemory() => Refused(Source("""
                nint p = System.Runtime.InteropServices.Marshal.AllocHGlobal(64); // <-
                return System.Runtime.InteropServices.Marshal.ReadInt64(p, 1 << 20);
        """), GateIds.RawMemory, "Marshal.AllocHGlobal: Marshal reaches raw native memory");

    [Fact]
    public void MemoryMarshalReinterpretsASpan() => Refused(Source("""
                Span<long> cells = new long[2];
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(cells); // <-
                return bytes.Length;
        """), GateIds.RawMemory, "MemoryMarshal.AsBytes");

    [Fact]
    public void MemoryMarshalCreatesASpanOverAnything() => Refused(Source("""
                long x = 0;
                var wide = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref x, 1 << 20); // <-
                return wide[1000];
        """), GateIds.RawMemory, "MemoryMarshal.CreateSpan");

    [Fact]
    public void GcHandlePinsAndLeaksAnAddress() => Refused(Source("""
                var h = System.Runtime.InteropServices.GCHandle.Alloc(new byte[8], System.Runtime.InteropServices.GCHandleType.Pinned); // <-
                return (long)h.AddrOfPinnedObject();
        """), GateIds.RawMemory, "GCHandle.Alloc");

    [Fact]
    public void CollectionsMarshalReachesInsideADictionary() => Refused(Source("""
                var d = new Dictionary<int, long>();
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(d, 1, out _) = 5; // <-
                return d[1];
        """), GateIds.RawMemory, "CollectionsMarshal.GetValueRefOrAddDefault");

    /// <summary>P/Invoke is refused wherever it is reported (its line: PInvokeDeclarationIsReportedAtItsOwnLine).</summary>
    [Fact]
    public void PInvokeIntoLibc()
    {
        var source = Source("        return getpid();", members: """
                [System.Runtime.InteropServices.DllImport("libc")]
                private static extern int getpid();
            """);
        var found = Diagnostics(source, "PInvokeIntoLibc.cs");
        Assert.Contains(found, d => d.Id == GateIds.NativeCode && d.File == "PInvokeIntoLibc.cs" && d.Message.Contains("declares Attack.getpid as a native function from 'libc'"));
    }




    [Fact]
    public void AFunctionPointer() => Refused(Source("""
                delegate*<long> f = &Seven; // <-
                return f();
        """, members: "    private static long Seven() => 7;"), "CS0214", "Pointers");

    [Fact]
    public void AHugeStackalloc() => Refused(Source("""
                Span<long> s = stackalloc long[1 << 28]; // <- 2 GiB on a thread's stack
                return s[0];
        """), GateIds.Instruction, "stackalloc (IL localloc)");

    [Fact]
    public void ASmallStackallocInASpanInitializer() => Refused(Source("""
                Span<byte> scratch = stackalloc byte[16]; // <-
                scratch[0] = 1;
                return scratch[0];
        """), GateIds.Instruction, "stackalloc");

    [Fact]
    public void TypedReferences() => Refused(Source("""
                long x = argument;
                TypedReference r = __makeref(x); // <-
                return __refvalue(r, long);
        """), GateIds.Instruction, "__makeref (IL mkrefany)");


    [Fact]
    public void SkipLocalsInitToReadStaleStack() => Refused(Source("        return argument;", usings: """
        [module: System.Runtime.CompilerServices.SkipLocalsInit] // <-
        """), "CS0227", "Unsafe code");

    [Fact]
    public void ThePointerInsideNativeMemory() => Refused(Source("""
                var p = System.Runtime.InteropServices.NativeMemory.Alloc(64); // <-
                return 0;
        """), "CS0214", "Pointers");

    /// <summary>Refusals of declarations (no IL of their own) name the declaration's line: the gate maps
    /// metadata definitions back to the compilation's symbols.</summary>
    [Fact]
    public void AnExternMethodWithoutABody() => Refused(Source("        return argument;", members: """
                private static extern long Secret(); // <-
            """), GateIds.NativeCode, "without a body");

    [Fact]
    public void ExplicitLayoutOverlapsAnRRefWithALong() => Refused(Source("""
                var f = new Forge { Handle = (ulong)argument };
                return f.Ref.Value.A;
        """, types: """
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
        struct Forge // <-
        {
            [System.Runtime.InteropServices.FieldOffset(0)] public RRef<Payload> Ref;
            [System.Runtime.InteropServices.FieldOffset(0)] public ulong Handle;
        }
        """), GateIds.UnsafeCode, "explicit field offsets");

    [Fact]
    public void IgnoresAccessChecksToTheAbi() => Refused(Source("        return argument;", usings: """
        [assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("RedLeaf.Abi")]
        """, types: """
        namespace System.Runtime.CompilerServices
        {
            [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
            internal sealed class IgnoresAccessChecksToAttribute : Attribute // <-
            {
                public IgnoresAccessChecksToAttribute(string assemblyName) { }
            }
        }
        """), "RL0003", "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute"); // a type in System: refused before the gate (whose RLGATE015 stays the second wall)

    [Fact]
    public void PInvokeDeclarationIsReportedAtItsOwnLine() => Refused(Source("        return argument;", members: """
                [System.Runtime.InteropServices.DllImport("libc")]
                private static extern int kill(int pid, int signal); // <-

                private static long Unrelated() => 1;
            """), GateIds.NativeCode, "native function from 'libc'");

    [Fact]
    public void UnsafeAccessorCallsTheInternalRRefConstructor() => Refused(Source("""
                return Forge((ulong)argument).Value.A; // <-
        """, members: """
                [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Constructor)]
                private static extern RRef<Payload> Forge(ulong handle);
            """), GateIds.AccessBypass, "UnsafeAccessor");

    /// <summary>The same accessor's attribute is refused where it is written.</summary>
    [Fact]
    public void UnsafeAccessorIsReportedAtTheAttribute() => Refused(Source("""
                return Forge((ulong)argument).Value.A;
        """, members: """
                [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Constructor)] // <-
                private static extern RRef<Payload> Forge(ulong handle);
            """), GateIds.AccessBypass, "UnsafeAccessor");
}
