// Starting a child process that cannot outlive `handout`: the one place that forks.
//
// Swift cannot run code between fork and exec, and posix_spawn cannot set a parent-death signal
// or make a subreaper, so this small C target does both, with only async-signal-safe calls after
// each fork (`handout` has many threads).
#ifndef CSPAWN_H
#define CSPAWN_H

#include <sys/types.h>

/// Starts `path` with exactly `argv` and `envp`, in `directory` (NULL: the current one), stdin
/// from /dev/null and stdout and stderr on `output`, every signal at its default and none blocked,
/// in a session of its own (its session and group id are its pid), with an 8 MiB stack limit and
/// 1024 open files (or the hard limits when lower), and the soft CPU-time, address-space, data and
/// processes limits at the hard ones.
///
/// Between `handout` and the program stands a keeper: a fork of `handout` (no exec, so its
/// /proc/<pid>/environ is `handout`'s) that is a child subreaper, so every descendant of the
/// program, even one that left the session (`setsid`, a double fork), is re-parented to it and
/// ended with the run. The keeper ends when the program has ended: it then kills (SIGKILL) and
/// reaps every descendant left, writes the program's raw wait status (an `int`) to `status`'s
/// write end and exits. A program killed at the hard CPU-time limit (`ulimit -t`; its SIGKILL) is
/// reported as killed by SIGXCPU, the signal that says so. When `handout` dies (even by SIGKILL;
/// the parent-death signal), the keeper does the same at once. The program itself gets SIGKILL if
/// the keeper dies. The keeper is in a process group of its own and is called `run-keeper` (its
/// `comm` and, after `cspawn_hide_environment`, its command line), so killing `handout` by name,
/// command line or process group (`killall`, `pkill -f`, `timeout -s KILL`) leaves it to end the
/// rest.
///
/// Where `contain` is not 0 (the notebook program, Chromium; not the toolchain) and the kernel
/// allows it, the keeper is also the first process of a PID namespace of its own, in a user
/// namespace that maps the user's ids to themselves (all ids when `handout` may map them:
/// root): the program cannot signal its keeper or `handout` (neither has a pid in its namespace,
/// and the namespace's init ignores a SIGKILL from inside), and when the keeper dies, by whatever
/// kill, the kernel ends every process in the namespace. The program then sees itself as pid 2 and
/// its parent as 1, and a /proc of the namespace's own (in a mount namespace of its own); the
/// pid returned here is the host's. Elsewhere the
/// keeper is a plain fork (namespace.c).
///
/// The parent-death signal follows the *thread* that called this: it must outlive the child
/// (`handout` waits for each child on the thread that started it).
///
/// Returns 0, with the keeper's pid (to `waitpid`), the program's pid (its session) and the read
/// end of the status pipe (close-on-exec); or the `errno` value why the program could not start.
int cspawn_start(const char *path, char *const argv[], char *const envp[], const char *directory,
                 int output, int contain, pid_t *keeper, pid_t *program, int *status);

/// Makes this process's /proc/<pid>/environ show nothing: the environment is copied to the heap
/// (where /proc does not look), and the block the kernel shows is zeroed. Call first in `main`,
/// before any thread starts and before anything keeps a pointer from `getenv`. Also records where
/// the command line lies, for keepers to overwrite theirs.
void cspawn_hide_environment(void);

/// Makes this process the one that adopts the orphans of its descendants (instead of init), so a
/// process a notebook program detached before killing its keeper is still `handout`'s to end
/// (`Strays.collect`). Call in `main` before any child starts.
void cspawn_adopt_orphans(void);

/// Whether this CPU runs Neural's product kernel named `isa` (`sse2`, `avx2`, `avx512`, lower
/// case): 1 or 0, as Neural decides it (`neural_isa_supported`).
int cspawn_cpu_runs(const char *isa);

#endif
