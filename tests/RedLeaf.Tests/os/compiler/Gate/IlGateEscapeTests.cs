// tests/os/compiler/Gate: refusals of the ways out of a domain that need no unsafe code at all: reflection and
// dynamic code, threads and locks, files, console and sockets, the process and its environment, GC
// control, shared statics, assemblies outside the reference set, and the ABI's internals (reached by
// compiling against a fake ABI in which they are public, as a hand-made image could).
using Microsoft.CodeAnalysis;
using RedLeaf.Os.Compiler.Gate;
using Xunit;
using static RedLeaf.Tests.Trusted.IlGateTests;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class IlGateEscapeTests
{
    [Theory]
    [InlineData("typeof(string).GetMethod(\"Trim\", Type.EmptyTypes)!.Invoke(\"x\", null)", "System.Type.GetMethod")]
    [InlineData("new object().GetType().GetField(\"x\")", "calls System.Object.GetType: GetType opens reflection")]
    [InlineData("Activator.CreateInstance(typeof(List<int>))", "System.Activator.CreateInstance")]
    [InlineData("Type.GetType(\"RedLeaf.Os.Microkernel, RedLeaf.Os\")", "System.Type.GetType")]
    [InlineData("typeof(Math).GetMethod(\"Abs\", new[] { typeof(int) })!.Invoke(null, new object[] { -1 })", "System.Reflection.MethodBase.Invoke")]
    [InlineData("Delegate.CreateDelegate(typeof(Func<int>), typeof(Environment).GetProperty(\"ProcessId\")!.GetMethod!)", "System.Delegate.CreateDelegate")]
    [InlineData("((Func<int>)(() => 1)).DynamicInvoke()", "System.Delegate.DynamicInvoke")]
    [InlineData("((System.Linq.Expressions.Expression<Func<int>>)(() => 42)).Compile()", "System.Linq.Expressions")]
    public void ReflectionAndDynamicCodeAreRefused(string expression, string mentions) => Refused($$"""
        public static class D
        {
            public static object? Run() => {{expression}}; // <-
        }
        """, GateIds.Reflection, mentions);

    [Fact]
    public void DynamicIsRefused() => Refused("""
        public static class D
        {
            public static object Twice(dynamic x) => x + x; // <-
        }
        """, GateIds.Reflection, "dynamic binds at run time");

    [Theory]
    [InlineData("new System.Threading.Thread(() => { }).Start()", "creates System.Threading.Thread")]
    [InlineData("System.Threading.Tasks.Task.Run(() => { })", "System.Threading.Tasks.Task.Run")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { })", "System.Threading.ThreadPool.QueueUserWorkItem")]
    [InlineData("new System.Threading.Timer(_ => { }, null, 0, 1)", "creates System.Threading.Timer")]
    [InlineData("System.Threading.Monitor.Enter(new object())", "System.Threading.Monitor.Enter")]
    public void ThreadsTasksTimersAndLocksAreRefused(string statement, string mentions) => Refused($$"""
        public static class D
        {
            public static void Run()
            {
                {{statement}}; // <-
            }
        }
        """, GateIds.Threads, mentions);

    [Fact]
    public void LockStatementIsRefused() => Refused("""
        public sealed class D
        {
            private readonly object _gate = new();
            private int _n;
            public void Bump()
            {
                lock (_gate) { _n++; } // <-
            }
        }
        """, GateIds.Threads, "Monitor");

    [Fact]
    public void AsyncMethodsAreRefused() => Refused("""
        using System.Threading.Tasks;
        public static class D
        {
            public static async Task<int> Later()
            {
                await Task.Yield(); // <-
                return 1;
            }
        }
        """, GateIds.Threads, "System.Threading.Tasks");

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\")", "System.IO.File.ReadAllText")]
    [InlineData("System.IO.Directory.GetFiles(\"/\")", "System.IO.Directory.GetFiles")]
    [InlineData("new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)", "creates System.Net.Sockets.Socket")]
    [InlineData("System.Console.ReadLine()", "System.Console.ReadLine")]
    public void FilesSocketsAndConsoleAreRefused(string expression, string mentions) => Refused($$"""
        public static class D
        {
            public static object? Run() => {{expression}}; // <-
        }
        """, GateIds.InputOutput, mentions);

    [Fact]
    public void ConsoleRedirectionIsRefused() => Refused("""
        public static class D
        {
            public static void Hush() => System.Console.SetOut(System.IO.TextWriter.Null); // <-
        }
        """, GateIds.InputOutput, "System.Console.SetOut");

    [Theory]
    [InlineData("System.Environment.Exit(1)", "System.Environment.Exit")]
    [InlineData("System.Environment.FailFast(\"bye\")", "System.Environment.FailFast")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\")", "System.Diagnostics.Process.Start")]
    [InlineData("System.AppContext.SetData(\"x\", 1)", "System.AppContext.SetData")]
    [InlineData("System.AppDomain.CurrentDomain.GetAssemblies()", "System.AppDomain.CurrentDomain")]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/x.dll\")", "System.Runtime.Loader.AssemblyLoadContext")]
    public void EnvironmentProcessAndLoadingAreRefused(string statement, string mentions) => Refused($$"""
        public static class D
        {
            public static void Run()
            {
                {{statement}}; // <-
            }
        }
        """, GateIds.Environment, mentions);

    [Theory]
    [InlineData("System.GC.Collect()", "System.GC.Collect")]
    [InlineData("System.GC.SuppressFinalize(new object())", "System.GC.SuppressFinalize")]
    [InlineData("System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch", "System.Runtime.GCSettings.LatencyMode")]
    public void GcControlIsRefused(string statement, string mentions) => Refused($$"""
        public static class D
        {
            public static void Run()
            {
                {{statement}}; // <-
            }
        }
        """, GateIds.GcControl, mentions);

    private const string SharedStatics = """
        namespace RedLeaf.Interfaces.Extra
        {
            public static class Registry
            {
                public static int Counter;
                public static readonly int[] Table = new int[4];
            }
        }
        """;

    [Fact]
    public void WritingAStaticOfAnInterfaceAssemblyIsRefused()
    {
        var extra = SnippetCompiler.Library("RedLeaf.Interfaces.Extra", SharedStatics);
        const string source = """
            using RedLeaf.Interfaces.Extra;
            public static class D
            {
                public static int Read() => Registry.Counter + Registry.Table.Length;
                public static void Write() => Registry.Counter = 5; // <- write
                public static void Bump() => System.Threading.Interlocked.Increment(ref Registry.Counter); // <- address
            }
            """;
        var image = SnippetCompiler.WithReferences(source, new[] { extra, MetadataReference.CreateFromFile(typeof(RedLeaf.Abi.RRef<>).Assembly.Location) }, "hostile.cs");
        var gate = new IlGate(AllowList.Embedded.WithInterfaceAssemblies("RedLeaf.Interfaces.Extra"));
        var found = Check(image, gate);
        Assert.Contains(found, d => d.Id == GateIds.SharedStatic && d.Line == SnippetCompiler.LineOf(source, "// <- write") && d.Message.StartsWith("writes RedLeaf.Interfaces.Extra.Registry.Counter"));
        Assert.Contains(found, d => d.Id == GateIds.SharedStatic && d.Line == SnippetCompiler.LineOf(source, "// <- address") && d.Message.StartsWith("takes the address of RedLeaf.Interfaces.Extra.Registry.Counter"));
        Assert.DoesNotContain(found, d => d.Line == SnippetCompiler.LineOf(source, "Read()")); // reading is fine
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public void AnAssemblyOutsideTheReferenceSetIsRefused() => Refused("""
        public static class D
        {
            public static object Make() => new System.Collections.Concurrent.ConcurrentDictionary<int, int>(); // <-
        }
        """, GateIds.Assembly, "System.Collections.Concurrent, which is outside the domain reference set");

    private const string FakeAbi = """
        namespace RedLeaf.Abi
        {
            public readonly struct RRef<T> where T : unmanaged
            {
                public readonly ulong Handle;
                public RRef(ulong handle) => Handle = handle;
            }
        }
        namespace RedLeaf.Abi.Runtime
        {
            public static class HeapAccess { public static void Drop(ulong handle) { } }
        }
        """;

    [Fact]
    public void ForgingAnRRefThroughTheAbisInternalsIsRefused()
    {
        var fake = SnippetCompiler.Library("RedLeaf.Abi", FakeAbi);
        const string source = """
            using RedLeaf.Abi;
            public static class D
            {
                public static RRef<long> Forge(ulong guess) => new RRef<long>(guess); // <- forge
                public static void Free(ulong guess) => RedLeaf.Abi.Runtime.HeapAccess.Drop(guess); // <- drop
            }
            """;
        var found = Check(SnippetCompiler.WithReferences(source, new[] { fake }, "hostile.cs"));
        Assert.Contains(found, d => d.Id == GateIds.AccessBypass && d.Line == SnippetCompiler.LineOf(source, "// <- forge") && d.Message.Contains("not public in RedLeaf.Abi"));
        Assert.Contains(found, d => d.Id == GateIds.AccessBypass && d.Line == SnippetCompiler.LineOf(source, "// <- drop") && d.Message.Contains("HeapAccess"));
    }
}
