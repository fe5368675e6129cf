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
            Assert.Contains("pipe_echo", File.ReadAllText($"/proc/{pid}/cmdline"));
            for (int i = 0; i < 200; i++) pair.RoundTrip();
        }
        // Closing its stdin ends the child (and the runtime reaps it).
        Assert.False(Directory.Exists($"/proc/{pid}"), "the echo child exited");
    }
}
