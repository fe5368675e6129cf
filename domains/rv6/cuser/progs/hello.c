// domains/rv6/cuser/progs: prints its arguments (the argv exec built on the stack) and its pid.
#include "user.h"

int main(int argc, char **argv)
{
  printf("hello from riscv: argc=%d", argc);
  for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
  printf("\n");
  return 0;
}
