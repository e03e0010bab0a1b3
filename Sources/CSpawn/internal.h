// What CSpawn's files share; not part of its interface.
#ifndef CSPAWN_INTERNAL_H
#define CSPAWN_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

/// Where `handout`'s command line lies (/proc/self/stat fields 48 and 49), recorded by
/// `cspawn_hide_environment` (environment.c); 0 and 0 when it was not called (a test runner).
extern uintptr_t arguments_start, arguments_end;

// The keeper's PID namespace (namespace.c).

/// The parent pid in /proc's numbering from the `stat` file at `path`, or -1 (spawn.c).
long parent_in(const char *path);

/// Forks a keeper of `parent` (this process): when `contain` is not 0, in a user and PID namespace
/// of its own, its ids mapped, where the kernel allows it (`*contained` is then 1, on both sides);
/// else a plain fork.
pid_t namespace_fork(pid_t parent, int contain, int *contained);
/// This process's pid in /proc's numbering (the host's), or 0.
pid_t namespace_host_pid(void);
/// In the program's side, before its exec: `handout`'s capability bounding set again, and a /proc
/// of the namespace's own in a mount namespace of this process's own (nothing changes when either
/// is refused).
void namespace_enter(void);
/// From the namespace's init: kills every other process in it and reaps them all, recording
/// `program`'s status when it is reaped here.
void namespace_end(pid_t program, int *program_status, int *program_done);

#endif
