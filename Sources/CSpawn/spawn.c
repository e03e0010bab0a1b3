#define _GNU_SOURCE
#include "CSpawn.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// MARK: after fork: async-signal-safe calls only, and no malloc
//
// `_Fork` (glibc 2.34) rather than `fork`: no atfork handler of any library runs in a child of a
// process whose other threads may hold their locks.

static volatile sig_atomic_t orphaned = 0;

/// What a keeper is called (`comm` and command line): no part of `handout`'s name or arguments.
static const char keeper_name[] = "run-keeper";

static void on_parent_death(int signal) {
  (void)signal;
  orphaned = 1;
}

static int write_all(int fd, const void *bytes, size_t count) {
  const char *p = bytes;
  while (count > 0) {
    ssize_t n = write(fd, p, count);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    count -= (size_t)n;
  }
  return 0;
}

static ssize_t read_full(int fd, void *bytes, size_t count) {
  size_t done = 0;
  while (done < count) {
    ssize_t n = read(fd, (char *)bytes + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += (size_t)n;
  }
  return (ssize_t)done;
}

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static long parse_long(const char *s) {
  long value = 0;
  if (*s < '0' || *s > '9') return -1;
  while (*s >= '0' && *s <= '9') value = value * 10 + (*s++ - '0');
  return *s == 0 ? value : -1;
}

/// Calls `each(number)` for each numeric entry of the folder `path` (never with the descriptor
/// the folder is read through).
static void for_each_number(const char *path, void (*each)(long, void *), void *context) {
  int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  char buffer[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, dir, buffer, sizeof buffer);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      struct linux_dirent64 *entry = (struct linux_dirent64 *)(buffer + at);
      long number = parse_long(entry->d_name);
      if (number >= 0 && number != dir) each(number, context);
      at += entry->d_reclen;
    }
  }
  close(dir);
}

/// The parent pid in /proc's numbering from the `stat` file at `path` (`pid (comm) state ppid
/// …`), or -1.
long parent_in(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char stat[512];
  ssize_t n = read_full(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return -1;
  stat[n] = 0;
  char *close_paren = NULL;
  for (char *p = stat; *p; p++)
    if (*p == ')') close_paren = p;
  if (!close_paren || close_paren[1] != ' ' || !close_paren[2] || close_paren[3] != ' ') return -1;
  long ppid = 0;
  for (char *p = close_paren + 4; *p >= '0' && *p <= '9'; p++) ppid = ppid * 10 + (*p - '0');
  return ppid;
}

/// The parent pid of `pid` from /proc/<pid>/stat, or -1.
static long parent_of(long pid) {
  char path[64] = "/proc/";
  char digits[24];
  int k = 0;
  long v = pid;
  do {
    digits[k++] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  int at = 6;
  while (k > 0) path[at++] = digits[--k];
  memcpy(path + at, "/stat", 6);
  return parent_in(path);
}

static void kill_if_child(long pid, void *self) {
  if (parent_of(pid) == (long)*(pid_t *)self) kill((pid_t)pid, SIGKILL);
}

static void close_unless_kept(long fd, void *keep) {
  const int *kept = keep;
  for (int i = 0; kept[i] >= 0; i++)
    if (kept[i] == fd) return;
  close((int)fd);
}

/// Ends every descendant of this (subreaper) process: SIGKILL to each child, reap; the children of
/// a killed one come to this process in turn. Records `program`'s status when it is reaped here.
static void end_descendants(pid_t self, pid_t program, int *program_status, int *program_done) {
  for (;;) {
    // No child at all (the program ended alone, and was reaped): nothing to find in /proc.
    siginfo_t info;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD) return;
    for_each_number("/proc", kill_if_child, &self);
    int status = 0;
    pid_t reaped = waitpid(-1, &status, 0);
    if (reaped < 0 && errno == EINTR) continue;
    if (reaped < 0) return;  // ECHILD: none left
    if (reaped == program && !*program_done) {
      *program_status = status;
      *program_done = 1;
    }
  }
}

/// The program's side of the fork: becomes the notebook program (or reports why not on `failure`).
/// `host_pid`: where to put its pid in /proc's numbering when the keeper is in a namespace of its
/// own (NULL when not).
static void become_program(const char *path, char *const argv[], char *const envp[],
                           const char *directory, int output, int failure, pid_t keeper,
                           pid_t *host_pid) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != keeper) _exit(127);
  setsid();
  int error = 0;
  // `handout` knows the program by this pid (its session), never by the namespace's; then /proc
  // is mounted again for the namespace (namespace.c).
  if (host_pid && (*host_pid = namespace_host_pid()) <= 0) error = ESRCH;
  if (host_pid && !error) namespace_enter();
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (!error && (null < 0 || dup2(null, 0) < 0 || dup2(output, 1) < 0 || dup2(output, 2) < 0))
    error = errno;
  if (!error && directory && chdir(directory) != 0) error = errno;
  if (!error) {
    // The stack and open-files limits Linux gives by default (8 MiB and 1024 files, or the hard
    // limit when lower), whatever the shell's `ulimit -s` and `-n`: a deep recursion, or a program
    // that opens many files, fails or not alike on every machine, so a cached run is what a fresh
    // one gives.
    int resources[] = {RLIMIT_STACK, RLIMIT_NOFILE};
    rlim_t wanted[] = {(rlim_t)8 << 20, 1024};
    for (int r = 0; r < 2; r++) {
      struct rlimit limit;
      if (getrlimit(resources[r], &limit) != 0) continue;
      limit.rlim_cur = limit.rlim_max < wanted[r] ? limit.rlim_max : wanted[r];
      setrlimit(resources[r], &limit);
    }
    // The CPU-time, address-space, data and processes limits (`ulimit -t`, `-v`, `-d`, `-u`): the
    // soft one is raised to the hard one, which no process can raise and which `handout` makes
    // part of each run (the cache key), so a soft limit of the shell's changes nothing.
    int raised[] = {RLIMIT_CPU, RLIMIT_AS, RLIMIT_DATA, RLIMIT_NPROC};
    for (int r = 0; r < 4; r++) {
      struct rlimit limit;
      if (getrlimit(raised[r], &limit) != 0 || limit.rlim_cur == limit.rlim_max) continue;
      limit.rlim_cur = limit.rlim_max;
      setrlimit(raised[r], &limit);
    }
    struct sigaction defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++) sigaction(s, &defaults, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(path, argv, envp);
    error = errno;
  }
  write_all(failure, &error, sizeof error);
  _exit(127);
}

