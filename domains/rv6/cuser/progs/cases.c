// domains/rv6/cuser/progs: rv6's tests of its RISC-V processes, one case per run (`cases NAME`), each
// printing "ok NAME" or "FAIL NAME: why": every system call, fork/exec/pipe/wait semantics, faults
// (text writes, the guard page, wild addresses, illegal instructions), kill, sbrk to exhaustion, and
// bad pointers. The semantics are xv6's (user/usertests.c is the reference); the code is rv6's.
#include "user.h"

static const char *name;
static int failed;
#define CHECK(c, ...) do { if (!(c)) { printf("FAIL %s: ", name); printf(__VA_ARGS__); printf("\n"); exit(1); } } while (0)

int shared = 1;
static char buf[2048];

// Runs f in a child; the child must be killed by the kernel (wait reports -1).
static void expect_killed(const char *what, void (*f)(void))
{
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if (pid == 0) { f(); printf("FAIL %s: %s did not fault\n", name, what); exit(0); }
  int st = 0;
  CHECK(wait(&st) == pid, "wait");
  CHECK(st == -1, "%s: child status %d, expected -1 (killed)", what, st);
}

static void write_text(void) { *(volatile int*)(uint64)&expect_killed = 0; }
static void read_guard(void)
{
  uint64 sp = (uint64)&sp;
  volatile char *guard = (char*)((sp & ~4095ul) - 4096);
  printf("%d", *guard);
}
static void write_guard(void)
{
  uint64 sp = (uint64)&sp;
  *(volatile char*)((sp & ~4095ul) - 1) = 1;
}
static void read_wild(void) { printf("%d", *(volatile int*)0xdeadbeef000ul); }
static void write_beyond(void) { char *end = sbrk(0); *(volatile char*)(end + 10) = 1; }
static void read_beyond(void) { char *end = sbrk(0); printf("%d", *(volatile char*)(end + 4096 * 16)); }
static void jump_wild(void) { ((void (*)(void))0x40000000ul)(); }
static void jump_data(void) { ((void (*)(void))buf)(); }
static void illegal(void) { asm volatile(".word 0xffffffff"); }
static void breakpoint(void) { asm volatile("ebreak"); }
static void stack_overflow(void) { volatile char big[6000]; big[0] = 1; printf("%d", big[0]); }

static void c_fork(void)
{
  shared = 2;
  int pid = fork();
  CHECK(pid >= 0, "fork failed");
  if (pid == 0) {
    if (shared != 2) exit(10);      // the child sees the parent's memory as it was
    shared = 3;                     // ... and its own writes stay its own
    exit(7);
  }
  int st = 0;
  CHECK(wait(&st) == pid, "wait returned another pid");
  CHECK(st == 7, "exit status %d, expected 7", st);
  CHECK(shared == 2, "the child's write reached the parent (%d)", shared);
  CHECK(wait(0) == -1, "wait with no children did not return -1");
}

static void c_forkmany(void)
{
  int n = 12, sum = 0;
  for (int i = 0; i < n; i++) {
    int pid = fork();
    CHECK(pid >= 0, "fork %d failed", i);
    if (pid == 0) exit(i);
  }
  for (int i = 0; i < n; i++) { int st; CHECK(wait(&st) > 0, "wait %d", i); sum += st; }
  CHECK(sum == n * (n - 1) / 2, "statuses sum to %d", sum);
  CHECK(wait(0) == -1, "extra child");
}

static void c_getpid(void)
{
  int me = getpid();
  CHECK(me > 0, "getpid %d", me);
  int p[2];
  CHECK(pipe(p) == 0, "pipe");
  int pid = fork();
  if (pid == 0) { int c = getpid(); write(p[1], &c, sizeof c); exit(0); }
  int child = 0;
  CHECK(read(p[0], &child, sizeof child) == sizeof child, "read");
  CHECK(child == pid && child != me, "child's getpid %d, fork returned %d, parent %d", child, pid, me);
  wait(0);
}

static void c_pipe(void)
{
  int p[2];
  CHECK(pipe(p) == 0, "pipe");
  int pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) {
    close(p[0]);
    for (int i = 0; i < 100; i++) { char c = 'a' + i % 26; write(p[1], &c, 1); }
    exit(0);
  }
  close(p[1]);
  int total = 0, n;
  while ((n = read(p[0], buf + total, 50)) > 0) total += n;
  CHECK(total == 100, "read %d bytes", total);
  for (int i = 0; i < 100; i++) CHECK(buf[i] == 'a' + i % 26, "byte %d", i);
  close(p[0]);
  wait(0);
}

static void c_forkfd(void)
{
  unlink("forkfd.txt");
  int fd = open("forkfd.txt", O_CREATE | O_RDWR);
  CHECK(fd >= 0, "open");
  write(fd, "ab", 2);
  int pid = fork();
  if (pid == 0) { write(fd, "cd", 2); exit(0); }   // the child shares the offset (one open file)
  wait(0);
  write(fd, "ef", 2);
  close(fd);
  fd = open("forkfd.txt", O_RDONLY);
  int n = read(fd, buf, sizeof buf);
  CHECK(n == 6 && memcmp(buf, "abcdef", 6) == 0, "file holds %d bytes", n);
  close(fd);
  unlink("forkfd.txt");
}

