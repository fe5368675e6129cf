// kernel-ext/RedLeaf.Notebook/Session: where a notebook starts: `var kernel = Lab.Boot();`. Knows the
// kernel booted last (magic commands such as #!domain act on it) and whether notebooks run in quick
// mode (REDLEAF_QUICK=1: smaller measurements, so tests run every notebook in seconds).
using System.Diagnostics;
using RedLeaf.Hardware;
using RedLeaf.Notebook.Rv6;
using RedLeaf.Os;
using RedLeaf.Systems.Rv6;

namespace RedLeaf.Notebook.Session;

public static class Lab
{
    public const string QuickVariable = "REDLEAF_QUICK";
    private static NotebookKernel? s_current;
    private static Rv6Session? s_rv6;

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

    /// <summary>The rv6 booted last in this process, if it is still the current kernel (#!rv6 cells run on it).</summary>
    public static Rv6Session? CurrentRv6 => s_rv6;

    /// <summary>Boots rv6 (a machine with a disk and a console, the microkernel, rv6's domains) on a fresh
    /// in-memory image, or the image the options name. It becomes the current kernel (see <see cref="Current"/>).</summary>
    public static Rv6Session BootRv6(Rv6Options? options = null)
    {
        bool replacing = s_current is not null;
        Shutdown();
        var system = Rv6System.Boot(options);
        var kernel = new NotebookKernel(system.Kernel, system.BootTime);
        // One machine's heap at a time: an earlier kernel (Lab.Boot, or rv6 booted before) is gone now, and
        // variables holding its proxies fail; say so where the notebook shows the boot.
        if (replacing) system.Kernel.Log.Add("Lab.BootRv6: the kernel booted earlier in this notebook was shut down (its domains killed); proxies from it now return errors");
        s_current = kernel;
        return s_rv6 = new Rv6Session(system, kernel);
    }

    /// <summary>Shuts down the current kernel, if any (its domains are killed, its heap released).</summary>
    public static void Shutdown()
    {
        var rv6 = Interlocked.Exchange(ref s_rv6, null);
        var kernel = Interlocked.Exchange(ref s_current, null);
        if (rv6 is not null) rv6.Dispose();
        else kernel?.Dispose();
    }
}