/// Whether a program that ended with `status` after `usage` was killed at the hard CPU-time limit
/// (`ulimit -t`): the kernel sends SIGKILL there (its soft limit, raised to the hard one, sends no
/// SIGXCPU first), which would read as a kill from outside. The CPU time `wait4` reports falls short
/// of what the kernel counted against the limit (1.87 s for a kill at `ulimit -t 2` on an idle
/// machine), so a tenth of the limit and a quarter of a second short of it count.
static int at_cpu_limit(int status, const struct rusage *usage) {
  struct rlimit limit;
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) return 0;
  if (getrlimit(RLIMIT_CPU, &limit) != 0 || limit.rlim_max == RLIM_INFINITY) return 0;
  long long used = ((long long)usage->ru_utime.tv_sec + usage->ru_stime.tv_sec) * 1000 +
                   (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) / 1000;
  long long limit_ms = (long long)limit.rlim_max * 1000;
  return used + limit_ms / 10 + 250 >= limit_ms;
}

/// The keeper leaves `handout`'s process group and takes another name and command line, so that
/// what kills `handout` by its group (`timeout -s KILL`, a cancelled CI job), its name (`killall
/// handout`, `pkill handout`) or its command line (`pkill -f 'handout render'`) does not kill its
/// keepers with it: a keeper killed with `handout` leaves what its program detached (`setsid`) to
/// init, while a keeper that sees `handout` die ends it all.
static void leave_handouts_name(void) {
  setpgid(0, 0);
  prctl(PR_SET_NAME, keeper_name);
  if (arguments_end <= arguments_start) return;
  // The bytes /proc/<pid>/cmdline shows: the name, then zeros (a zero last, so the kernel reads
  // no further).
  size_t size = arguments_end - arguments_start;
  size_t length = sizeof keeper_name - 1 < size ? sizeof keeper_name - 1 : size - 1;
  memset((void *)arguments_start, 0, size);
  memcpy((void *)arguments_start, keeper_name, length);
}

