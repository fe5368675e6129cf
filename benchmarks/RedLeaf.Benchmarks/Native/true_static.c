// benchmarks/RedLeaf.Benchmarks/Native: a static binary that exits at once, what procbench's forkexec baseline execs
// (the Linux counterpart of rv6's `true`; static, so exec costs no dynamic loader). Built with gcc -static.
int main(void) { return 0; }
