// benchmarks/RedLeaf.Benchmarks/Native/pipe_echo.c: the far end of the pipe-pingpong baseline (calls suite).
// A separate OS process: reads one byte from stdin, writes it back to stdout, until end of file.
// Started by Baselines/PipePingPong.cs with both streams redirected to pipes, so each round trip
// costs two pipe writes, two reads and two process switches, as a Unix IPC round trip does.
#include <unistd.h>
#include <errno.h>

int main(void)
{
    char c;
    for (;;) {
        ssize_t r = read(0, &c, 1);
        if (r == 0) return 0;
        if (r < 0) { if (errno == EINTR) continue; return 1; }
        while (write(1, &c, 1) != 1)
            if (errno != EINTR) return 2;
    }
}
