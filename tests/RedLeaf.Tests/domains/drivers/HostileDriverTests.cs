// tests/domains/drivers: a hostile driver. It is granted a real device and tries to reach past its
// capabilities: registers outside the window or misaligned, descriptors outside the ring, the buffer
// field (to read an address or forge one), a slot holding nothing, a buffer after handing it to the
// device. Each attempt faults the driver with a message naming what it did; the host, the kernel and
// the device carry on.
using RedLeaf.Abi;
using RedLeaf.Hardware.Devices;
using RedLeaf.Interfaces.Test;
using RedLeaf.Os.Compiler;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
[Trait("suite", "hostile")]
public class HostileDriverTests
{
    private const string Source = """
        using RedLeaf.Abi;
        using RedLeaf.Interfaces.Test;

        public static class Entry
        {
            [DomainEntry]
            public static IHostile Start(DeviceAccess device) { return new Attack(device); }
        }

        sealed class Attack : IHostile
        {
            private readonly DeviceAccess _d;
            public Attack(DeviceAccess d) { _d = d; }

            public RpcResult<long> Run(long argument)
            {
                var regs = _d.Registers;
                var sq = _d.Ring("sq");
                switch (argument)
                {
                    case 0: return regs.Read32(regs.Size);
                    case 1: return regs.Read32(-4);
                    case 2: regs.Write32(2, 0); return 0;
                    case 3: return (long)sq.Read64(0, 24);
                    case 4: sq.Write64(0, 24, 0x1000); return 0;
                    case 5: return sq.Read8(sq.Count, 0);
                    case 6: sq.Detach(0); return 0;
                    case 7: return sq.Read32(0, 62);
                    case 8:
                        var b = RRefArray<byte>.New(4096);
                        sq.Attach(1, b);
                        b[0] = 1; // the device holds it now
                        return 0;
                    case 9:
                        try { return regs.Read32(1 << 20); }
                        catch (CapabilityViolationException) { return -1; } // catching does not save it
                    default: return regs.Read32(0);
                }
            }
        }
        """;

    [Theory]
    [InlineData(0, "register access at offset 0x2000 is outside the region (0..0x1ffc)")]
    [InlineData(1, "register access at offset 0x-4 is outside the region")]
    [InlineData(2, "register access at offset 0x2 is not 4-byte aligned")]
    [InlineData(3, "offset 24 touches the buffer field (bytes 24..31), which only Attach and Lend write")]
    [InlineData(4, "offset 24 touches the buffer field")]
    [InlineData(5, "slot 64 is outside the ring (0..63)")]
    [InlineData(6, "detach from slot 0, which holds no buffer")]
    [InlineData(7, "4 bytes at offset 62 are outside a 64-byte descriptor")]
    [InlineData(8, "owned by domain 1: use after move")]
    [InlineData(9, "register access at offset 0x100000 is outside the region")]
    public void ADriverCannotReachPastItsCapabilities(long attack, string expected)
    {
        var image = TrustedCompiler.Default.CompileText("hostile_driver", Source, "hostile_driver.cs");
        using var k = DriverKit.Boot();
        var dev = k.Machine.Attach(new NvmeDevice("nvme0", new MemoryBlockStore(4096, 16), 64));
        var d = k.Load(image, dev);
        var hostile = d.Get<IHostile>();
        Assert.True(hostile.Run(-100).IsOk); // a legal register read works

        var r = hostile.Run(attack);
        Assert.Equal(RpcErrorKind.CalleeCrashed, r.Error.Kind);
        Assert.Contains(expected.Replace("0x-4", "0x" + (-4).ToString("x")), d.LastCrash!.Reason);
        Assert.Equal(1, dev.Resets); // the kernel reset the device when its driver died (the driver never did)
        Assert.Equal(0, k.Heap.LiveObjects);

        k.Restart(d); // the kernel and the device carry on
        Assert.True(hostile.Run(-100).IsOk);
    }
}
