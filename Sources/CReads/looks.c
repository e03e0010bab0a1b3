// See CReads.h: the looks (`stat`, `access`), listings (`opendir`, `scandir`, `fts_open`) and
// process starts of the notebook program, recorded as reads.c records its opens.
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#if defined(__linux__)
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <fts.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Looking at a path (`stat`, `access`: `FileManager.fileExists`, `attributesOfItem`) and listing a
// folder (`opendir`, `scandir`: `contentsOfDirectory`; `fts_open`: `enumerator`, a whole tree) are
// recorded whatever the answer: a program that found no `b.txt`, or listed two files, must run
// again when a third appears ('l' looked at, 'd' listed, 't' a tree listed).
typedef int (*stat_f)(const char *, struct stat *);
typedef int (*stat64_f)(const char *, struct stat64 *);
typedef int (*fstatat_f)(int, const char *, struct stat *, int);
typedef int (*fstatat64_f)(int, const char *, struct stat64 *, int);
typedef int (*statx_f)(int, const char *, int, unsigned int, struct statx *);
typedef int (*access_f)(const char *, int);
typedef int (*faccessat_f)(int, const char *, int, int);
typedef DIR *(*opendir_f)(const char *);
typedef int (*scandir_f)(const char *, struct dirent ***, int (*)(const struct dirent *),
                         int (*)(const struct dirent **, const struct dirent **));
typedef FTS *(*fts_open_f)(char *const *, int, int (*)(const FTSENT **, const FTSENT **));

REAL(stat, stat_f)
REAL(lstat, stat_f)
REAL(stat64, stat64_f)
REAL(lstat64, stat64_f)
REAL(fstatat, fstatat_f)
REAL(fstatat64, fstatat64_f)
REAL(statx, statx_f)
REAL(access, access_f)
REAL(faccessat, faccessat_f)
REAL(opendir, opendir_f)
REAL(scandir, scandir_f)
REAL(fts_open, fts_open_f)

