// tests/domains/drivers: driver domains compiled once per process, and a kernel booted with a machine that
// has the devices they drive.
using RedLeaf.Hardware;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os;
using RedLeaf.Os.Compiler;
using RedLeaf.Os.Domains;

namespace RedLeaf.Tests.Devices;

internal static class DriverKit
{
    public static DomainImage NullNet => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("drivers/nullnet"));
    public static DomainImage Nic => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("drivers/nic"));
    public static DomainImage Blk => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("drivers/blk"));
    public static DomainImage Timer => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("drivers/timer"));
    public static DomainImage BlkShadow => TrustedCompiler.Default.CompileFolder(DomainTree.Folder("shadow/blk"));

    public static Microkernel Boot(bool confirmCollection = true) =>
        Microkernel.Boot(new MachineConfig { Cpus = 1, MemoryBytes = 64L << 20 }, new KernelOptions { ConfirmCollection = confirmCollection });

    public static (Microkernel Kernel, NvmeDevice Device, Domain Driver) WithBlk(int blockSize = 4096, long blocks = 256, NvmeTiming? timing = null)
    {
        var k = Boot();
        var dev = k.Machine.Attach(new NvmeDevice("nvme0", new MemoryBlockStore(blockSize, blocks), 64, timing));
        return (k, dev, k.Load(Blk, dev));
    }

    public static (Microkernel Kernel, IxgbeDevice Device, Domain Driver) WithNic(TrafficGenerator wire, int entries = 64)
    {
        var k = Boot();
        var dev = k.Machine.Attach(new IxgbeDevice("nic0", wire, entries));
        return (k, dev, k.Load(Nic, dev));
    }
}
