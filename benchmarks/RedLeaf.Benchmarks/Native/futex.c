// benchmarks/RedLeaf.Benchmarks/Native/futex.c: the kernel wait primitive behind the thread-pingpong baseline
// (Baselines/ThreadPingPong.cs): Linux futex wait and wake on a 32-bit word, nothing else. Kept in C
// so the managed side calls two plain functions instead of the variadic syscall(2).
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdint.h>

// Sleeps while *word == expected (returns at once if it differs). 0 on wake, -1 on EAGAIN/EINTR.
int rl_futex_wait(int32_t *word, int32_t expected)
{
    return (int)syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

// Wakes at most one thread sleeping on word; returns how many were woken.
int rl_futex_wake(int32_t *word)
{
    return (int)syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