/// The keeper's side of the fork: starts the program, waits for it, ends what is left, reports.
/// `contained`: the keeper is the first process of a PID namespace of its own (namespace.c), in a
/// user namespace of its own.
static void keep(const char *path, char *const argv[], char *const envp[], const char *directory,
                 int output, int report, pid_t parent, int contained) {
  // What `handout` ignores or handles is no business of the keeper: it ends when its program
  // ends, or when `handout` does.
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_IGN;
  int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR2};
  for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++) sigaction(ignored[i], &action, NULL);
  action.sa_handler = on_parent_death;  // no SA_RESTART: waitpid returns EINTR
  sigaction(SIGUSR1, &action, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  // In a namespace, `getppid` is 0 (the parent is outside it): /proc, the host's, names it.
  if ((contained ? parent_in("/proc/self/stat") : getppid()) != parent) _exit(127);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  leave_handouts_name();

  // Only the output pipe and the report pipe stay open: a copy of another child's pipe here
  // would keep that pipe open as long as this keeper lives. 0, 1 and 2 go to /dev/null so that no
  // new descriptor takes their numbers.
  int kept[] = {output, report, -1};
  for_each_number("/proc/self/fd", close_unless_kept, kept);
  int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; fd++)
    if (null >= 0 && fd != output && fd != report && fd != null) dup2(null, fd);
  if (null > 2 && null != output && null != report) close(null);
  // The keeper is a copy of `handout`'s memory: the notebook with its solutions, `handout`'s whole
  // environment. Not dumpable, its /proc/<pid>/mem and environ are closed to the program (its
  // child, the same user: pid 1 of its namespace), which read a solution's code there into a
  // student's page. The program's exec makes it dumpable again, as any program.
  prctl(PR_SET_DUMPABLE, 0);

  int started = 0;
  int failure[2];
  if (pipe2(failure, O_CLOEXEC) != 0) {
    started = errno;
    int message[2] = {started, 0};
    write_all(report, message, sizeof message);
    _exit(127);
  }
  pid_t self = getpid();
  // `vfork`: the program's side shares the keeper's memory until its exec (the keeper waits
  // meanwhile), so no copy of `handout`'s page tables is made for a process that execs at once
  // (~1 ms per child, on the critical path of each compile, link and run). Every signal is
  // blocked across it, as posix_spawn does, so that no handler of the keeper's runs in the child
  // (its `orphaned` is the keeper's memory); the child unblocks them with its defaults set.
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  pid_t host_pid = 0;
  pid_t program = vfork();
  if (program == 0) {
    close(failure[0]);
    close(report);
    pid_t *host = contained ? &host_pid : NULL;
    become_program(path, argv, envp, directory, output, failure[1], self, host);
  }
  if (program < 0) started = errno;
  sigprocmask(SIG_SETMASK, &none, NULL);
  close(failure[1]);
  close(output);
  if (program > 0 && read_full(failure[0], &started, sizeof started) != sizeof started) started = 0;
  close(failure[0]);
  int message[2] = {started, started ? 0 : (contained ? host_pid : program)};
  write_all(report, message, sizeof message);

  int program_status = SIGKILL;  // as if killed, should it never be reaped here
  int program_done = 0;
  while (program > 0 && !program_done && !orphaned) {
    int status = 0;
    struct rusage usage;
    pid_t reaped = wait4(-1, &status, 0, &usage);
    if (reaped == program) {
      program_status = at_cpu_limit(status, &usage) ? SIGXCPU : status;
      program_done = 1;
    } else if (reaped < 0 && errno != EINTR) {
      break;
    }
  }
  if (program > 0 && contained) namespace_end(program, &program_status, &program_done);
  if (program > 0 && !contained) end_descendants(self, program, &program_status, &program_done);
  if (!started) write_all(report, &program_status, sizeof program_status);
  _exit(0);
}

// MARK: in handout

int cspawn_start(const char *path, char *const argv[], char *const envp[], const char *directory,
                 int output, int contain, pid_t *keeper, pid_t *program, int *status) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return errno;
  pid_t parent = getpid();
  int contained = 0;
  pid_t forked = namespace_fork(parent, contain, &contained);
  if (forked == 0) {
    close(report[0]);
    keep(path, argv, envp, directory, output, report[1], parent, contained);
  }
  int error = errno;
  close(report[1]);
  if (forked < 0) {
    close(report[0]);
    return error;
  }
  int message[2] = {0, 0};
  if (read_full(report[0], message, sizeof message) != sizeof message) message[0] = ECHILD;
  if (message[0] != 0) {
    close(report[0]);
    while (waitpid(forked, NULL, 0) < 0 && errno == EINTR) {}
    return message[0];
  }
  *keeper = forked;
  *program = message[1];
  *status = report[0];
  return 0;
}

void cspawn_adopt_orphans(void) { prctl(PR_SET_CHILD_SUBREAPER, 1); }
