// SHA-256's compression function on the CPU's SHA extensions (x86-64 SHA-NI), for `Literate`'s
// `SHA256`: every render hashes the output files it owns that it cannot vouch for by their stamps,
// and the portable Swift rounds ran at ~170 MB/s, 15–20 ms of a warm render of notebook 02 (issue
// 25); these run at ~1.5 GB/s. A digest is the same bits on either path (the tests compare them);
// where the CPU has no SHA extensions (most Intel server CPUs before Ice Lake, ARM64 here) Swift's
// rounds run.
#ifndef CDIGEST_H
#define CDIGEST_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and SSSE3 and SSE4.1, which the rounds use), else 0.
int cdigest_sha256_hardware(void);

/// Runs `blocks` 64-byte blocks of `data` through the compression function into `state` (the
/// eight words a, b, …, h, as FIPS 180-4 names them). Only where `cdigest_sha256_hardware()` is 1.
void cdigest_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
