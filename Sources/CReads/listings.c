// See CReads.h: the listings the C library makes through its own inner calls, which the `opendir`
// of looks.c does not see: `glob` (its folders), `nftw` and `ftw` (a tree), `fdopendir` (the
// folder its descriptor names), `scandirat`, and `realpath` (a look at each link on the way).
// A program that counted `data/*.csv` with `glob` replayed the old count after a file was added.
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#if defined(__linux__)
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The folder a glob pattern lists, recorded as listed ('d') when only the last part of the pattern
// has a wildcard (`data/*.csv`: the folder `data`), as a tree ('t') from the last folder before
// the first wildcard when a folder has one (`data/*/x.csv`: every folder below `data` may be
// listed); a pattern without a wildcard is a look ('l') at the path it names.
static void keepFolders(const char *pattern) {
  size_t length = strlen(pattern);
  size_t wildcard = strcspn(pattern, "*?[");
  if (wildcard == length) {
    handout_keep(AT_FDCWD, pattern, 'l');
    return;
  }
  // The folder part before the wildcard's component, and whether a '/' follows the wildcard.
  size_t cut = wildcard;
  while (cut > 0 && pattern[cut - 1] != '/') cut--;
  int deeper = strchr(pattern + wildcard, '/') != NULL;
  char *folder = malloc(cut + 2);
  if (!folder) return;
  if (cut == 0) {
    strcpy(folder, ".");
  } else if (cut == 1) {
    strcpy(folder, "/");
  } else {
    memcpy(folder, pattern, cut - 1);
    folder[cut - 1] = 0;
  }
  handout_keep(AT_FDCWD, folder, deeper ? 't' : 'd');
  free(folder);
}

// The pattern as `glob` reads it: with `GLOB_TILDE`, a leading `~/` is `$HOME` (the run's own)
// and `~name/` that user's home, as glob expands them (`~root/data/*.csv` lists `/root/data`, not
// a folder `~root` beside the program).
static void keepPattern(const char *pattern, int flags) {
  if (!pattern || !*pattern) return;
  if (!(flags & (GLOB_TILDE | GLOB_TILDE_CHECK)) || pattern[0] != '~') return keepFolders(pattern);
  size_t nameLength = strcspn(pattern + 1, "/");
  const char *home = NULL;
  char name[256];
  if (nameLength == 0) {
    home = getenv("HOME");
  } else if (nameLength < sizeof name) {
    memcpy(name, pattern + 1, nameLength);
    name[nameLength] = 0;
    struct passwd entry, *found = NULL;
    char buffer[4096];
    if (getpwnam_r(name, &entry, buffer, sizeof buffer, &found) == 0 && found) home = found->pw_dir;
  }
  if (!home) return keepFolders(pattern);  // glob leaves it as written
  const char *rest = pattern + 1 + nameLength;
  size_t length = strlen(home) + strlen(rest) + 1;
  char *expanded = malloc(length);
  if (!expanded) return;
  snprintf(expanded, length, "%s%s", home, rest);
  keepFolders(expanded);
  free(expanded);
}

typedef int (*glob_f)(const char *, int, int (*)(const char *, int), glob_t *);
typedef int (*glob64_f)(const char *, int, int (*)(const char *, int), glob64_t *);
REAL(glob, glob_f)
REAL(glob64, glob64_f)

int glob(const char *pattern, int flags, int (*errors)(const char *, int), glob_t *found) {
  int result = real_glob()(pattern, flags, errors, found);
  keepPattern(pattern, flags);
  return result;
}

int glob64(const char *pattern, int flags, int (*errors)(const char *, int), glob64_t *found) {
  int result = real_glob64()(pattern, flags, errors, found);
  keepPattern(pattern, flags);
  return result;
}

typedef int (*nftw_f)(const char *, int (*)(const char *, const struct stat *, int, struct FTW *), int, int);
typedef int (*nftw64_f)(const char *, int (*)(const char *, const struct stat64 *, int, struct FTW *), int,
                        int);
typedef int (*ftw_f)(const char *, int (*)(const char *, const struct stat *, int), int);
typedef int (*ftw64_f)(const char *, int (*)(const char *, const struct stat64 *, int), int);
REAL(nftw, nftw_f)
REAL(nftw64, nftw64_f)
REAL(ftw, ftw_f)
REAL(ftw64, ftw64_f)

// Recorded before the walk: the callback may be where the program stops (`exit`, a trap).
int nftw(const char *path, int (*visit)(const char *, const struct stat *, int, struct FTW *), int fds,
         int flags) {
  handout_keep(AT_FDCWD, path, 't');
  return real_nftw()(path, visit, fds, flags);
}

int nftw64(const char *path, int (*visit)(const char *, const struct stat64 *, int, struct FTW *), int fds,
           int flags) {
  handout_keep(AT_FDCWD, path, 't');
  return real_nftw64()(path, visit, fds, flags);
}

int ftw(const char *path, int (*visit)(const char *, const struct stat *, int), int fds) {
  handout_keep(AT_FDCWD, path, 't');
  return real_ftw()(path, visit, fds);
}

int ftw64(const char *path, int (*visit)(const char *, const struct stat64 *, int), int fds) {
  handout_keep(AT_FDCWD, path, 't');
  return real_ftw64()(path, visit, fds);
}

typedef DIR *(*fdopendir_f)(int);
typedef int (*scandirat_f)(int, const char *, struct dirent ***, int (*)(const struct dirent *),
                           int (*)(const struct dirent **, const struct dirent **));
REAL(fdopendir, fdopendir_f)
REAL(scandirat, scandirat_f)

DIR *fdopendir(int fd) {
  DIR *result = real_fdopendir()(fd);
  if (result) handout_keep(fd, ".", 'd');
  return result;
}

int scandirat(int dirfd, const char *path, struct dirent ***list, int (*filter)(const struct dirent *),
              int (*compare)(const struct dirent **, const struct dirent **)) {
  int result = real_scandirat()(dirfd, path, list, filter, compare);
  handout_keep(dirfd, path, 'd');
  return result;
}

typedef char *(*realpath_f)(const char *, char *);
typedef char *(*canonicalize_f)(const char *);
REAL(realpath, realpath_f)
REAL(canonicalize_file_name, canonicalize_f)

// What a path resolves to is what its links say: a look at the path (its kind, a link's target).
char *realpath(const char *path, char *resolved) {
  char *result = real_realpath()(path, resolved);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

char *canonicalize_file_name(const char *path) {
  char *result = real_canonicalize_file_name()(path);
  handout_keep(AT_FDCWD, path, 'l');
  return result;
}

#endif
