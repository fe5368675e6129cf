// tests/machine/Devices: the NVMe-like block device on its own: commands through the submission ring, data
// by DMA, completions with phase tags, both block sizes, memory and image-file backing, the timing
// model, and each injected fault.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using Xunit;

namespace RedLeaf.Tests.Devices;

[Trait("suite", "devices")]
public class NvmeDeviceTests
{
    /// <summary>Waits for the completion of command <paramref name="id"/>; returns its status code.</summary>
    private static ushort Complete(HostNvme h, ushort id)
    {
        var (got, code) = Wait(h);
        Assert.Equal(id, got);
        return code;
    }

    private static (ushort Id, ushort Code) Wait(HostNvme h)
    {
        for (int i = 0; i < 1_000_000; i++)
            if (h.Poll() is { } c) return c;
        throw new Xunit.Sdk.XunitException("no completion posted");
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(1024)]
    public void WritesAndReadsBlocksThroughTheQueues(int blockSize)
    {
        using var h = new HostNvme(new MemoryBlockStore(blockSize, 64));
        Assert.Equal((uint)blockSize, h.Device.ReadRegister(NvmeRegisters.BlockSize));
        Assert.Equal(64u, h.Device.ReadRegister(NvmeRegisters.BlockCountLow));
        var src = h.Memory(0x1000, 2 * blockSize);
        for (int i = 0; i < src.Length; i++) src[i] = (byte)(i * 7 + 3);
        ushort w = h.Submit(NvmeSubmission.Write, 10, 2, 0x1000, 2 * blockSize);
        Assert.Equal((w, NvmeCompletion.Success), Wait(h));

        ushort r = h.Submit(NvmeSubmission.Read, 10, 2, 0x20000, 2 * blockSize);
        Assert.Equal((r, NvmeCompletion.Success), Wait(h));
        Assert.True(h.Memory(0x20000, 2 * blockSize).SequenceEqual(src));
        Assert.Equal(1, h.Device.Reads);
        Assert.Equal(1, h.Device.Writes);
    }

    [Fact]
    public void CompletionPhaseFlipsWhenTheRingWraps()
    {
        using var h = new HostNvme(new MemoryBlockStore(4096, 8), entries: 4);
        for (int round = 0; round < 10; round++)
        {
            ushort id = h.Submit(NvmeSubmission.Read, round % 8, 1, 0x1000, 4096);
            Assert.Equal((id, NvmeCompletion.Success), Wait(h));
        }
        // 10 completions on a 4-entry ring: the head wrapped twice (each completion above was found by its
        // phase tag, so the device flipped its tag at each wrap exactly when the driver expected it to).
        Assert.Equal(2, h.Head);
        Assert.Equal(1, h.Phase);
    }

