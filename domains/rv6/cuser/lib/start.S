# domains/rv6/cuser/lib: a program's first instruction. exec leaves argc in a0 and argv in a1 (xv6's
# layout); returning from main is exiting with its result.
.section .text.start
.globl _start
_start:
        call main
        call exit
1:      j 1b
