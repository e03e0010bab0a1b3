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

/// Starts recording (the runtime calls it at start, under `handout` only).
void handout_reads_start(void);

/// The paths recorded since the last call, each once per run and kind, each as a byte saying how
/// (`r` opened for reading, `w` opened for writing or renamed into place) then the path and a NUL
/// byte, in a buffer the caller frees with `free`; `*length` is its size in bytes (0 and NULL
/// when none).
char *handout_reads_take(size_t *length);

#endif
