// domains/rv6/cuser/progs: the cost of a process (`forkbench N`): N rounds of fork, the child exiting
// at once, and wait; or, with `exec`, fork + exec of `true` + exit + wait.
#include "user.h"

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 100;
  int doexec = argc > 2 && strcmp(argv[2], "exec") == 0;
  for (int i = 0; i < n; i++) {
    int pid = fork();
    if (pid < 0) { fprintf(2, "forkbench: fork failed\n"); return 1; }
    if (pid == 0) {
      if (doexec) { char *args[] = { "true", 0 }; exec("true", args); exit(2); }
      exit(0);
    }
    int st;
    if (wait(&st) != pid || st != 0) { fprintf(2, "forkbench: child status %d\n", st); return 1; }
  }
  printf("forkbench: %d %s\n", n, doexec ? "fork+exec" : "fork");
  return 0;
}