int stat(const char *path, struct stat *info) {
  int result = real_stat()(path, info);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

int lstat(const char *path, struct stat *info) {
  int result = real_lstat()(path, info);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

int stat64(const char *path, struct stat64 *info) {
  int result = real_stat64()(path, info);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

int lstat64(const char *path, struct stat64 *info) {
  int result = real_lstat64()(path, info);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

int fstatat(int dirfd, const char *path, struct stat *info, int flags) {
  int result = real_fstatat()(dirfd, path, info, flags);
  handout_keep(dirfd, path, 'l');
  return result;
}

int fstatat64(int dirfd, const char *path, struct stat64 *info, int flags) {
  int result = real_fstatat64()(dirfd, path, info, flags);
  handout_keep(dirfd, path, 'l');
  return result;
}

int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *info) {
  int result = real_statx()(dirfd, path, flags, mask, info);
  handout_keep(dirfd, path, 'l');
  return result;
}

int access(const char *path, int mode) {
  int result = real_access()(path, mode);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

int faccessat(int dirfd, const char *path, int mode, int flags) {
  int result = real_faccessat()(dirfd, path, mode, flags);
  handout_keep(dirfd, path, 'l');
  return result;
}

DIR *opendir(const char *path) {
  DIR *result = real_opendir()(path);
  handout_keep(AT_FDCWD, path, 'd');
  return result;
}

int scandir(const char *path, struct dirent ***list, int (*filter)(const struct dirent *),
            int (*compare)(const struct dirent **, const struct dirent **)) {
  int result = real_scandir()(path, list, filter, compare);
  handout_keep(AT_FDCWD, path, 'd');
  return result;
}

FTS *fts_open(char *const *paths, int options, int (*compare)(const FTSENT **, const FTSENT **)) {
  FTS *result = real_fts_open()(paths, options, compare);
  for (size_t i = 0; paths && paths[i]; i++) handout_keep(AT_FDCWD, paths[i], 't');
  return result;
}

// `readlink` (`destinationOfSymbolicLink`): the link's target is in its look (`Probe.kind`).
typedef ssize_t (*readlink_f)(const char *, char *, size_t);
typedef ssize_t (*readlinkat_f)(int, const char *, char *, size_t);
REAL(readlink, readlink_f)
REAL(readlinkat, readlinkat_f)

ssize_t readlink(const char *path, char *buffer, size_t size) {
  ssize_t result = real_readlink()(path, buffer, size);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

ssize_t readlinkat(int dirfd, const char *path, char *buffer, size_t size) {
  ssize_t result = real_readlinkat()(dirfd, path, buffer, size);
  handout_keep(dirfd, path, 'l');
  return result;
}

// A library loaded by its path (`dlopen("./libw.so")`, beside the notebook) is read by the
// dynamic loader, whose own `open` is not this library's; and `freopen` opens through the C
// library's inner `open`. Both are recorded as reads.
typedef void *(*dlopen_f)(const char *, int);
typedef FILE *(*freopen_f)(const char *, const char *, FILE *);
REAL(dlopen, dlopen_f)
REAL(freopen, freopen_f)
REAL(freopen64, freopen_f)

void *dlopen(const char *path, int flags) {
  void *handle = real_dlopen()(path, flags);
  if (path && strchr(path, '/')) handout_keep(AT_FDCWD, path, 'r');
  return handle;
}

FILE *freopen(const char *path, const char *mode, FILE *stream) {
  FILE *file = real_freopen()(path, mode, stream);
  if (path && mode && (mode[0] == 'r' || strchr(mode, '+'))) handout_keep(AT_FDCWD, path, 'r');
  return file;
}

FILE *freopen64(const char *path, const char *mode, FILE *stream) {
  FILE *file = real_freopen64()(path, mode, stream);
  if (path && mode && (mode[0] == 'r' || strchr(mode, '+'))) handout_keep(AT_FDCWD, path, 'r');
  return file;
}

// A process the program starts reads files this library does not see (it is not in that process):
// each start is recorded ('x', with the command), and `handout` does not cache such a run.
// (`vfork` is left alone: its child borrows the caller's stack, and a wrapper's return would break it.)
typedef int (*spawn_f)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                       char *const[], char *const[]);
typedef int (*execve_f)(const char *, char *const[], char *const[]);
typedef int (*execv_f)(const char *, char *const[]);
typedef pid_t (*fork_f)(void);
typedef int (*system_f)(const char *);
typedef FILE *(*popen_f)(const char *, const char *);

REAL(posix_spawn, spawn_f)
REAL(posix_spawnp, spawn_f)
REAL(execve, execve_f)
REAL(execvpe, execve_f)
REAL(execv, execv_f)
REAL(execvp, execv_f)
REAL(fork, fork_f)
REAL(system, system_f)
REAL(popen, popen_f)

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
  handout_started(path);
  return real_posix_spawn()(pid, path, actions, attributes, argv, envp);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attributes, char *const argv[], char *const envp[]) {
  handout_started(file);
  return real_posix_spawnp()(pid, file, actions, attributes, argv, envp);
}

int execve(const char *path, char *const argv[], char *const envp[]) {
  handout_started(path);
  return real_execve()(path, argv, envp);
}

int execvpe(const char *file, char *const argv[], char *const envp[]) {
  handout_started(file);
  return real_execvpe()(file, argv, envp);
}

int execv(const char *path, char *const argv[]) {
  handout_started(path);
  return real_execv()(path, argv);
}

int execvp(const char *file, char *const argv[]) {
  handout_started(file);
  return real_execvp()(file, argv);
}

pid_t fork(void) {
  handout_started("fork");
  return real_fork()();
}

int system(const char *command) {
  if (command) handout_started(command);
  return real_system()(command);
}

FILE *popen(const char *command, const char *mode) {
  handout_started(command);
  return real_popen()(command, mode);
}

#endif
