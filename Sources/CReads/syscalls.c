// See CReads.h: system calls made by number. A program (or a library) that calls `syscall` gets
// this library's, as it gets its `open`: a file opened by number is recorded as `openat` records
// it, a look or a listing (`statx`, `getdents64`) as `stat` and `readdir` record them, and a call
// that cannot be recorded (`execve`, `clone`) as unseen ('u'), which keeps the run out of the cache. What cannot be recorded at all
// fails with ENOSYS, as on a kernel without it (glibc and Foundation fall back to calls this library
// sees): `openat2`, `open_by_handle_at`, `io_uring` (a read queued in a ring is no call), `vfork`
// (its child borrows the caller's stack: no wrapper returns into it), and, through a seccomp filter
// installed when recording starts, every file or process call made from inside the C library's
// own `syscall`, which a program reaches past this one only on purpose (`dlopen("libc.so.6")`,
// `RTLD_NEXT`). The filter costs a few BPF instructions per system call of the program.
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#if defined(__linux__)
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

// The system call itself, from here rather than from the C library's `syscall` (the filter
// refuses file calls made there). The kernel's -errno becomes -1 and `errno`, as `syscall` does.
static long direct(long number, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  unsigned long result;
  __asm__ volatile("syscall"
                   : "=a"(result)
                   : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  if (result > -4096UL) {
    errno = (int)-result;
    return -1;
  }
  return (long)result;
}
#else
typedef long (*syscall_f)(long, ...);
REAL(syscall, syscall_f)
static long direct(long number, long a, long b, long c, long d, long e, long f) {
  return real_syscall()(number, a, b, c, d, e, f);
}
#endif

// Calls that give the program a file's bytes, a name or a fact of the file system, or start a
// process, that this library cannot record from their arguments alone; by name for the warning.
static const struct {
  long number;
  const char *name;
} unseen[] = {
#ifdef SYS_stat
    {SYS_stat, "stat"},         {SYS_lstat, "lstat"}, {SYS_access, "access"}, {SYS_readlink, "readlink"},
    {SYS_getdents, "getdents"}, {SYS_fork, "fork"},
#endif
    {SYS_newfstatat, "newfstatat"}, {SYS_statx, "statx"},       {SYS_faccessat, "faccessat"},
    {SYS_faccessat2, "faccessat2"}, {SYS_readlinkat, "readlinkat"}, {SYS_getdents64, "getdents64"},
    {SYS_execve, "execve"},         {SYS_execveat, "execveat"},     {SYS_clone, "clone"},
    {SYS_clone3, "clone3"},         {SYS_name_to_handle_at, "name_to_handle_at"},
};
enum { unseenCount = sizeof unseen / sizeof *unseen };
// Calls that cannot be recorded at all, refused wherever they are made (`open_by_handle_at` opens a
// file by no path, and glibc's function of that name calls the kernel itself).
static const long refused[] = {SYS_openat2, SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
                               SYS_open_by_handle_at,
#ifdef SYS_vfork
                               SYS_vfork
#endif
};

static int listed(long number, const long *list, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (list[i] == number) return 1;
  return 0;
}

long syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long a = va_arg(ap, long), b = va_arg(ap, long), c = va_arg(ap, long);
  long d = va_arg(ap, long), e = va_arg(ap, long), f = va_arg(ap, long);
  va_end(ap);
  switch (number) {
#ifdef SYS_open
    case SYS_open: return open((const char *)a, (int)b, (mode_t)c);
    case SYS_creat: return open((const char *)a, O_CREAT | O_WRONLY | O_TRUNC, (mode_t)b);
#endif
    case SYS_openat: return openat((int)a, (const char *)b, (int)c, (mode_t)d);
    default: break;
  }
  if (listed(number, refused, sizeof refused / sizeof *refused)) {
    errno = ENOSYS;
    return -1;
  }
  // Looks and listings by number are recorded as the functions record them (not those of /proc:
  // the Swift runtime's crash handler lists /proc/self/task with getdents64).
  switch (number) {
#ifdef SYS_stat
    case SYS_stat:
    case SYS_lstat:
    case SYS_access:
    case SYS_readlink: handout_keep(AT_FDCWD, (const char *)a, 'l'); return direct(number, a, b, c, d, e, f);
    case SYS_getdents:
#endif
    case SYS_getdents64: handout_keep((int)a, ".", 'd'); return direct(number, a, b, c, d, e, f);
    case SYS_newfstatat:
    case SYS_statx:
    case SYS_faccessat:
    case SYS_faccessat2:
    case SYS_readlinkat: handout_keep((int)a, (const char *)b, 'l'); return direct(number, a, b, c, d, e, f);
    default: break;
  }
  for (size_t i = 0; i < unseenCount; i++) {
    if (unseen[i].number != number) continue;
    char call[64];
    snprintf(call, sizeof call, "%s through syscall", unseen[i].name);
    handout_unseen(call);
  }
  return direct(number, a, b, c, d, e, f);
}

#if defined(__x86_64__)
// Where the C library's `syscall` enters the kernel: the address after its `syscall` instruction
// (0f 05), which is what the filter sees as the instruction pointer; 0 if not found.
static uint64_t librarySyscallReturn(void) {
  const unsigned char *code = dlsym(RTLD_NEXT, "syscall");
  if (!code) return 0;
  for (int i = 0; i + 1 < 64; i++)
    if (code[i] == 0x0f && code[i + 1] == 0x05) return (uint64_t)(uintptr_t)(code + i + 2);
  return 0;
}

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define ENOSYS_ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS)

void handout_refuse_unseen(void) {
  enum { most = 96 };
  struct sock_filter code[most];
  unsigned n = 0;
  uint64_t ip = librarySyscallReturn();
  size_t nRefused = sizeof refused / sizeof *refused, nUnseen = unseenCount;
  // Another architecture's calls (x32's numbers have bit 30 set) are refused too.
  code[n++] = (struct sock_filter)LOAD(arch);
  code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  code[n++] = (struct sock_filter)ENOSYS_;
  code[n++] = (struct sock_filter)LOAD(nr);
  code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
  code[n++] = (struct sock_filter)ENOSYS_;
  for (size_t i = 0; i < nRefused; i++)
    code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)refused[i], 0, 1),
    code[n++] = (struct sock_filter)ENOSYS_;
  if (ip) {
    const long own[] = {SYS_open, SYS_openat, SYS_creat};
    // Not from the C library's `syscall`: allowed.
    code[n++] = (struct sock_filter)LOAD(instruction_pointer);
    code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)ip, 1, 0);
    code[n++] = (struct sock_filter)ALLOW;
    code[n++] = (struct sock_filter)BPF_STMT(
        BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4);
    code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(ip >> 32), 1, 0);
    code[n++] = (struct sock_filter)ALLOW;
    code[n++] = (struct sock_filter)LOAD(nr);
    for (size_t i = 0; i < nUnseen + 3; i++)
      code[n++] = (struct sock_filter)BPF_JUMP(
          BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(i < nUnseen ? unseen[i].number : own[i - nUnseen]), 0, 1),
      code[n++] = (struct sock_filter)ENOSYS_;
  }
  code[n++] = (struct sock_filter)ALLOW;
  struct sock_fprog program = {.len = (unsigned short)n, .filter = code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return;
  // Every thread already running too; where the kernel has no seccomp, only the wrapper above.
  if (direct(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, (long)&program, 0, 0, 0) != 0)
    direct(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&program, 0, 0, 0);
}
#else
void handout_refuse_unseen(void) {}
#endif

#endif
