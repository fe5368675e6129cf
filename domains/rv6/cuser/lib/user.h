// domains/rv6/cuser/lib: what rv6's C programs may call: xv6's system calls (same names, numbers and
// types as xv6's user/user.h, so xv6 programs' calls mean the same) and a small C library.
typedef unsigned int uint;
typedef unsigned long uint64;

struct stat {
  int dev;      // file system's disk device
  uint ino;     // inode number
  short type;   // T_DIR 1, T_FILE 2, T_DEVICE 3
  short nlink;
  uint64 size;
};
#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3
#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR 0x002
#define O_CREATE 0x200
#define O_TRUNC 0x400

// system calls
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int*);
int pipe(int*);
int write(int, const void*, int);
int read(int, void*, int);
int close(int);
int kill(int);
int exec(const char*, char**);
int open(const char*, int);
int mknod(const char*, short, short);
int unlink(const char*);
int fstat(int fd, struct stat*);
int link(const char*, const char*);
int mkdir(const char*);
int chdir(const char*);
int dup(int);
int getpid(void);
char* sbrk(int);
int sleep(int);
int uptime(void);
long syscall(long number, long a0, long a1, long a2);

// ulib.c
int strlen(const char*);
int strcmp(const char*, const char*);
char* strcpy(char*, const char*);
void* memset(void*, int, unsigned long);
void* memcpy(void*, const void*, unsigned long);
void* memmove(void*, const void*, int);
int memcmp(const void*, const void*, unsigned long);
int atoi(const char*);
void printf(const char*, ...);
void fprintf(int, const char*, ...);
void* malloc(uint);