static void c_exec(void)
{
  int pid = fork();
  if (pid == 0) {
    char *argv[] = { "hello", "one", "two", 0 };
    exec("hello", argv);
    printf("FAIL exec: exec returned\n");
    exit(5);
  }
  int st;
  CHECK(wait(&st) == pid && st == 0, "child status %d", st);
  char *argv[] = { "nonexistent", 0 };
  CHECK(exec("nonexistent", argv) == -1, "exec of a missing file did not fail");
  CHECK(exec("README", argv) == -1, "exec of a non-ELF file did not fail");
}

// exec of a C# program (rv6's getpid, no such file here): the process stays, so it prints the child's pid
static void c_execcs(void)
{
  int p[2];
  CHECK(pipe(p) == 0, "pipe");
  int pid = fork();
  if (pid == 0) {
    close(1);
    dup(p[1]);
    close(p[0]);
    close(p[1]);
    char *argv[] = { "getpid", 0 };
    exec("getpid", argv);
    printf("FAIL execcs: exec returned\n");
    exit(5);
  }
  close(p[1]);
  char buf[32];
  int n = 0, m;
  while (n < (int)sizeof buf - 1 && (m = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += m;
  buf[n] = 0;
  close(p[0]);
  int st;
  CHECK(wait(&st) == pid && st == 0, "child status %d", st);
  CHECK(atoi(buf) == pid, "the C# program printed pid '%s', the child is %d", buf, pid);
}

static void c_wait(void)
{
  CHECK(wait(0) == -1, "no children, yet wait returned");
  int pid = fork();
  if (pid == 0) exit(3);
  CHECK(wait(0) == pid, "wait(0)");
}

static void c_kill(void)
{
  int pid = fork();
  CHECK(pid >= 0, "fork");
  if (pid == 0) { for (;;) shared++; }   // spins without a system call: only preemption lets kill in
  sleep(2);
  CHECK(kill(pid) == 0, "kill");
  int st;
  CHECK(wait(&st) == pid, "wait");
  CHECK(st == -1, "killed child's status %d", st);
  CHECK(kill(100000) == -1, "kill of no process");
}

static void c_sbrk(void)
{
  char *a = sbrk(0);
  CHECK(sbrk(8192) == a, "sbrk returned another address");
  for (int i = 0; i < 8192; i++) CHECK(a[i] == 0, "new memory not zero");
  memset(a, 7, 8192);
  CHECK(sbrk(0) == a + 8192, "size");
  CHECK(sbrk(-8192) == a + 8192, "shrink");
  CHECK(sbrk(0) == a, "size after shrink");
  CHECK(sbrk(4096) == a, "regrow");
  CHECK(a[0] == 0, "regrown memory not zero");
  sbrk(-4096);
  char *p = sbrk(1), *q = sbrk(1);                 // sz is byte-exact, as in xv6
  CHECK(q == p + 1 && sbrk(0) == p + 2, "sbrk(1) moved the size by %d", (int)(q - p));
  p[0] = q[0] = 5;                                 // within the page just mapped
  sbrk(-2);
  CHECK(sbrk(0) == a, "size after sbrk(-2)");
  expect_killed("write after shrinking", write_beyond);
}

static void c_sbrkfail(void)
{
  // The child grows until sbrk fails, touching what it got; then the parent does the same again:
  // the first child's memory came back when it exited.
  int got[2];
  for (int round = 0; round < 2; round++) {
    int p[2];
    pipe(p);
    int pid = fork();
    if (pid == 0) {
      int mb = 0;
      for (;;) {
        char *m = sbrk(1 << 20);
        if (m == (char*)-1) break;
        for (int i = 0; i < (1 << 20); i += 4096) m[i] = 1;
        mb++;
      }
      write(p[1], &mb, sizeof mb);
      exit(0);
    }
    close(p[1]);
    got[round] = 0;
    CHECK(read(p[0], &got[round], sizeof(int)) == sizeof(int), "read");
    close(p[0]);
    int st;
    wait(&st);
    CHECK(st == 0, "child status %d", st);
    CHECK(got[round] > 0, "sbrk never succeeded");
  }
  CHECK(got[0] == got[1], "first child got %d MiB, second %d", got[0], got[1]);
  printf("sbrkfail: %d MiB before sbrk failed\n", got[0]);
}

static void c_faults(void)
{
  expect_killed("write to text", write_text);
  expect_killed("read of the guard page", read_guard);
  expect_killed("write to the guard page", write_guard);
  expect_killed("stack overflow into the guard page", stack_overflow);
  expect_killed("read of a wild address", read_wild);
  expect_killed("write beyond the size", write_beyond);
  expect_killed("read beyond the size", read_beyond);
  expect_killed("jump to a wild address", jump_wild);
  expect_killed("jump into data", jump_data);
  expect_killed("illegal instruction", illegal);
  expect_killed("ebreak", breakpoint);
}

static void c_badptr(void)
{
  char *wild = (char*)0xdeadbeef000ul, *text = (char*)(uint64)&c_badptr;
  int p[2];
  CHECK(write(1, wild, 10) == -1, "write from a wild pointer");
  CHECK(pipe(p) == 0, "pipe");
  write(p[1], "xy", 2);
  CHECK(read(p[0], wild, 2) == -1, "read into a wild pointer");
  CHECK(read(p[0], text, 2) == -1, "read into text");
  CHECK(read(p[0], buf, 2) == 2 && buf[0] == 'x', "the failed reads consumed the data");
  CHECK(open(wild, O_RDONLY) == -1, "open of a wild path");
  CHECK(pipe((int*)wild) == -1, "pipe into a wild pointer");
  CHECK(pipe((int*)text) == -1, "pipe into text");
  struct stat st;
  CHECK(fstat(1, (struct stat*)text) == -1, "fstat into text");
  CHECK(fstat(1, (struct stat*)wild) == -1, "fstat into a wild pointer");
  CHECK(fstat(1, &st) == 0 && st.type == T_DEVICE, "fstat");
  CHECK(fstat(p[0], &st) == -1, "fstat of a pipe (xv6: -1)");
  CHECK(mkdir(wild) == -1 && chdir(wild) == -1 && unlink(wild) == -1 && link(wild, "x") == -1, "path calls");
  char *argv[] = { "hello", wild, 0 };
  CHECK(exec("hello", argv) == -1, "exec with a wild argv entry");
  CHECK(exec("hello", (char**)wild) == -1, "exec with a wild argv");
  int pid = fork();
  if (pid == 0) exit(0);
  CHECK(wait((int*)text) == -1, "wait into text");
  CHECK(syscall(99, 0, 0, 0) == -1, "unknown system call");
  CHECK(write(1, buf, -1) == -1, "negative count");
  close(p[0]);
  close(p[1]);
}

static void c_files(void)
{
  struct stat st;
  CHECK(mkdir("cdir") == 0, "mkdir");
  CHECK(chdir("cdir") == 0, "chdir");
  int fd = open("f", O_CREATE | O_WRONLY);
  CHECK(fd >= 0, "open create");
  CHECK(write(fd, "hello world", 11) == 11, "write");
  CHECK(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 11 && st.nlink == 1, "fstat: type %d size %d", st.type, (int)st.size);
  close(fd);
  CHECK(link("f", "g") == 0, "link");
  fd = open("g", O_RDONLY);
  CHECK(fd >= 0, "open link");
  int fd2 = dup(fd);
  CHECK(fd2 > fd, "dup returned %d", fd2);
  CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "read");
  CHECK(read(fd2, buf, 20) == 6 && memcmp(buf, " world", 6) == 0, "dup shares the offset");
  CHECK(fstat(fd2, &st) == 0 && st.nlink == 2, "nlink %d", st.nlink);
  close(fd); close(fd2);
  CHECK(write(fd, "x", 1) == -1, "write to a closed fd");
  CHECK(unlink("f") == 0 && unlink("g") == 0 && open("g", O_RDONLY) == -1, "unlink");
  CHECK(mknod("cons", 1, 1) == 0, "mknod");
  fd = open("cons", O_WRONLY);
  CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_DEVICE, "device");
  CHECK(write(fd, "console ok\n", 11) == 11, "write to the console device");
  close(fd);
  CHECK(unlink("cons") == 0, "unlink device");
  CHECK(chdir("..") == 0 && unlink("cdir") == 0, "leave and remove the directory");
  CHECK(open("cdir/f", O_RDONLY) == -1, "removed");
}

static void c_sleep(void)
{
  int t0 = uptime();
  CHECK(sleep(3) == 0, "sleep");
  int t1 = uptime();
  CHECK(t1 - t0 >= 3, "uptime advanced %d ticks", t1 - t0);
}

static struct { const char *name; void (*f)(void); } cases[] = {
  {"fork", c_fork}, {"forkmany", c_forkmany}, {"getpid", c_getpid}, {"pipe", c_pipe}, {"forkfd", c_forkfd},
  {"exec", c_exec}, {"execcs", c_execcs}, {"wait", c_wait}, {"kill", c_kill}, {"sbrk", c_sbrk}, {"sbrkfail", c_sbrkfail},
  {"faults", c_faults}, {"badptr", c_badptr}, {"files", c_files}, {"sleep", c_sleep},
};

int main(int argc, char **argv)
{
  int ran = 0;
  for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) {
    if (argc > 1 && strcmp(argv[1], cases[i].name) != 0) continue;
    name = cases[i].name;
    cases[i].f();
    printf("ok %s\n", name);
    ran++;
  }
  if (!ran) { printf("FAIL no such case\n"); return 1; }
  return failed;
}
