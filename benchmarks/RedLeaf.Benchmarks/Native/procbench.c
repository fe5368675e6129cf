// benchmarks/RedLeaf.Benchmarks/Native: Linux's cost of what `bench rv6` measures in rv6, on the same machine, as its
// baseline rows: `procbench fork N` (fork, the child _exits, wait), `procbench forkexec N PATH` (fork, the child
// execs PATH, a static binary that exits at once, wait) and `procbench pipe KIB` (a child writes KIB KiB in 4 KiB
// writes through a pipe, the parent reads them). Prints one line: the microseconds per operation, or MB/s.
// Built by gcc at build time (RedLeaf.Benchmarks.csproj), with true_static.c (gcc -static).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int reap(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "fork") == 0) {
        int n = atoi(argv[2]);
        double t0 = now();
        for (int i = 0; i < n; i++) {
            pid_t p = fork();
            if (p < 0) return 1;
            if (p == 0) _exit(0);
            if (reap(p) < 0) return 1;
        }
        printf("%.3f\n", (now() - t0) * 1e6 / n);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "forkexec") == 0) {
        int n = atoi(argv[2]);
        double t0 = now();
        for (int i = 0; i < n; i++) {
            pid_t p = fork();
            if (p < 0) return 1;
            if (p == 0) { char *args[] = { argv[3], NULL }; execv(argv[3], args); _exit(2); }
            if (reap(p) < 0) return 1;
        }
        printf("%.3f\n", (now() - t0) * 1e6 / n);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "pipe") == 0) {
        long kib = atol(argv[2]);
        static char buf[4096];
        int fd[2];
        if (pipe(fd) < 0) return 1;
        double t0 = now();
        pid_t p = fork();
        if (p < 0) return 1;
        if (p == 0) {
            close(fd[0]);
            memset(buf, 7, sizeof buf);
            for (long k = 0; k < kib / 4; k++)
                if (write(fd[1], buf, sizeof buf) != (ssize_t)sizeof buf) _exit(2);
            _exit(0);
        }
        close(fd[1]);
        long total = 0;
        ssize_t r;
        while ((r = read(fd[0], buf, sizeof buf)) > 0) total += r;
        if (reap(p) < 0 || total != kib / 4 * 4096) return 1;
        printf("%.3f\n", total / (now() - t0) / 1e6);
        return 0;
    }
    fprintf(stderr, "usage: procbench fork N | forkexec N PATH | pipe KIB\n");
    return 2;
}
