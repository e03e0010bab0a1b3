#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Each keeper asked to contain its program (the notebook program's, Chromium's; the toolchain's
// keepers are plain forks) is the first process (the init) of a PID namespace of its own, in a
// user namespace of its own that maps the user's ids to themselves (an unprivileged user may make
// a PID namespace only together with a user namespace). Two things follow, whatever the notebook program does:
//
// - When the keeper dies, even by SIGKILL from outside (`killall -9 /path/to/handout` matches the
//   keepers, forks of `handout`), the kernel kills every process in the namespace: nothing the
//   program started, in whatever session, runs on under init.
// - From inside, neither the keeper nor `handout` can be signalled: the kernel drops a SIGKILL
//   from inside to the namespace's init (by pid or pidfd), and `handout` has no pid there.
//
// The program sees pid 2 and parent 1 (`getpid`, `getppid`), and a /proc of its namespace's own
// (mounted in a mount namespace of its own): no process outside it. Its files are the user's
// (the map is the identity). Where namespaces are refused (a container's
// seccomp profile, `kernel.unprivileged_userns_clone=0`, `user.max_user_namespaces=0`), the keeper
// is a plain fork and only its subreaper and parent-death signals hold (README).
//
// After the clone: async-signal-safe calls only, no malloc (as in spawn.c).

/// `handout`'s capability bounding set (bit n: capability n), read before each clone: the
/// namespace's first process gets every capability in it, bounding set included, and a program
/// run as root would then have again what `handout` was run without (`setpriv --bounding-set`, a
/// container's dropped capabilities: CAP_DAC_OVERRIDE read a mode-0200 file).
static unsigned long long bounding = ~0ULL;

/// 1 once the kernel refused a namespace for good (EPERM, EINVAL, ENOSYS, or a map refused):
/// not asked again.
static volatile int refused = 0;

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t length = strlen(text);
  ssize_t n = write(fd, text, length);
  close(fd);
  return n == (ssize_t)length ? 0 : -1;
}

/// `/proc/<pid>/<name>`.
static void proc_path(char *path, pid_t pid, const char *name) {
  char digits[24];
  int k = 0;
  do {
    digits[k++] = (char)('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  memcpy(path, "/proc/", 6);
  int at = 6;
  while (k > 0) path[at++] = digits[--k];
  path[at++] = '/';
  memcpy(path + at, name, strlen(name) + 1);
}

/// `<id> <id> 1\n`: the id as itself, alone.
static void identity_line(char *line, unsigned long id) {
  char digits[24];
  int k = 0;
  do {
    digits[k++] = (char)('0' + id % 10);
    id /= 10;
  } while (id > 0);
  int at = 0;
  for (int copy = 0; copy < 2; copy++) {
    for (int i = k - 1; i >= 0; i--) line[at++] = digits[i];
    line[at++] = ' ';
  }
  memcpy(line + at, "1\n", 3);
}

/// Maps the ids of the keeper `pid`'s user namespace to themselves, from outside it: all of them
/// when `handout` may (root: a notebook run by root still writes where root could, and its files
/// are root's), else the user's own (an unprivileged user may map only those, and setgroups(2)
/// must be off first). 0, or -1.
static int map_ids(pid_t pid) {
  static const char all[] = "0 0 4294967295\n";
  char path[64], line[64];
  proc_path(path, pid, "uid_map");
  identity_line(line, geteuid());
  if (write_file(path, all) != 0 && write_file(path, line) != 0) return -1;
  proc_path(path, pid, "gid_map");
  if (write_file(path, all) == 0) return 0;
  char setgroups[64];
  proc_path(setgroups, pid, "setgroups");
  identity_line(line, getegid());
  return write_file(setgroups, "deny") == 0 && write_file(path, line) == 0 ? 0 : -1;
}

pid_t namespace_fork(pid_t parent, int contain, int *contained) {
  *contained = 0;
  if (!contain) return _Fork();
  int go[2];
  bounding = 0;
  for (int cap = 0; cap < 64; cap++)
    if (prctl(PR_CAPBSET_READ, cap) == 1) bounding |= 1ULL << cap;
  if (!refused && pipe2(go, O_CLOEXEC) == 0) {
    // `fork` with two new namespaces: no stack given, so the child goes on from here on a copy.
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD;
    long pid = syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
    if (pid == 0) {
      // Waits until `handout` has mapped its ids (its files are the user's from the first).
      close(go[1]);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (parent_in("/proc/self/stat") != parent) _exit(127);
      char mapped = 0;
      while (read(go[0], &mapped, 1) < 0 && errno == EINTR) {}
      if (mapped != 1) _exit(127);
      close(go[0]);
      *contained = 1;
      return 0;
    }
    int error = errno;
    close(go[0]);
    if (pid > 0) {
      char mapped = map_ids((pid_t)pid) == 0;
      while (write(go[1], &mapped, 1) < 0 && errno == EINTR) {}
      close(go[1]);
      if (mapped) {
        *contained = 1;
        return (pid_t)pid;
      }
      while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR) {}
      refused = 1;
    } else {
      close(go[1]);
      if (error == EPERM || error == EINVAL || error == ENOSYS) refused = 1;
    }
  }
  return _Fork();
}

pid_t namespace_host_pid(void) {
  // /proc is the host's, so /proc/self names this process by its host pid.
  char link[32];
  ssize_t n = readlink("/proc/self", link, sizeof link - 1);
  if (n <= 0) return 0;
  long pid = 0;
  for (ssize_t i = 0; i < n; i++) {
    if (link[i] < '0' || link[i] > '9') return 0;
    pid = pid * 10 + (link[i] - '0');
  }
  return (pid_t)pid;
}

void namespace_enter(void) {
  // The host's /proc names the program's threads by the host's numbers while `getpid` gives the
  // namespace's: Swift's crash backtracer, which suspends each thread it lists there with
  // tgkill(getpid(), tid), then failed, and a trap lost its notebook line. A /proc of the
  // namespace's own (as `unshare --mount-proc`) agrees with `getpid`, and shows no process outside.
  if (unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  // What `handout` could not do, the program cannot either: the bounding set is `handout`'s again,
  // so a program run as root gets at most the capabilities `handout` had (in the namespace).
  for (int cap = 0; cap < 64; cap++)
    if (!(bounding & (1ULL << cap))) prctl(PR_CAPBSET_DROP, cap);
}

void namespace_end(pid_t program, int *program_status, int *program_done) {
  // From the namespace's init, kill(-1) reaches every other process in it, whatever its session;
  // each orphan comes to this process, so waiting until none is left ends them all.
  for (;;) {
    kill(-1, SIGKILL);
    int status = 0;
    pid_t reaped = waitpid(-1, &status, 0);
    if (reaped < 0 && errno == EINTR) continue;
    if (reaped < 0) return;
    if (reaped == program && !*program_done) {
      *program_status = status;
      *program_done = 1;
    }
  }
}
