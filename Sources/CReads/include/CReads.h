// The files a notebook program opens for reading, as `handout` needs them for its run cache.
//
// A run is keyed on the files it read. `dataFile(_:)` records the file it names, but a program can
// read others it never declared: a path built from a data file's folder
// (`dataFile("a.txt").deletingLastPathComponent().appendingPathComponent("b.txt")`), a file
// listed in a folder beside the notebook. An edit of such a file replayed a stale run. So the
// runtime library defines `open`, `openat`, `fopen` and their variants: the program, Foundation and
// every library call those of the runtime before the C library's (the program links the runtime
// before libc), and each call made for reading (not write-only) is recorded by its absolute path as
// given (symbolic links not followed: the cache looks at what the path names each time), whether or
// not the file was there; a folder opened is not. A file opened for writing, or renamed into place
// (Foundation's atomic writes), is recorded as written (`handout` warns about those beside the
// notebook). `/proc`, `/sys` and `/dev` are left out (the kernel's views and devices, not files
// of the course). Until `handout_reads_start` nothing is recorded, so a unit
// test or a tool that links the runtime only pays one branch per call.
#ifndef CREADS_H
#define CREADS_H

#include <stddef.h>

/// Starts recording (the runtime calls it at start, under `handout` only). Each new entry is also
/// written at once to `log` (a descriptor opened for appending; -1: none) as a kind byte, the
/// running block's index (`-1` outside any) in decimal, a space, the path and a NUL byte: a program
/// that crashes loses no entry (the runtime's `opened` events are sent at block starts and at the end).
void handout_reads_start(int log);

/// Block `k` starts (the runtime calls it): entries logged from now on name it.
void handout_reads_block(int k);

/// The paths recorded since the last call, each once per run and kind, each as a byte saying how
/// (`r` opened for reading, `w` opened for writing or renamed into place, `l` looked at with `stat`
/// or `access`, `d` listed, `t` listed as a tree with `fts_open`, `x` a process started: the
/// command as given, `u` a system call by number that cannot be recorded: its name, syscalls.c)
/// then the path and a NUL
/// byte, in a buffer the caller frees with `free`; `*length` is its size in bytes (0 and NULL
/// when none).
char *handout_reads_take(size_t *length);

#endif
