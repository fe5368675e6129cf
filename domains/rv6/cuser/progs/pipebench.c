// domains/rv6/cuser/progs: bytes through a pipe between two processes (`pipebench KIB`): the child writes KIB
// KiB in 4 KiB writes, the parent reads them all (4 KiB reads) and waits; bench rv6's `pipe` row times it.
#include "user.h"

static char buf[4096];

int main(int argc, char **argv)
{
  int kib = argc > 1 ? atoi(argv[1]) : 1024;
  int fd[2];
  if (pipe(fd) < 0) { fprintf(2, "pipebench: pipe failed\n"); return 1; }
  int pid = fork();
  if (pid < 0) { fprintf(2, "pipebench: fork failed\n"); return 1; }
  if (pid == 0) {
    close(fd[0]);
    for (int i = 0; i < (int)sizeof(buf); i++) buf[i] = (char)i;
    for (int k = 0; k < kib / 4; k++)
      if (write(fd[1], buf, sizeof(buf)) != (int)sizeof(buf)) exit(2);
    exit(0);
  }
  close(fd[1]);
  long total = 0;
  int n;
  while ((n = read(fd[0], buf, sizeof(buf))) > 0) total += n;
  int st;
  if (wait(&st) != pid || st != 0) { fprintf(2, "pipebench: child status %d\n", st); return 1; }
  if (total != (long)(kib / 4) * 4096) { fprintf(2, "pipebench: read %d bytes\n", (int)total); return 1; }
  printf("pipebench: %d KiB\n", kib);
  return 0;
}
