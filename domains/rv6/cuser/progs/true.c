// domains/rv6/cuser/progs: does nothing, successfully (for forkbench's exec).
int main(void) { return 0; }
