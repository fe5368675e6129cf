// domains/rv6/cuser/progs: a compute-bound benchmark: the sieve of Eratosthenes below N, R times
// (`sieve N R`); prints the number of primes found. No system calls until the end.
#include "user.h"

int main(int argc, char **argv)
{
  int n = argc > 1 ? atoi(argv[1]) : 100000, rounds = argc > 2 ? atoi(argv[2]) : 10;
  char *composite = malloc(n);
  if (!composite) { fprintf(2, "sieve: out of memory\n"); return 1; }
  int count = 0;
  for (int r = 0; r < rounds; r++) {
    memset(composite, 0, n);
    count = 0;
    for (int i = 2; i < n; i++) {
      if (composite[i]) continue;
      count++;
      for (long j = (long)i * i; j < n; j += i) composite[j] = 1;
    }
  }
  printf("sieve: %d primes below %d\n", count, n);
  return 0;
}
