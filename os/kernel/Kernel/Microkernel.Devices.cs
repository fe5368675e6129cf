// os/kernel/Kernel: devices and the capabilities over them. The kernel grants a machine device to one
// driver domain (passed to Load like any grant); each instance of the driver gets a DeviceAccess made
// for it, revoked when it dies. Also here: the restart right a shadow domain is granted, and fault
// injection into a domain (how the recovery benchmark crashes a driver: the driver's own thread
// unwinds at its next check, and the proxy it was called through cleans it up, on that thread).
using RedLeaf.Abi;
using RedLeaf.Abi.Runtime;
using RedLeaf.Hardware.Devices;
using RedLeaf.Os.Devices;
using RedLeaf.Os.Domains;

namespace RedLeaf.Os;

public sealed unsafe partial class Microkernel
{
    private readonly Dictionary<Device, Domain> _deviceHolders = new();

    /// <summary>The device's driver domain, or null if none holds it.</summary>
    public Domain? DriverOf(Device device)
    {
        lock (_gate) return _deviceHolders.GetValueOrDefault(device);
    }

    /// <summary>The right to restart <paramref name="target"/>, to pass to its shadow's Load.</summary>
    public RestartCapability GrantRestart(Domain target)
    {
        Mine(target);
        Log.Add($"restart right for {target.Name} granted");
        PrepareStandby(target); // its shadow will restart it: keep the next instance ready
        return new RestartCapability(new KernelRestart(target));
    }

    /// <summary>Marks the domain faulted, as a failed runtime check would: a thread running in it unwinds
    /// at its next check (the proxy it came through crashes it and returns an error to the caller); if
    /// none is, its next caller gets an error. Returns false if it was not running.</summary>
    public bool InjectFault(Domain domain, string reason = "fault injected by the kernel")
    {
        Mine(domain);
        return HeapAccess.MarkFaulted(domain.Instance.Token.Cell, $"{domain.Name}#{domain.Id}: {reason}");
    }

    // Under _gate.
    private void ClaimDevices(string domain, Device[] devices)
    {
        foreach (var dev in devices)
        {
            if (!Machine.Devices.Contains(dev))
                throw new DomainException($"device {dev.Name} is not attached to this kernel's machine (attach it with machine.Attach before granting it)");
            if (_deviceHolders.TryGetValue(dev, out var holder) && holder.Status is not (DomainStatus.Stopped))
                throw new DomainException($"device {dev.Name} is already granted to domain '{holder.Name}'; a device has one driver");
        }
        if (devices.Distinct().Count() != devices.Length) throw new DomainException($"a device was granted twice to '{domain}'");
    }

    private DeviceAccess[] GrantDevices(Domain d, DomainToken token)
    {
        if (d.Devices.Length == 0) return Array.Empty<DeviceAccess>();
        lock (_gate) foreach (var dev in d.Devices) _deviceHolders[dev] = d;
        return d.Devices.Select(dev => DeviceGrant.Make(dev, Machine.Interrupts, token, _kernel, Machine.Memory.Base)).ToArray();
    }

    private static int RevokeDevices(DomainInstance inst)
    {
        int reclaimed = 0;
        foreach (var a in inst.Devices) reclaimed += DeviceGrant.Revoke(a);
        return reclaimed;
    }
}
