// tests/os/compiler/Gate: domains that try to run code the kernel does not schedule (threads, tasks, the thread
// pool, timers, async continuations, finalizers, module initializers), to block or steer what the
// kernel and other domains share (locks, the GC, the intern pool, the thread's culture, shared pools,
// statics of shared assemblies), or to impersonate the kernel (its stop and fault exceptions, the
// guard's internals). All refused at compile time.
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Compiler.Gate;
using RedLeaf.Os.Signing;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class SharedStateAttacks
{
    [Fact]
    public void ANewThread() => Refused(Source("""
                var t = new System.Threading.Thread(() => { while (true) { } }); // <-
                t.Start();
                return 0;
        """), GateIds.Threads, "creates System.Threading.Thread");

    [Fact]
    public void TaskRun() => Refused(Source("""
                System.Threading.Tasks.Task.Run(() => { while (true) { } }); // <-
                return 0;
        """), GateIds.Threads, "System.Threading.Tasks.Task.Run");

    [Fact]
    public void ThreadPoolQueueUserWorkItem() => Refused(Source("""
                System.Threading.ThreadPool.QueueUserWorkItem(_ => { while (true) { } }); // <-
                return 0;
        """), GateIds.Threads, "System.Threading.ThreadPool.QueueUserWorkItem");

    [Fact]
    public void ATimerThatFiresAfterTheDomainIsGone() => Refused(Source("""
                _timer = new System.Threading.Timer(_ => _ticks++, null, 0, 1); // <-
                return 0;
        """, members: "    private static System.Threading.Timer? _timer; private static long _ticks;"), GateIds.Threads, "creates System.Threading.Timer");

    [Fact]
    public void ALockStatement() => Refused(Source("""
                lock (_gate) // <-
                {
                    return 1;
                }
        """, members: "    private readonly object _gate = new();"), GateIds.Threads, "System.Threading.Monitor.Enter");

    [Fact]
    public void LockingAStringSharedWithTheWholeProcess() => Refused(Source("""
                System.Threading.Monitor.Enter(string.Empty); // <- block everyone who locks the same interned string
                return 0;
        """), GateIds.Threads, "System.Threading.Monitor.Enter");

    [Fact]
    public void AnAsyncMethodContinuesOnTheThreadPool() => Refused(Source("""
                return 0;
        """, members: """
                private static async System.Threading.Tasks.Task<long> Later()
                {
                    await System.Threading.Tasks.Task.Yield(); // <-
                    return 1;
                }
            """), GateIds.Threads, "System.Threading.Tasks.Task.Yield");

    [Theory]
    [InlineData("GC.Collect();", "System.GC.Collect")]
    [InlineData("GC.TryStartNoGCRegion(1 << 20);", "System.GC.TryStartNoGCRegion")]
    [InlineData("GC.AddMemoryPressure(long.MaxValue / 2);", "System.GC.AddMemoryPressure")]
    [InlineData("GC.KeepAlive(this);", "System.GC.KeepAlive")]
    [InlineData("System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;", "System.Runtime.GCSettings.LatencyMode")]
    public void GarbageCollectorControl(string statement, string mentions) => Refused(Source($$"""
                {{statement}} // <-
                return 0;
        """), GateIds.GcControl, mentions);

    [Fact]
    public void AFinalizerRunsAfterTheDomainIsGone() => Refused(Source("        return 0;", members: """
                ~Attack() { while (true) { } } // <-
            """), GateIds.Finalizer, "declares a finalizer");

    [Fact]
    public void AModuleInitializerRunsAtLoadBeforeTheDomainRuns() => Refused(Source("        return 0;", types: """
        static class Early
        {
            [System.Runtime.CompilerServices.ModuleInitializer] // <- the attribute, where it is written
            internal static void Init() { while (true) { } }
        }
        """), GateIds.SharedState, "ModuleInitializerAttribute");

    [Fact]
    public void StringInternTouchesTheProcessWidePool() => Refused(Source("""
                return string.Intern(new string('x', 10)).Length; // <-
        """), GateIds.SharedState, "System.String.Intern");

    [Fact]
    public void ChangingTheThreadsCulture() => Refused(Source("""
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("tr-TR"); // <-
                return 0;
        """), GateIds.SharedState, "CultureInfo");

    [Fact]
    public void ReturningAnArrayToTheSharedArrayPool() => Refused(Source("""
                System.Buffers.ArrayPool<byte>.Shared.Return(new byte[16]); // <- the next renter, maybe another domain, gets our array
                return 0;
        """), GateIds.SharedState, "ArrayPool");


    [Fact]
    public void TakingTheAddressOfAStaticOfTheBaseLibrary() => Refused(Source("""
                ref readonly string empty = ref string.Empty; // <-
                return empty.Length;
        """), GateIds.SharedStatic, "takes the address of System.String.Empty");

    [Fact]
    public void InterlockedOnTheGuardsStopFlag() => Refused(Source("""
                System.Threading.Interlocked.Exchange(ref Guard.StopsPending, 0); // <- switch the kernel's stop check off
                return 0;
        """), "CS0117", "StopsPending");

    [Fact]
    public void ThrowingTheKernelsStopException() => Refused(Source("""
                throw new DomainStoppedException("looks like a kill"); // <-
        """), GateIds.SharedState, "creates RedLeaf.Abi.DomainStoppedException");

    [Fact]
    public void ThrowingTheKernelsOwnershipViolation() => Refused(Source("""
                throw new OwnershipViolationException("blame someone else"); // <-
        """), GateIds.SharedState, "creates RedLeaf.Abi.OwnershipViolationException");

    [Fact]
    public void ForgingAnRpcErrorThatBlamesAnotherDomain() => Refused(Source("""
                return new RpcError(RpcErrorKind.CalleeKilled, 1); // <- "the kernel died"
        """), "CS1729", "'RpcError' does not contain a constructor");

    [Fact]
    public void ConcurrentCollectionsAreOutsideTheReferenceSet() => Refused(Source("""
                var bag = new System.Collections.Concurrent.ConcurrentBag<long>(); // <-
                return bag.Count;
        """), "CS0234", "ConcurrentBag");

    // ---- writable statics of an interface assembly --------------------------------------------------
    // The project's IDL (RedLeaf.Interfaces) declares no static field, and neither does the ABI, so this
    // attack is made against a compiler built with one more interface assembly that has a writable static
    // (the way a notebook could add interfaces): a write would leak state between domains.

    private const string ExtraInterfaces = """
        namespace RedLeaf.Interfaces.Extra
        {
            public static class Registry
            {
                public static long Counter;
            }
        }
        """;

    private static readonly Lazy<TrustedCompiler> WithExtraInterfaces = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = TrustedCompiler.FrameworkReferences.Select(n => tpa.First(p => Path.GetFileNameWithoutExtension(p) == n))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var c = CSharpCompilation.Create("RedLeaf.Interfaces.Extra", new[] { CSharpSyntaxTree.ParseText(ExtraInterfaces) }, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var dir = Directory.CreateTempSubdirectory("redleaf-hostile-extra-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        var path = Path.Combine(dir, "RedLeaf.Interfaces.Extra.dll");
        var emitted = c.Emit(path);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var extra = Assembly.LoadFrom(path);
        return new TrustedCompiler(new[] { typeof(RedLeaf.Interfaces.Test.IHostile).Assembly, extra }, MachineKey.CreateEphemeral(), disk: null);
    });

    [Fact]
    public void WritingAStaticOfAnInterfaceAssembly() => Refused(Source("""
                RedLeaf.Interfaces.Extra.Registry.Counter = argument; // <-
                return 0;
        """), GateIds.SharedStatic, "writes RedLeaf.Interfaces.Extra.Registry.Counter", compiler: WithExtraInterfaces.Value);

    [Fact]
    public void InterlockedOnAStaticOfAnInterfaceAssembly() => Refused(Source("""
                return System.Threading.Interlocked.Increment(ref RedLeaf.Interfaces.Extra.Registry.Counter); // <-
        """), GateIds.SharedStatic, "takes the address of RedLeaf.Interfaces.Extra.Registry.Counter", compiler: WithExtraInterfaces.Value);

    [Fact]
    public void ThreadStaticStateOutlivesTheCall() => Refused(Source("        return _perThread++;", members: """
                [ThreadStatic] private static long _perThread; // <-
            """), GateIds.NotAllowed, "System.ThreadStaticAttribute");
}
