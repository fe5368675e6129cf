// domains/rv6/cuser/progs: a program linked with writable text (`ld -N`: one RWX segment, as xv6 links
// its forktest). Its globals live in the text's segment and are written as usual; it patches one of its
// own instructions by a store and another by read() from a pipe (a system call's copyout), and each patch
// must take effect at once (the machine decodes written text again); a forked child's patch and writes
// stay in the child. Prints "rwx: ok" or "rwx: FAIL why".
// link: rwx
#include "user.h"

int counter = 5;

// c.li a0,1 ; c.jr ra (the compressed forms -march=rv64imc gives), patched to c.li a0,N below
__attribute__((noipa)) int answer(void) { return 1; }

static unsigned short cli_a0(int n) { return (unsigned short)(0x4501 | (n & 31) << 2); }

static int fail(const char *why, int v)
{
  printf("rwx: FAIL %s (%d)\n", why, v);
  exit(1);
}

int main(void)
{
  int (*volatile f)(void) = answer;
  volatile unsigned short *code = (volatile unsigned short *)answer;
  if (code[0] != cli_a0(1)) fail("answer() does not start with c.li a0,1", code[0]);
  if (f() != 1) fail("answer()", f());

  counter++;
  if (counter != 6) fail("counter", counter);

  int pid = fork();
  if (pid < 0) fail("fork", pid);
  if (pid == 0) {
    code[0] = cli_a0(3);
    counter = 100;
    exit(f() == 3 ? 0 : 10 + f());
  }
  int st;
  if (wait(&st) != pid || st != 0) fail("the child's patch", st);
  if (f() != 1) fail("the child's patch reached the parent", f());
  if (counter != 6) fail("the child's write reached the parent", counter);

  code[0] = cli_a0(2);                     // a store into the text
  if (f() != 2) fail("after a store, answer()", f());

  int p[2];
  if (pipe(p) < 0) fail("pipe", -1);
  unsigned short patch = cli_a0(7);
  write(p[1], &patch, 2);
  if (read(p[0], (char *)answer, 2) != 2) fail("read into the text", -1);   // copyout into the text
  if (f() != 7) fail("after read(), answer()", f());
  close(p[0]);
  close(p[1]);
  printf("rwx: ok\n");
  return 0;
}
