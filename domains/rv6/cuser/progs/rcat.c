// domains/rv6/cuser/progs: xv6's cat, rewritten: copies its files (or stdin) to stdout.
#include "user.h"

static char buf[512];

static int cat(int fd)
{
  int n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    if (write(1, buf, n) != n) { fprintf(2, "rcat: write error\n"); return 1; }
  if (n < 0) { fprintf(2, "rcat: read error\n"); return 1; }
  return 0;
}

int main(int argc, char **argv)
{
  if (argc <= 1) return cat(0);
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) { fprintf(2, "rcat: cannot open %s\n", argv[i]); return 1; }
    int r = cat(fd);
    close(fd);
    if (r) return r;
  }
  return 0;
}
