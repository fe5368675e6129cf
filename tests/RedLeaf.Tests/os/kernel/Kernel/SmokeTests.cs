// tests/os/kernel/Kernel: the first end-to-end path: boot, load dom_b, call it through its proxy.
using RedLeaf.Abi;
using RedLeaf.Interfaces.Test;
using Xunit;

namespace RedLeaf.Tests.Kernel;

[Trait("suite", "kernel")]
public class SmokeTests
{
    [Fact]
    public void NullCallAndAddGoThroughTheProxy()
    {
        var (k, b, proxy) = TestDomains.WithDomB();
        using (k)
        {
            Assert.True(proxy.Null().IsOk);
            Assert.Equal(5, proxy.Add(2, 3).Value);
        }
    }
}
