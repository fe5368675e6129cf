// kernel-ext/RedLeaf.Notebook/Views: the emulated machine as a notebook shows it: its CPUs, memory
// and clock, and the real host underneath (every cycle count was measured on that host).
using RedLeaf.Hardware;
using RedLeaf.Notebook.Html;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Views;

public sealed class MachineView : IRichView
{
    internal MachineView(Machine machine) => Machine = machine;

    /// <summary>The emulated machine itself (trusted, like hardware).</summary>
    public Machine Machine { get; }
    public int Cpus => Machine.Cpus.Count;
    public long MemoryBytes => Machine.Memory.Size;
    public ClockInfo Clock => Tsc.Info;
    public MachineDescription Host => MachineDescription.Current;
    /// <summary>Devices attached to the machine (block, NIC, timer, console) once they exist; none yet.</summary>
    public IReadOnlyList<string> Devices => Array.Empty<string>();

    public string ToHtml() => Block("machine", "Machine", Facts(
        ("CPUs", Cpus),
        ("physical memory", $"{MemoryBytes >> 20} MiB"),
        ("clock", $"{Clock.Source}, {Clock.Hz / 1e9:F3} GHz, one read costs {Clock.ReadCostCycles:F0} cycles"),
        ("devices", Devices.Count == 0 ? "none" : string.Join(", ", Devices)),
        ("host CPU", $"{Host.Cpu} ({Host.Cores} cores{(Host.ConstantTsc ? ", constant TSC" : "")})"),
        ("host OS", $"{Host.Os}; {Host.Runtime}")));

    public override string ToString() =>
        $"Machine: {Cpus} CPUs, {MemoryBytes >> 20} MiB, clock {Clock.Source} {Clock.Hz / 1e9:F3} GHz (read {Clock.ReadCostCycles:F0} cycles); " +
        $"devices: {(Devices.Count == 0 ? "none" : string.Join(", ", Devices))}; host {Host.Cpu}, {Host.Os}";
}
