# domains/rv6/cuser/lib: the system-call stubs: number in a7, arguments in a0-a5, result in a0
# (xv6's ABI, kernel/syscall.h numbering; rv6's interpreter domain maps each onto rv6's system calls).
#define SYSCALL(name, number) .globl name; name: li a7, number; ecall; ret

SYSCALL(fork, 1)
SYSCALL(exit, 2)
SYSCALL(wait, 3)
SYSCALL(pipe, 4)
SYSCALL(read, 5)
SYSCALL(kill, 6)
SYSCALL(exec, 7)
SYSCALL(fstat, 8)
SYSCALL(chdir, 9)
SYSCALL(dup, 10)
SYSCALL(getpid, 11)
SYSCALL(sbrk, 12)
SYSCALL(sleep, 13)
SYSCALL(uptime, 14)
SYSCALL(open, 15)
SYSCALL(write, 16)
SYSCALL(mknod, 17)
SYSCALL(unlink, 18)
SYSCALL(link, 19)
SYSCALL(mkdir, 20)
SYSCALL(close, 21)

# syscall(number, a0, a1, a2): any number, for tests of unknown and raw calls.
.globl syscall
syscall:
        mv a7, a0
        mv a0, a1
        mv a1, a2
        mv a2, a3
        ecall
        ret
