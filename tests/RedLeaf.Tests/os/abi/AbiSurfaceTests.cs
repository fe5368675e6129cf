// tests/os/abi: pins the public surface of the ABI (os/abi, RedLeaf.Abi), the contract every domain
// compiles against and the IL gate admits, so it changes only on purpose and a change shows in review.
// The listing names every public type (kind, modifiers, base, interfaces, generic constraints) and
// every public or protected member with its full signature (ref kinds, nullability, defaults),
// sorted ordinally; it is read by reflection from the built assembly. On a difference the test writes
// AbiSurface.received.txt beside AbiSurface.approved.txt and fails (tests/Approval.cs).
using System.Reflection;
using System.Text;
using RedLeaf.Abi;
using Xunit;

namespace RedLeaf.Tests.Abi;

[Trait("suite", "architecture")]
public class AbiSurfaceTests
{
    [Fact]
    public void TheAbisPublicSurfaceMatchesTheApprovedListing() =>
        Approval.Verify(PublicSurface.Of(typeof(RRef<>).Assembly), "AbiSurface", "the ABI's public surface (os/abi)");

    [Fact]
    public void TheListingShowsWhatADomainCompilesAgainst()
    {
        // The renderer itself: signatures carry what a caller's code depends on, so an approved listing
        // that lacked them would let a contract change through.
        string listing = PublicSurface.Of(typeof(RRef<>).Assembly);
        Assert.Contains("public readonly struct RedLeaf.Abi.RpcError : System.IEquatable<RedLeaf.Abi.RpcError>", listing);
        Assert.Contains("  public RedLeaf.Abi.RpcErrorKind Kind { get; }", listing);
        Assert.Contains("public enum RedLeaf.Abi.RpcErrorKind : byte", listing);
        Assert.Contains("  CalleeCrashed = 1", listing);
        Assert.DoesNotContain("internal", listing);
        Assert.DoesNotContain("RedLeaf.Abi.Runtime.HeapTable", listing); // internal: the kernel's side of the ABI
        Assert.Equal(listing, PublicSurface.Of(typeof(RRef<>).Assembly)); // deterministic
    }
}
