// See CReads.h. Every function here may run on any thread, inside any library, before `main` and
// inside a signal handler: the recording takes a mutex, and a thread that is already inside it
// (a signal arriving while it records) records nothing rather than wait for itself.
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include "CReads.h"
#include "internal.h"

#if !defined(__linux__)
// Elsewhere (macOS's two-level namespace) a library's `open` does not stand in for the C
// library's: nothing is recorded.
#include <stdlib.h>
void handout_reads_start(int log) { (void)log; }
void handout_reads_block(int k) { (void)k; }
char *handout_reads_take(size_t *length) {
  *length = 0;
  return NULL;
}
#else

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_int recording;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int inside;
// The log each new entry is written to at once (-1: none), and the block running (-1: none).
static int logFD = -1;
static atomic_int block = -1;

// Every path seen (open addressing, FNV-1a), and the ones not yet taken.
static char **seen;
static size_t seenCapacity, seenCount;
static char **pending;
static size_t pendingCapacity, pendingCount;

void handout_reads_start(int log) {
  pthread_mutex_lock(&lock);
  logFD = log;
  pthread_mutex_unlock(&lock);
  handout_refuse_unseen();
  atomic_store(&recording, 1);
}

void handout_reads_block(int k) { atomic_store(&block, k); }

// `entry` (a kind byte, then the path) to the log as `<kind><block> <path>\0`, in one `write`
// (the log is opened for appending, so a child's or another thread's entry never splits it).
static void logEntry(const char *entry) {
  if (logFD < 0) return;
  char head[16];
  int n = snprintf(head, sizeof head, "%c%d ", entry[0], atomic_load(&block));
  size_t length = (size_t)n + strlen(entry + 1) + 1;
  char *line = malloc(length);
  if (!line) return;
  memcpy(line, head, (size_t)n);
  memcpy(line + n, entry + 1, length - (size_t)n);
  ssize_t written = write(logFD, line, length);
  (void)written;
  free(line);
}

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

// Inserts `path` (owned by the table afterwards); 0 if it was there already or memory ran out.
static int insert(char *path) {
  if (2 * (seenCount + 1) > seenCapacity) {
    size_t capacity = seenCapacity ? 2 * seenCapacity : 256;
    char **grown = calloc(capacity, sizeof(char *));
    if (!grown) return 0;
    for (size_t i = 0; i < seenCapacity; i++) {
      if (!seen[i]) continue;
      size_t j = hash(seen[i]) & (capacity - 1);
      while (grown[j]) j = (j + 1) & (capacity - 1);
      grown[j] = seen[i];
    }
    free(seen);
    seen = grown;
    seenCapacity = capacity;
  }
  size_t j = hash(path) & (seenCapacity - 1);
  for (; seen[j]; j = (j + 1) & (seenCapacity - 1)) {
    if (strcmp(seen[j], path) == 0) return 0;
  }
  if (pendingCount == pendingCapacity) {
    size_t capacity = pendingCapacity ? 2 * pendingCapacity : 64;
    char **grown = realloc(pending, capacity * sizeof(char *));
    if (!grown) return 0;
    pending = grown;
    pendingCapacity = capacity;
  }
  seen[j] = path;
  seenCount++;
  pending[pendingCount++] = path;
  logEntry(path);
  return 1;
}

static int isKernelView(const char *path) {
  return strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/sys/", 5) == 0 || strncmp(path, "/dev/", 5) == 0;
}

