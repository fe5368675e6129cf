// benchmarks/RedLeaf.Benchmarks/Baselines: a round trip between two OS processes through pipes, the `pipe-pingpong` row of
// Table 1 (the classic Unix IPC baseline; Singularity's process ping-pong). The far end is
// native/pipe_echo, a small C program built by gcc at build time, started with its stdin and stdout
// redirected to pipes; one round trip writes one byte to it and reads the byte it echoes, with
// read(2) and write(2) called straight through P/Invoke on the pipes' descriptors. The caller and
// the child are pinned to the CPU the caller was on (CpuPinning says why); the caller's CPU set is
// restored on Dispose. Create, use and dispose it on one thread.
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using RedLeaf.Benchmarks.Native;

namespace RedLeaf.Benchmarks.Baselines;

public sealed unsafe class PipePingPong : IDisposable
{
    readonly Process _child;
    readonly PipeStream _toChild, _fromChild;
    readonly int _out, _in;
    readonly byte[] _callerCpus;
    bool _disposed;

    public PipePingPong()
    {
        Cpu = CpuPinning.CurrentCpu();
        _callerCpus = CpuPinning.PinCurrentThread(Cpu);
        var psi = new ProcessStartInfo(NativeBenchLibrary.EchoPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _child = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        _toChild = _child.StandardInput.BaseStream as PipeStream
            ?? throw new PlatformNotSupportedException($"the child's stdin is a {_child.StandardInput.BaseStream.GetType().Name}, not a pipe");
        _fromChild = _child.StandardOutput.BaseStream as PipeStream
            ?? throw new PlatformNotSupportedException($"the child's stdout is a {_child.StandardOutput.BaseStream.GetType().Name}, not a pipe");
        _out = (int)_toChild.SafePipeHandle.DangerousGetHandle();
        _in = (int)_fromChild.SafePipeHandle.DangerousGetHandle();
        CpuPinning.Pin(_child.Id, Cpu);
    }

    /// <summary>The CPU both processes run on.</summary>
    public int Cpu { get; }

    /// <summary>The child's process id.</summary>
    public int ChildId => _child.Id;

    /// <summary>One byte to the child and the same byte back.</summary>
    public void RoundTrip()
    {
        byte b = 0x5A;
        if (write(_out, &b, 1) != 1) throw Failed("write to");
        b = 0;
        if (read(_in, &b, 1) != 1 || b != 0x5A) throw Failed("read from");
    }

    Exception Failed(string what) => new IOException(
        $"pipe-pingpong: {what} the echo child (pid {_child.Id}) failed (errno {Marshal.GetLastSystemError()}{(_child.HasExited ? $", child exited with {_child.ExitCode}" : "")})");

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _toChild.Dispose(); // end of file: the child exits
        if (!_child.WaitForExit(5_000)) _child.Kill();
        _fromChild.Dispose();
        _child.Dispose();
        CpuPinning.Restore(_callerCpus);
    }

    [DllImport("libc")]
    private static extern nint read(int fd, byte* buf, nint count);

    [DllImport("libc")]
    private static extern nint write(int fd, byte* buf, nint count);
}
