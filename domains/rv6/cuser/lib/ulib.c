// domains/rv6/cuser/lib: the C library of rv6's RISC-V test programs: strings, memory, atoi, a printf
// with %d %u %x %p %s %c that writes one line at a time, and a malloc that only grows (sbrk).
#include <stdarg.h>
#include "user.h"

int strlen(const char *s) { int n = 0; while (s[n]) n++; return n; }
int strcmp(const char *p, const char *q) { while (*p && *p == *q) p++, q++; return (unsigned char)*p - (unsigned char)*q; }
char* strcpy(char *d, const char *s) { char *r = d; while ((*d++ = *s++)) ; return r; }
void* memset(void *d, int c, unsigned long n) { char *p = d; while (n--) *p++ = c; return d; }
void* memcpy(void *d, const void *s, unsigned long n) { char *p = d; const char *q = s; while (n--) *p++ = *q++; return d; }
void* memmove(void *d, const void *s, int n)
{
  char *p = d; const char *q = s;
  if (q < p) { p += n; q += n; while (n-- > 0) *--p = *--q; }
  else while (n-- > 0) *p++ = *q++;
  return d;
}
int memcmp(const void *a, const void *b, unsigned long n)
{
  const unsigned char *p = a, *q = b;
  for (; n; n--, p++, q++) if (*p != *q) return *p - *q;
  return 0;
}
int atoi(const char *s) { int n = 0, neg = *s == '-'; if (neg) s++; while (*s >= '0' && *s <= '9') n = n * 10 + *s++ - '0'; return neg ? -n : n; }

struct out { int fd; int n; char buf[256]; };
static void flush(struct out *o) { if (o->n) write(o->fd, o->buf, o->n); o->n = 0; }
static void put(struct out *o, char c) { if (o->n == sizeof o->buf) flush(o); o->buf[o->n++] = c; }
static void num(struct out *o, unsigned long x, int base, int neg)
{
  char t[24]; int i = 0;
  do t[i++] = "0123456789abcdef"[x % base]; while ((x /= base));
  if (neg) put(o, '-');
  while (i) put(o, t[--i]);
}
static void vprintf(int fd, const char *fmt, va_list ap)
{
  struct out o; o.fd = fd; o.n = 0;
  for (; *fmt; fmt++) {
    if (*fmt != '%') { put(&o, *fmt); continue; }
    int lng = 0;
    fmt++;
    if (*fmt == 'l') { lng = 1; fmt++; }
    switch (*fmt) {
    case 'd': { long v = lng ? va_arg(ap, long) : va_arg(ap, int); num(&o, v < 0 ? -v : v, 10, v < 0); break; }
    case 'u': num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, uint), 10, 0); break;
    case 'x': num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, uint), 16, 0); break;
    case 'p': put(&o, '0'); put(&o, 'x'); num(&o, va_arg(ap, unsigned long), 16, 0); break;
    case 'c': put(&o, va_arg(ap, int)); break;
    case 's': { const char *s = va_arg(ap, const char*); if (!s) s = "(null)"; while (*s) put(&o, *s++); break; }
    case '%': put(&o, '%'); break;
    default: put(&o, '%'); put(&o, *fmt); break;
    }
  }
  flush(&o);
}
void printf(const char *fmt, ...) { va_list ap; va_start(ap, fmt); vprintf(1, fmt, ap); va_end(ap); }
void fprintf(int fd, const char *fmt, ...) { va_list ap; va_start(ap, fmt); vprintf(fd, fmt, ap); va_end(ap); }

void* malloc(uint n)
{
  n = (n + 15) & ~15u;
  char *p = sbrk(n);
  return p == (char*)-1 ? 0 : p;
}