// The absolute form of `path`, relative to the folder `dirfd` names (AT_FDCWD: the current one),
// after `kind` ('r' read, 'w' written): a new string, or NULL.
static char *absolute(int dirfd, const char *path, char kind) {
  char base[4096];
  size_t baseLength = 0;
  if (path[0] != '/') {
    if (dirfd == AT_FDCWD) {
      if (!getcwd(base, sizeof base)) return NULL;
    } else {
      char link[64];
      snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
      ssize_t n = readlink(link, base, sizeof base - 1);
      if (n <= 0) return NULL;
      base[n] = 0;
    }
    baseLength = strlen(base);
  }
  size_t length = 1 + baseLength + 1 + strlen(path) + 1;
  char *full = malloc(length);
  if (!full) return NULL;
  if (baseLength && strcmp(path, ".") == 0) {
    snprintf(full, length, "%c%s", kind, base);  // the folder itself (`fdopendir`)
  } else if (baseLength) {
    snprintf(full, length, "%c%s/%s", kind, base, path);
  } else {
    snprintf(full, length, "%c%s", kind, path);
  }
  if (isKernelView(full + 1)) {
    free(full);
    return NULL;
  }
  return full;
}

// Inserts `full` (a kind byte, then the text; owned by the table afterwards, freed if there already).
static void insertLocked(char *full) {
  pthread_mutex_lock(&lock);
  if (!insert(full)) free(full);
  pthread_mutex_unlock(&lock);
}

void handout_keep(int dirfd, const char *path, char kind) {
  if (!atomic_load_explicit(&recording, memory_order_relaxed) || !path || !*path || inside) return;
  int saved = errno;
  inside = 1;
  char *full = absolute(dirfd, path, kind);
  if (full) insertLocked(full);
  inside = 0;
  errno = saved;
}

// Records `text` as `kind`, as given (or "?").
static void note(char kind, const char *text) {
  if (!atomic_load_explicit(&recording, memory_order_relaxed) || inside) return;
  int saved = errno;
  inside = 1;
  if (!text || !*text) text = "?";
  size_t length = strlen(text) + 2;
  char *full = malloc(length);
  if (full) {
    full[0] = kind;
    memcpy(full + 1, text, length - 1);
    insertLocked(full);
  }
  inside = 0;
  errno = saved;
}

// Records that the program started `command` (kind 'x'), as given.
// Not the Swift runtime's crash reporter: it is started from the signal handler of a trap, where
// `malloc` may be the function that trapped (and a run that trapped is not cached anyway).
void handout_started(const char *command) {
  if (command && strstr(command, "/swift-backtrace")) return;
  note('x', command);
}

void handout_unseen(const char *call) { note('u', call); }

// Records `path`, relative to the folder `dirfd` names (AT_FDCWD: the current one): as read when
// opened for reading, as written when opened for writing; after the call, with `fd` what it gave.
// A path that could not be opened for reading is recorded too (a program that looked for a file
// and found none must run again when it appears); a folder is not (fontconfig opens its font
// folders; a listing is recorded by `opendir` and the others, looks.c).
static void record(int dirfd, const char *path, int flags, int fd) {
  if (!atomic_load_explicit(&recording, memory_order_relaxed) || !path || !*path || inside) return;
  int saved = errno;
  struct stat info;
  if (fd >= 0 && fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) goto done;
  if ((flags & O_ACCMODE) != O_WRONLY) handout_keep(dirfd, path, 'r');
  if ((flags & O_ACCMODE) != O_RDONLY && fd >= 0) handout_keep(dirfd, path, 'w');
done:
  errno = saved;
}

char *handout_reads_take(size_t *length) {
  *length = 0;
  int was = inside;
  inside = 1;
  pthread_mutex_lock(&lock);
  size_t total = 0;
  for (size_t i = 0; i < pendingCount; i++) total += strlen(pending[i]) + 1;
  char *buffer = total ? malloc(total) : NULL;
  if (buffer) {
    char *at = buffer;
    for (size_t i = 0; i < pendingCount; i++) {
      size_t n = strlen(pending[i]) + 1;
      memcpy(at, pending[i], n);
      at += n;
    }
    *length = total;
    pendingCount = 0;
  }
  pthread_mutex_unlock(&lock);
  inside = was;
  return buffer;
}

typedef int (*open_f)(const char *, int, ...);
typedef int (*openat_f)(int, const char *, int, ...);
typedef int (*open2_f)(const char *, int);
typedef int (*openat2_f)(int, const char *, int);
typedef FILE *(*fopen_f)(const char *, const char *);
typedef int (*rename_f)(const char *, const char *);
typedef int (*renameat_f)(int, const char *, int, const char *);
typedef int (*renameat2_f)(int, const char *, int, const char *, unsigned int);

