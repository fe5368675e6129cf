// tests/os/compiler: the stack guard holds for every shape of unbounded recursion, including the ones the
// compiler's call-graph analysis must see through: mutual recursion, property getters, local
// functions, lambdas through delegates, virtual and interface calls, recursion through LINQ. Each
// becomes a crash of the domain that names the stack limit; the process and the kernel carry on.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;
using RedLeaf.Tests.Kernel;
using Xunit;

namespace RedLeaf.Tests.Trusted;

[Trait("suite", "trusted")]
public class RecursionTests
{
    private const string Prelude = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;
        public static class Entry { [DomainEntry] public static IHostile Start() => new R(); }
        """;

    public static IEnumerable<object[]> Shapes() => new[]
    {
        new object[] { "mutual", "sealed class R : IHostile { public RpcResult<long> Run(long a) => A(a); long A(long n) => B(n + 1) + 1; long B(long n) => A(n + 1) + 1; }" },
        new object[] { "property", "sealed class R : IHostile { long n; long P => P + ++n; public RpcResult<long> Run(long a) => P; }" },
        new object[] { "local_function", "sealed class R : IHostile { public RpcResult<long> Run(long a) { long F(long x) => F(x + 1) + 1; return F(a); } }" },
        new object[] { "lambda", "sealed class R : IHostile { public RpcResult<long> Run(long a) { Func<long, long>? f = null; f = x => f!(x + 1) + 1; return f(a); } }" },
        new object[] { "virtual", "class Base { public virtual long V(long n) => n; } sealed class D : Base { public override long V(long n) => base.V(n) + V(n + 1); } sealed class R : IHostile { public RpcResult<long> Run(long a) => new D().V(a); }" },
        new object[] { "linq", "sealed class R : IHostile { long Deep(long n) => new[] { n }.Select(x => Deep(x + 1)).Sum(); public RpcResult<long> Run(long a) => Deep(a); }" },
        new object[] { "through_constructor", "sealed class N { public N? Next; public N(long d) { Next = new N(d + 1); } } sealed class R : IHostile { public RpcResult<long> Run(long a) => new N(a).Next is null ? 0 : 1; }" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task UnboundedRecursionIsACrashOfTheDomain(string shape, string body)
    {
        var image = TrustedCompiler.Default.CompileText("recursion_" + shape, Prelude + body);
        using var k = TestDomains.Boot();
        var d = k.Load(image);
        RpcResult<long> result = default;
        var t = new Thread(() => result = d.Get<IHostile>().Run(1), 4 * 1024 * 1024);
        t.Start();
        Assert.True(t.Join(TimeSpan.FromSeconds(60)), "the recursion was not stopped");
        Assert.Equal(RpcErrorKind.CalleeCrashed, result.Error.Kind);
        Assert.Contains("stack depth limit", d.LastCrash!.Reason);
        var collected = await d.LastCrash.Collection.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(collected.Collected);
        Assert.Equal(3, k.Load(TestDomains.DomB).Get<IDomB>().Add(1, 2).Value);
    }

    [Fact]
    public void BoundedRecursionStillWorks()
    {
        var image = TrustedCompiler.Default.CompileText("fib", Prelude + "sealed class R : IHostile { static long Fib(long n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); public RpcResult<long> Run(long a) => Fib(a); }");
        using var k = TestDomains.Boot();
        Assert.Equal(6765, k.Load(image).Get<IHostile>().Run(20).Value);
    }
}
