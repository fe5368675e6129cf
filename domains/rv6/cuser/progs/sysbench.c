// domains/rv6/cuser/progs: a system-call-heavy benchmark: N rounds of getpid, uptime and a one-byte
// write and read through a pipe (`sysbench N`).
#include "user.h"

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 10000, p[2];
  if (pipe(p) < 0) { fprintf(2, "sysbench: pipe failed\n"); return 1; }
  long sum = 0;
  char c = 'x';
  for (int i = 0; i < n; i++) {
    sum += getpid() + uptime();
    if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) { fprintf(2, "sysbench: pipe i/o failed\n"); return 1; }
  }
  printf("sysbench: %d rounds\n", n);
  return sum == 0;
}