REAL(open, open_f)
REAL(open64, open_f)
REAL(openat, openat_f)
REAL(openat64, openat_f)
REAL(__open_2, open2_f)
REAL(__open64_2, open2_f)
REAL(__openat_2, openat2_f)
REAL(__openat64_2, openat2_f)
REAL(fopen, fopen_f)
REAL(fopen64, fopen_f)
REAL(rename, rename_f)
REAL(renameat, renameat_f)
REAL(renameat2, renameat2_f)

// The mode argument is there only when the flags create a file.
static int needsMode(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

#define MODE(flags)              \
  mode_t mode = 0;               \
  if (needsMode(flags)) {        \
    va_list ap;                  \
    va_start(ap, flags);         \
    mode = va_arg(ap, mode_t);   \
    va_end(ap);                  \
  }

int open(const char *path, int flags, ...) {
  MODE(flags)
  int fd = real_open()(path, flags, mode);
  record(AT_FDCWD, path, flags, fd);
  return fd;
}

int open64(const char *path, int flags, ...) {
  MODE(flags)
  int fd = real_open64()(path, flags, mode);
  record(AT_FDCWD, path, flags, fd);
  return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
  MODE(flags)
  int fd = real_openat()(dirfd, path, flags, mode);
  record(dirfd, path, flags, fd);
  return fd;
}

int openat64(int dirfd, const char *path, int flags, ...) {
  MODE(flags)
  int fd = real_openat64()(dirfd, path, flags, mode);
  record(dirfd, path, flags, fd);
  return fd;
}

int __open_2(const char *path, int flags) {
  int fd = real___open_2()(path, flags);
  record(AT_FDCWD, path, flags, fd);
  return fd;
}

int __open64_2(const char *path, int flags) {
  int fd = real___open64_2()(path, flags);
  record(AT_FDCWD, path, flags, fd);
  return fd;
}

int __openat_2(int dirfd, const char *path, int flags) {
  int fd = real___openat_2()(dirfd, path, flags);
  record(dirfd, path, flags, fd);
  return fd;
}

int __openat64_2(int dirfd, const char *path, int flags) {
  int fd = real___openat64_2()(dirfd, path, flags);
  record(dirfd, path, flags, fd);
  return fd;
}

// `fopen`'s mode as `open`'s access: "r" reads, "w" and "a" write, a "+" does both.
static int fopenFlags(const char *mode) {
  if (!mode) return O_RDONLY;
  if (strchr(mode, '+')) return O_RDWR;
  return mode[0] == 'r' ? O_RDONLY : O_WRONLY;
}

// A file renamed into place (Foundation's atomic writes: a temporary file, then `rename`) is
// written under its new name.
static void renamed(int dirfd, const char *to, int result) {
  if (result != 0 || !atomic_load_explicit(&recording, memory_order_relaxed) || !to || !*to || inside) return;
  int saved = errno;
  handout_keep(dirfd, to, 'w');
  errno = saved;
}

int rename(const char *from, const char *to) {
  int result = real_rename()(from, to);
  renamed(AT_FDCWD, to, result);
  return result;
}

int renameat(int fromfd, const char *from, int tofd, const char *to) {
  int result = real_renameat()(fromfd, from, tofd, to);
  renamed(tofd, to, result);
  return result;
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags) {
  int result = real_renameat2()(fromfd, from, tofd, to, flags);
  renamed(tofd, to, result);
  return result;
}

FILE *fopen(const char *path, const char *mode) {
  FILE *file = real_fopen()(path, mode);
  record(AT_FDCWD, path, fopenFlags(mode), file ? fileno(file) : -1);
  return file;
}

FILE *fopen64(const char *path, const char *mode) {
  FILE *file = real_fopen64()(path, mode);
  record(AT_FDCWD, path, fopenFlags(mode), file ? fileno(file) : -1);
  return file;
}

#endif
