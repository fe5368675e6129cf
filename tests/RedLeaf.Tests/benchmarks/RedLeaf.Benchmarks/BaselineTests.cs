// tests/benchmarks/RedLeaf.Benchmarks: the hardware-isolation baselines of the calls suite do what their rows claim: the
// system call is a real getppid, every thread round trip is answered by the partner thread through
// the futex, every pipe round trip goes through the child process and back.
using RedLeaf.Benchmarks.Baselines;
using Xunit;

namespace RedLeaf.Tests.Bench;

[Trait("suite", "bench")]
public class BaselineTests
{
    [Fact]
    public void SyscallIsARealGetppid()
    {
        // /proc/self/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
        string stat = File.ReadAllText("/proc/self/stat");
        int ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        Assert.Equal(ppid, Syscall.GetParentPid());
    }

    [Fact]
    public void EveryThreadRoundTripIsAnsweredByThePartner()
    {
        using var pair = new ThreadPingPong();
        for (int i = 0; i < 200; i++) pair.RoundTrip();
        Assert.Equal(200, pair.Served);
    }

    [Fact]
    public void PipeRoundTripsGoThroughTheChildProcess()
    {
        int pid;
        using (var pair = new PipePingPong())
        {
            pid = pair.ChildId;
            Assert.NotEqual(Environment.ProcessId, pid);
            // /proc/PID/cmdline read empty once, right after the start, on a loaded machine: read until it names the program
            // (a child that died meanwhile fails here after the bound, its command line shown).
            string cmdline = "";
            Assert.True(SpinWait.SpinUntil(() => (cmdline = File.ReadAllText($"/proc/{pid}/cmdline")).Contains("pipe_echo"), TimeSpan.FromSeconds(5)),
                $"the child's command line is \"{cmdline.Replace('\0', ' ')}\", not pipe_echo");
            for (int i = 0; i < 200; i++) pair.RoundTrip();
        }
        // Closing its stdin ends the child (and the runtime reaps it).
        Assert.False(Directory.Exists($"/proc/{pid}"), "the echo child exited");
    }
}
