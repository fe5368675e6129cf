// kernel-ext/RedLeaf.Interactive: the #!rv6 magic. Each line of a cell that starts with `#!rv6` is a
// command line for rv6's shell (Lab.CurrentRv6; booted on a fresh image if none is), run in order;
// each shows its console output and exit status. A line that exits non-zero does not stop the cell,
// as in a terminal.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using RedLeaf.Notebook.Session;

namespace RedLeaf.Interactive;

public sealed class Rv6Kernel : Kernel, IKernelCommandHandler<SubmitCode>
{
    public const string KernelName = "rv6";

    public Rv6Kernel() : base(KernelName)
    {
        KernelInfo.LanguageName = "rv6 sh";
        KernelInfo.DisplayName = "rv6 shell";
        KernelInfo.Description = "Runs each line with rv6's shell (xv6 rebuilt as RedLeaf domains)";
    }

    Task IKernelCommandHandler<SubmitCode>.HandleAsync(SubmitCode command, KernelInvocationContext context)
    {
        var lines = command.Code.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[0].TrimStart().StartsWith("#!rv6", StringComparison.Ordinal)) lines.RemoveAt(0);
        var rv6 = Lab.CurrentRv6;
        if (rv6 is null)
        {
            try
            {
                rv6 = Lab.BootRv6();
                context.Display(rv6, "text/html", "text/plain");
            }
            catch (RedLeaf.Systems.Rv6.Rv6BootException e)
            {
                context.Fail(command, null, $"#!rv6: rv6 did not boot: {e.Message}");
                return Task.CompletedTask;
            }
        }
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            context.Display(rv6.Run(line), "text/html", "text/plain");
        }
        return Task.CompletedTask;
    }
}
