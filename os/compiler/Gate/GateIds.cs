// os/compiler/Gate: the diagnostic IDs of the IL gate, one per kind of refusal, so a student
// (and a test) can tell why an image was refused without parsing the message. The same table, with
// examples, opens allowlist.txt and README.md beside this file; keep the three in step.
namespace RedLeaf.Os.Compiler.Gate;

public static class GateIds
{
    /// <summary>Uses a type or member that is not on the allow-list (the default refusal).</summary>
    public const string NotAllowed = "RLGATE001";
    /// <summary>Raw memory: Unsafe, Marshal, MemoryMarshal, NativeMemory, GCHandle, CollectionsMarshal, InteropServices.</summary>
    public const string RawMemory = "RLGATE002";
    /// <summary>Native code: P/Invoke (DllImport, LibraryImport), module references, InternalCall, extern methods.</summary>
    public const string NativeCode = "RLGATE003";
    /// <summary>Pointer or function-pointer types, pinned locals.</summary>
    public const string Pointer = "RLGATE004";
    /// <summary>An IL instruction domains may not contain (calli, localloc, cpblk, initblk, arglist, mkrefany, refanyval, refanytype, jmp, no.).</summary>
    public const string Instruction = "RLGATE005";
    /// <summary>Reflection and dynamic code: System.Reflection, Type members, Activator, dynamic, expression compilation, Emit.</summary>
    public const string Reflection = "RLGATE006";
    /// <summary>Threads, tasks, timers, the thread pool, locks (domains get threads only through DomainThreads).</summary>
    public const string Threads = "RLGATE007";
    /// <summary>Files, directories, streams, sockets and the network, the console.</summary>
    public const string InputOutput = "RLGATE008";
    /// <summary>Environment, processes, AppContext, AppDomain, assembly loading.</summary>
    public const string Environment = "RLGATE009";
    /// <summary>Garbage-collector control.</summary>
    public const string GcControl = "RLGATE010";
    /// <summary>A finalizer (a method overriding Object.Finalize).</summary>
    public const string Finalizer = "RLGATE011";
    /// <summary>A write to, or the address of, a static field of another assembly.</summary>
    public const string SharedStatic = "RLGATE012";
    /// <summary>A reference to an assembly outside the domain reference set (or to another module).</summary>
    public const string Assembly = "RLGATE013";
    /// <summary>Unsafe layout or compilation: explicit struct layout, skipped local zeroing, [module: UnverifiableCode].</summary>
    public const string UnsafeCode = "RLGATE014";
    /// <summary>Access-check bypass: IgnoresAccessChecksTo, or a non-public member of a trusted assembly.</summary>
    public const string AccessBypass = "RLGATE015";
    /// <summary>Compiler-helper misuse: a &lt;PrivateImplementationDetails&gt; helper of unknown shape or called unsafely.</summary>
    public const string CompilerHelper = "RLGATE016";
    /// <summary>State shared with other domains or the kernel (intern pool, shared pools, thread culture, kernel-only exceptions).</summary>
    public const string SharedState = "RLGATE017";
    /// <summary>The image cannot be read (not a .NET assembly, malformed metadata or IL).</summary>
    public const string BadImage = "RLGATE018";
    /// <summary>Too large for the stack: a value type above StackBounds.MaxValueSize or a method frame above StackBounds.MaxFrame.</summary>
    public const string StackSize = "RLGATE019";
    /// <summary>Recursion the stack guard cannot see: a tuple, key-value pair, Lazy or anonymous type over an
    /// element that can be another one (object, an interface, a type parameter), or a base-library wrapper
    /// or comparer that walks a chain of them (UnguardedRecursion.cs).</summary>
    public const string UnguardedRecursion = "RLGATE020";

    /// <summary>Every ID the gate can report (the allow-list may only name these).</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        NotAllowed, RawMemory, NativeCode, Pointer, Instruction, Reflection, Threads, InputOutput, Environment,
        GcControl, Finalizer, SharedStatic, Assembly, UnsafeCode, AccessBypass, CompilerHelper, SharedState, BadImage, StackSize, UnguardedRecursion,
    };
}
