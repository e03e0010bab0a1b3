// What reads.c and looks.c share (Linux only): recording a path, recording a process started,
// and finding the C library's definition of a function this library also defines.
#ifndef CREADS_INTERNAL_H
#define CREADS_INTERNAL_H
#if defined(__linux__)
#include <dlfcn.h>
#include <stdatomic.h>

/// Records `path` (relative to the folder `dirfd` names; AT_FDCWD: the current one) as `kind`,
/// once per run and kind; nothing while not recording or from inside the recorder itself.
__attribute__((visibility("hidden"))) void handout_keep(int dirfd, const char *path, char kind);

/// Records that the program started `command` ('x').
__attribute__((visibility("hidden"))) void handout_started(const char *command);

/// Records that the program made `call`, a system call by number this library cannot record ('u').
__attribute__((visibility("hidden"))) void handout_unseen(const char *call);

/// Makes the calls this library cannot see fail with ENOSYS from now on (syscalls.c).
__attribute__((visibility("hidden"))) void handout_refuse_unseen(void);

// The C library's functions, looked up once each (the next definition after this library's).
#define REAL(name, type)                                                  \
  static type real_##name(void) {                                         \
    static _Atomic(type) cached;                                          \
    type f = atomic_load_explicit(&cached, memory_order_acquire);         \
    if (!f) {                                                             \
      f = (type)dlsym(RTLD_NEXT, #name);                                  \
      atomic_store_explicit(&cached, f, memory_order_release);            \
    }                                                                     \
    return f;                                                             \
  }

#endif
#endif
