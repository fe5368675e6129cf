// domains/rv6/cuser/progs: a compute-bound benchmark: C = A x B for N x N integer matrices, R times
// (`matmul N R`); prints a checksum of C, which the tests compare with the same product in C#.
#include "user.h"

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 64, rounds = argc > 2 ? atoi(argv[2]) : 1;
  int *a = malloc(n * n * sizeof(int)), *b = malloc(n * n * sizeof(int)), *c = malloc(n * n * sizeof(int));
  if (!a || !b || !c) { fprintf(2, "matmul: out of memory\n"); return 1; }
  for (int i = 0; i < n * n; i++) { a[i] = (i * 7 + 3) % 101 - 50; b[i] = (i * 13 + 5) % 97 - 48; }
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < n; i++)
      for (int j = 0; j < n; j++) {
        int s = 0;
        for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
        c[i * n + j] = s;
      }
  unsigned long sum = 0;
  for (int i = 0; i < n * n; i++) sum = sum * 31 + (unsigned)c[i];
  printf("matmul: n=%d checksum=%lu\n", n, sum);
  return 0;
}
