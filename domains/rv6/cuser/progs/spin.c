// domains/rv6/cuser/progs: runs forever without a system call (for preemption and kill).
#include "user.h"

volatile unsigned long counter;

int main(void)
{
  for (;;) counter++;
}