    [Fact]
    public void AnImageFileKeepsItsBlocksAcrossMachines()
    {
        string path = Path.Combine(Path.GetTempPath(), $"redleaf-nvme-{Guid.NewGuid():N}.img");
        try
        {
            using (var h = new HostNvme(new FileBlockStore(path, 1024, 32)))
            {
                h.Memory(0x1000, 1024).Fill(0xAB);
                ushort id = h.Submit(NvmeSubmission.Write, 5, 1, 0x1000, 1024);
                Assert.Equal((id, NvmeCompletion.Success), Wait(h));
            }
            Assert.Equal(32 * 1024, new FileInfo(path).Length);
            using (var h = new HostNvme(FileBlockStore.Open(path, 1024)))
            {
                ushort id = h.Submit(NvmeSubmission.Read, 5, 1, 0x3000, 1024);
                Assert.Equal((id, NvmeCompletion.Success), Wait(h));
                Assert.False(h.Memory(0x3000, 1024).ContainsAnyExcept((byte)0xAB));
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RefusesBlocksOutOfRangeBuffersTooSmallAndAddressesOutsideTheDmaWindow()
    {
        using var h = new HostNvme(new MemoryBlockStore(4096, 8));
        Assert.Equal(NvmeCompletion.LbaOutOfRange, Complete(h, h.Submit(NvmeSubmission.Read, 7, 2, 0x1000, 8192)));
        Assert.Equal(NvmeCompletion.InvalidField, Complete(h, h.Submit(NvmeSubmission.Read, 0, 1, 0x1000, 1024)));
        h.Machine.Dma.Set(0x10000, 0x20000);
        Assert.Equal(NvmeCompletion.DataTransferError, Complete(h, h.Submit(NvmeSubmission.Read, 0, 1, 0x1000, 4096)));
        Assert.Equal(NvmeCompletion.Success, Complete(h, h.Submit(NvmeSubmission.Read, 0, 1, 0x10000, 4096)));
        Assert.Equal(NvmeCompletion.InvalidOpcode, Complete(h, h.Submit(0x55, 0, 1, 0x10000, 4096)));
        Assert.Equal(4, h.Device.Errors);
    }

    [Fact]
    public void InjectedFaultsFailLoseOrRefuseExactlyTheCommandsTheyHit()
    {
        using var h = new HostNvme(new MemoryBlockStore(4096, 8));
        h.Device.Faults.Next(DeviceFault.IoError);
        Assert.Equal(NvmeCompletion.MediaError, Complete(h, h.Submit(NvmeSubmission.Write, 1, 1, 0x1000, 4096)));
        Assert.Equal(0, h.Device.Writes); // a failed command moved no data

        h.Device.Faults.Next(DeviceFault.LostCompletion);
        h.Submit(NvmeSubmission.Write, 2, 1, 0x1000, 4096);
        Assert.Null(h.Poll());
        Assert.Equal(1, h.Device.Writes); // done, never reported
        ushort next = h.Submit(NvmeSubmission.Read, 2, 1, 0x2000, 4096);
        Assert.Equal((next, NvmeCompletion.Success), Wait(h));

        h.Device.Faults.Next(DeviceFault.CorruptDescriptor);
        Assert.Equal(NvmeCompletion.InvalidOpcode, Complete(h, h.Submit(NvmeSubmission.Write, 3, 1, 0x1000, 4096)));
        Assert.Equal(1, h.Device.Writes); // the corrupted command was refused, not obeyed
        Assert.Equal(1, h.Device.Faults.Injected(DeviceFault.CorruptDescriptor));
        Assert.False(h.Device.Faults.Armed);
    }

    [Fact]
    public void TheTimingModelHoldsCompletionsBackUntilTheyAreDue()
    {
        using var h = new HostNvme(new MemoryBlockStore(4096, 8), new NvmeTiming { LatencyMicroseconds = 2000 });
        ulong t0 = Tsc.Read();
        ushort id = h.Submit(NvmeSubmission.Read, 0, 1, 0x1000, 4096);
        Assert.Null(h.Poll());
        Assert.Equal((id, NvmeCompletion.Success), Wait2(h));
        double ms = Tsc.ToSeconds(Tsc.Read() - t0) * 1e3;
        Assert.InRange(ms, 1.9, 500);

        static (ushort, ushort) Wait2(HostNvme h)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 2000)
                if (h.Poll() is { } c) return c;
            throw new Xunit.Sdk.XunitException("no completion within 2 s");
        }
    }

    [Fact]
    public void ResetForgetsQueuedWorkAndTheDriverMustEnableAgain()
    {
        using var h = new HostNvme(new MemoryBlockStore(4096, 8), new NvmeTiming { LatencyMicroseconds = 100_000 });
        h.Submit(NvmeSubmission.Read, 0, 1, 0x1000, 4096);
        h.Device.Reset();
        Assert.False(h.Device.Ready);
        h.Device.WriteRegister(NvmeRegisters.SubmissionTailDoorbell, 3); // ignored while disabled
        Assert.Equal(0u, h.Device.ReadRegister(NvmeRegisters.Status));
        Assert.Equal(1, h.Device.Resets);
    }
}
