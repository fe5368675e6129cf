// kernel-ext/RedLeaf.Notebook/Session: where a notebook starts: `var kernel = Lab.Boot();`. Knows the
// kernel booted last (magic commands such as #!domain act on it) and whether notebooks run in quick
// mode (REDLEAF_QUICK=1: smaller measurements, so tests run every notebook in seconds).
using System.Diagnostics;
using RedLeaf.Hardware;
using RedLeaf.Os;

namespace RedLeaf.Notebook.Session;

public static class Lab
{
    public const string QuickVariable = "REDLEAF_QUICK";
    private static NotebookKernel? s_current;

    /// <summary>True when REDLEAF_QUICK is set to 1 or true: notebooks shrink their measurements.</summary>
    public static bool Quick => Environment.GetEnvironmentVariable(QuickVariable) is "1" or "true" or "yes";

    /// <summary>The kernel booted last in this process (disposed kernels are forgotten).</summary>
    public static NotebookKernel? Current => s_current;

    /// <summary>Boots a machine and the microkernel on it. A kernel booted earlier by this process is shut
    /// down first (one machine's heap at a time).</summary>
    public static NotebookKernel Boot(MachineConfig? machine = null, KernelOptions? options = null)
    {
        Shutdown();
        var sw = Stopwatch.StartNew();
        var core = Microkernel.Boot(machine, options);
        return s_current = new NotebookKernel(core, sw.Elapsed);
    }

    /// <summary>Shuts down the current kernel, if any (its domains are killed, its heap released).</summary>
    public static void Shutdown() => Interlocked.Exchange(ref s_current, null)?.Dispose();
}
