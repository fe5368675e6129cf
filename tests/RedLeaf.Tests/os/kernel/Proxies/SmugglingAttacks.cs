// tests/os/kernel/Proxies: domains that try to smuggle a managed object (a reference into their private heap,
// which would root their code and let two domains share mutable state) across a domain boundary: by
// declaring their own [DomainInterface] that carries one (refused by the IDL compiler, RLIDL00x), or at
// run time by putting their own types into the shared heap or by letting their own exception type
// escape a call (the kernel must not keep it, or the domain's code could never be collected).
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using Xunit;
using static RedLeaf.Tests.Hostile.HostileKit;

namespace RedLeaf.Tests.Hostile;

[Trait("suite", "hostile")]
public class SmugglingAttacks
{
    [Fact]
    public void AListThroughADomainInterface() => Refused(Source("        return 0;", types: """
        [DomainInterface]
        public interface ISmuggle
        {
            RpcResult<long> Give(List<long> items); // <-
        }
        """), "RLIDL001", "List<long> is not exchangeable");

    [Fact]
    public void AStringResultThroughADomainInterface() => Refused(Source("        return 0;", types: """
        [DomainInterface]
        public interface ISmuggle
        {
            RpcResult<string> Name(); // <-
        }
        """), "RLIDL001", "string is not exchangeable");

    [Fact]
    public void AnObjectHiddenInAStructInAnRRef() => Refused(Source("        return 0;", types: """
        public struct Holder { public object Hidden; }

        [DomainInterface]
        public interface ISmuggle
        {
            RpcResult<long> Give(RRef<Holder> h); // <-
        }
        """), "RLIDL001", "field Hidden of type object");

    [Fact]
    public void ADelegateThroughADomainInterface() => Refused(Source("        return 0;", types: """
        [DomainInterface]
        public interface ISmuggle
        {
            RpcResult<long> Callback(Func<long> f); // <-
        }
        """), "RLIDL001", "is not exchangeable");

    [Fact]
    public void AMethodThatDoesNotReturnRpcResult() => Refused(Source("        return 0;", types: """
        [DomainInterface]
        public interface ISmuggle
        {
            long Give(long x); // <-
        }
        """), "RLIDL002", "returns long");

    [Fact]
    public void ARefParameterSharesTheCallersMemory() => Refused(Source("        return 0;", types: """
        [DomainInterface]
        public interface ISmuggle
        {
            RpcResult<long> Poke(ref long x); // <-
        }
        """), "RLIDL004", "passed by 'ref'");

    /// <summary>The domain's own struct in the shared heap would root the domain's code in the kernel's
    /// type registry: refused when allocated, the domain crashes and is still collected.</summary>
    [Fact]
    public async Task AnRRefOfTheDomainsOwnStruct()
    {
        var image = Accepted(Source("""
                    var r = RRef<Mine>.New(new Mine { X = argument });
                    return r.Value.X;
            """, types: "struct Mine { public long X; }"));
        await CrashesContained(image, 1, "declared in a domain");
    }

    /// <summary>The domain's own exception type escapes the call: the caller gets an RpcError, and the
    /// kernel must not keep the exception object (it would root the domain's code).</summary>
    [Fact]
    public async Task TheDomainsOwnExceptionEscapingACall()
    {
        var image = Accepted(Source("""
                    throw new Boom(new byte[1 << 20]);
            """, types: """
            sealed class Boom : Exception
            {
                public readonly byte[] Ballast;
                public Boom(byte[] ballast) : base("boom") => Ballast = ballast;
                public override string Message => "a domain-defined exception";
            }
            """));
        await CrashesContained(image, 0, "a domain-defined exception");
    }

    /// <summary>A domain object handed out as a [DomainInterface] crosses by proxy, never by reference:
    /// once the domain is killed, the caller's proxy says NotRunning and the domain is still collected.</summary>
    [Fact]
    public async Task ADomainObjectHandedOutByInterfaceDoesNotRootTheDomain()
    {
        var image = Accepted("""
            using RedLeaf.Abi;
            using RedLeaf.Interfaces.Test;

            public static class Entry
            {
                [DomainEntry]
                public static IDomB Start() => new Giver();
            }

            sealed class Counter : ICounter
            {
                private readonly byte[] _ballast = new byte[1 << 16];
                private long _n;
                public RpcResult<long> Next() => ++_n;
            }

            sealed class Giver : IDomB
            {
                public RpcResult Null() => RpcResult.Ok;
                public RpcResult<long> Add(long a, long b) => a + b;
                public RpcResult<long> Keep(RRef<Payload> p) { p.Drop(); return 0; }
                public RpcResult<RRef<Payload>> Produce(long a, long b) => RRef<Payload>.New(new Payload(a, b));
                public RpcResult<long> Inspect(in RRef<Payload> p) => p.Value.A;
                public RpcResult WriteBorrowed(in RRef<Payload> p) => RpcResult.Ok;
                public RpcResult<long> KeepPair(RRef<Pair> pair) { pair.Drop(); return 0; }
                public RpcResult<long> DropKept() => 0;
                public RpcResult<RRefDeque<RRef<Payload>>> Bump(RRefDeque<RRef<Payload>> batch) => batch;
                public RpcResult<long> KeepBatch(RRefDeque<RRef<Payload>> batch) { batch.Drop(); return 0; }
                public RpcResult<RRefDeque<RRef<Pair>>> SwapPairs(RRefDeque<RRef<Pair>> batch) => batch;
                public RpcResult Crash() => throw new InvalidOperationException("crash");
                public RpcResult CrashHolding(RRef<Pair> pair) => throw new InvalidOperationException("crash");
                public RpcResult<long> Calls() => 0;
                public RpcResult<ICounter> NewCounter(long start) => RpcResult.From<ICounter>(new Counter());
                public RpcResult<long> Drive(ICounter counter, long n) => 0;
            }
            """);
        using var k = Boot();
        var d = k.Load(image);
        long live = k.Heap.LiveObjects;
        var counter = d.Get<IDomB>().NewCounter(0).Value;
        Assert.Equal(1, counter.Next().Value);
        k.Kill(d, "killed by the hostile suite");
        Assert.Equal(RpcErrorKind.NotRunning, counter.Next().Error.Kind);
        await AssertContained(k, d, live, "killed by the hostile suite");
        GC.KeepAlive(counter); // the host still holds the proxy, and the domain is collected anyway
    }
}
