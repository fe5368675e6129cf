// kernel-ext/RedLeaf.Notebook/Rv6: rv6 in a notebook: `var rv6 = Lab.BootRv6();` then `rv6.Run("ls")`
// (or a `#!rv6` cell, one command line per line). The microkernel underneath is an ordinary notebook
// kernel (`rv6.Kernel`: Domains, Heap, Graph(), Kill, Watch), so the same cells that explore a lab
// kernel explore rv6; `Crash("fs")` kills a domain of rv6 and shows what cleanup freed, and the next
// command shows rv6 running on; `Fsck()` checks the disk as it is now.
using RedLeaf.Notebook.Html;
using RedLeaf.Notebook.Session;
using RedLeaf.Notebook.Views;
using RedLeaf.Systems.Rv6;
using RedLeaf.Xv6;
using static RedLeaf.Notebook.Html.Markup;

namespace RedLeaf.Notebook.Rv6;

public sealed class Rv6Session : IRichView, IDisposable
{
    internal Rv6Session(Rv6System system, NotebookKernel kernel)
    {
        System = system;
        Kernel = kernel;
    }

    /// <summary>The booted rv6 (machine, domains, loader), for everything this surface does not cover.</summary>
    public Rv6System System { get; }

    /// <summary>The microkernel rv6 runs on, as a notebook kernel: Domains, Heap, Graph(), Kill, Watch.</summary>
    public NotebookKernel Kernel { get; }

    /// <summary>Runs a command line with rv6's shell; the console output and exit status.</summary>
    public ShellView Run(string line) => new(System.Run(line));

    /// <summary>What booting did: machine, domains loaded and images verified.</summary>
    public TableView BootLog => new("rv6 boot log", new[] { "ms", "event" },
        System.Kernel.Log.Entries.Select(e => (IReadOnlyList<object?>)new object?[] { e.At.TotalMilliseconds, e.Message }));

    /// <summary>The file system's counters (cache, log commits: group commit shows as more operations than commits).</summary>
    public TableView FsStats
    {
        get
        {
            var s = System.FsStatistics();
            return new TableView("rv6 file system", new[] { "counter", "value" }, new (string, object?)[]
            {
                ("free blocks", s.FreeBlocks), ("free inodes", s.FreeInodes), ("open inodes", s.OpenInodes),
                ("cache hits", s.CacheHits), ("cache misses", s.CacheMisses), ("block reads", s.BlockReads), ("block writes", s.BlockWrites),
                ("log commits", s.Commits), ("operations committed", s.Operations), ("transactions recovered at mount", s.Recovered),
            }.Select(r => (IReadOnlyList<object?>)new object?[] { r.Item1, r.Item2 }));
        }
    }

    /// <summary>Kills one of rv6's domains ("fs", "blk", "console", or a process's program name) and shows what cleanup freed.
    /// The core restarts a crashed fs on its next call (log recovery at mount).</summary>
    public CrashReport Crash(string domain) => Kernel.Kill(domain);

    /// <summary>fsck of the disk as it is now (a committed but uninstalled log is checked as recovery will leave it).</summary>
    public FsckView Fsck() => new(RedLeaf.Xv6.Fsck.Check(System.DiskImage(), System.ImageName));

    public string ToHtml() => Block("rv6", $"rv6 on RedLeaf: booted in {System.BootTime.TotalMilliseconds:F0} ms from {System.ImageName}",
        Facts(("domains", string.Join(", ", System.SystemDomains.Select(d => $"{d.Name} ({d.Status})"))),
              ("programs", string.Join(" ", System.Loader.Programs())),
              ("processes started", System.Loader.Loaded)));

    public override string ToString() =>
        $"rv6 on RedLeaf: booted in {System.BootTime.TotalMilliseconds:F0} ms from {System.ImageName}; domains: " +
        string.Join(", ", System.SystemDomains.Select(d => $"{d.Name} ({d.Status})")) + "; programs: " + string.Join(" ", System.Loader.Programs());

    public void Dispose() => System.Dispose();
}

/// <summary>An fsck report in a notebook.</summary>
public sealed class FsckView : IRichView
{
    public FsckView(FsckReport report) => Report = report;
    public FsckReport Report { get; }
    public bool Clean => Report.Clean;

    public string ToHtml() => Block("fsck", Report.Clean ? "fsck: clean" : $"fsck: {Report.ProblemCount} problems", Pre(ToString()).Html);

    public override string ToString()
    {
        var w = new StringWriter();
        Report.Print(w);
        return w.ToString();
    }
}
