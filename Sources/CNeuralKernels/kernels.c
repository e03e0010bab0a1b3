// The matrix product's kernels: SSE2, AVX2 and AVX-512, chosen at run time (see CNeuralKernels.h).
//
// Exact on every path: each element's sum runs over p = 0 … k−1 in order, one rounded multiply and
// one rounded add per term (`_mm*_mul_pd` then `_mm*_add_pd`, no FMA: this file is compiled with
// -ffp-contract=off, the pragma below says so again, and `make same-bits` checks the object has no
// vfmadd). Packing copies values; blocking over k stores a partial sum and reloads it exactly. The
// result is the textbook loop's, bit for bit, whatever the vector width or the tile shape.

#pragma clang fp contract(off)

#include "CNeuralKernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
#include <cpuid.h>
#include <immintrin.h>
#endif

int neural_isa_supported(int isa) {
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  __builtin_cpu_init();
  switch (isa) {
  case NEURAL_ISA_SSE2: return 1;
  case NEURAL_ISA_AVX2: return __builtin_cpu_supports("avx2") ? 1 : 0;
  case NEURAL_ISA_AVX512: return __builtin_cpu_supports("avx512f") ? 1 : 0;
  default: return 0;
  }
#else
  return isa == NEURAL_ISA_SSE2;  // elsewhere the baseline path is portable C (see kernel_sse2)
#endif
}

int neural_halves_512(void) {
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  // AMD family 19h is Zen 3 and Zen 4; of them only Zen 4 has AVX-512, and it runs each 512-bit
  // operation as two 256-bit halves (bench/README.md 48.).
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return 0;
  const int amd = ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163;  // "AuthenticAMD"
  if (!amd || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  const unsigned base = (eax >> 8) & 0xf, family = base == 0xf ? base + ((eax >> 20) & 0xff) : base;
  return family == 0x19 && neural_isa_supported(NEURAL_ISA_AVX512);
#else
  return 0;
#endif
}

/// Rows of C per micro-tile (every path) and depth of one block of k.
#define MR 4
#define KC 256
/// Rows of C per pass over B's packed panels (their MC·KC doubles of A, 256 KiB, stay in L2).
#define MC 128

/// A micro-kernel: C[0..<MR, 0..<NR] (row stride ldc) = (first ? 0 : C) + Σₚ A[t, p]·B[p, j] over
/// p < kb in order, A's (t, p) at a[t·ars + p·acs] (packed: ars = 1, acs = MR; or A read in place),
/// B packed as b[p·NR + j]; then + bias[j] (NR values) when bias is not NULL, one more rounded add.
typedef void (*micro_kernel)(
  ptrdiff_t kb, const double *a, ptrdiff_t ars, ptrdiff_t acs, const double *b, double *c, ptrdiff_t ldc, int first,
  const double *bias);

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
// SSE2: 4 × 4, eight 2-double accumulators.
static void kernel_sse2(
  ptrdiff_t kb, const double *a, ptrdiff_t ars, ptrdiff_t acs, const double *b, double *c, ptrdiff_t ldc, int first,
  const double *bias) {
  const ptrdiff_t ars2 = 2 * ars, ars3 = 3 * ars;
  __m128d c00, c01, c10, c11, c20, c21, c30, c31;
  if (first) {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm_setzero_pd();
  } else {
    c00 = _mm_loadu_pd(c), c01 = _mm_loadu_pd(c + 2);
    c10 = _mm_loadu_pd(c + ldc), c11 = _mm_loadu_pd(c + ldc + 2);
    c20 = _mm_loadu_pd(c + 2 * ldc), c21 = _mm_loadu_pd(c + 2 * ldc + 2);
    c30 = _mm_loadu_pd(c + 3 * ldc), c31 = _mm_loadu_pd(c + 3 * ldc + 2);
  }
  for (ptrdiff_t p = 0; p < kb; p++, a += acs, b += 4) {
    __m128d b0 = _mm_loadu_pd(b), b1 = _mm_loadu_pd(b + 2);
    __m128d a0 = _mm_set1_pd(a[0]), a1 = _mm_set1_pd(a[ars]), a2 = _mm_set1_pd(a[ars2]), a3 = _mm_set1_pd(a[ars3]);
    c00 = _mm_add_pd(c00, _mm_mul_pd(a0, b0)), c01 = _mm_add_pd(c01, _mm_mul_pd(a0, b1));
    c10 = _mm_add_pd(c10, _mm_mul_pd(a1, b0)), c11 = _mm_add_pd(c11, _mm_mul_pd(a1, b1));
    c20 = _mm_add_pd(c20, _mm_mul_pd(a2, b0)), c21 = _mm_add_pd(c21, _mm_mul_pd(a2, b1));
    c30 = _mm_add_pd(c30, _mm_mul_pd(a3, b0)), c31 = _mm_add_pd(c31, _mm_mul_pd(a3, b1));
  }
  if (bias) {  // the sums done: + bias[j], one rounded add each (`neural_add_row`'s)
    const __m128d v0 = _mm_loadu_pd(bias), v1 = _mm_loadu_pd(bias + 2);
    c00 = _mm_add_pd(c00, v0), c01 = _mm_add_pd(c01, v1), c10 = _mm_add_pd(c10, v0), c11 = _mm_add_pd(c11, v1);
    c20 = _mm_add_pd(c20, v0), c21 = _mm_add_pd(c21, v1), c30 = _mm_add_pd(c30, v0), c31 = _mm_add_pd(c31, v1);
  }
  _mm_storeu_pd(c, c00), _mm_storeu_pd(c + 2, c01);
  _mm_storeu_pd(c + ldc, c10), _mm_storeu_pd(c + ldc + 2, c11);
  _mm_storeu_pd(c + 2 * ldc, c20), _mm_storeu_pd(c + 2 * ldc + 2, c21);
  _mm_storeu_pd(c + 3 * ldc, c30), _mm_storeu_pd(c + 3 * ldc + 2, c31);
}

#else
// Not x86-64: the baseline path in plain C, the same sums in the same order (4 × 4).
static void kernel_sse2(
  ptrdiff_t kb, const double *a, ptrdiff_t ars, ptrdiff_t acs, const double *b, double *c, ptrdiff_t ldc, int first,
  const double *bias) {
  double acc[MR][4];
  for (int t = 0; t < MR; t++) {
    for (int j = 0; j < 4; j++) acc[t][j] = first ? 0.0 : c[t * ldc + j];
  }
  for (ptrdiff_t p = 0; p < kb; p++, a += acs, b += 4) {
    for (int t = 0; t < MR; t++) {
      for (int j = 0; j < 4; j++) acc[t][j] = acc[t][j] + a[t * ars] * b[j];
    }
  }
  for (int t = 0; t < MR; t++) {
    for (int j = 0; j < 4; j++) c[t * ldc + j] = bias ? acc[t][j] + bias[j] : acc[t][j];
  }
}
#endif

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
// AVX2: 4 × 8, eight 4-double accumulators (only AVX instructions are needed; AVX2 names the
// generation, and no FMA is enabled).
__attribute__((target("avx2"))) static void kernel_avx2(
  ptrdiff_t kb, const double *a, ptrdiff_t ars, ptrdiff_t acs, const double *b, double *c, ptrdiff_t ldc,
  int first, const double *bias) {
  const ptrdiff_t ars2 = 2 * ars, ars3 = 3 * ars;
  __m256d c00, c01, c10, c11, c20, c21, c30, c31;
  if (first) {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm256_setzero_pd();
  } else {
    c00 = _mm256_loadu_pd(c), c01 = _mm256_loadu_pd(c + 4);
    c10 = _mm256_loadu_pd(c + ldc), c11 = _mm256_loadu_pd(c + ldc + 4);
    c20 = _mm256_loadu_pd(c + 2 * ldc), c21 = _mm256_loadu_pd(c + 2 * ldc + 4);
    c30 = _mm256_loadu_pd(c + 3 * ldc), c31 = _mm256_loadu_pd(c + 3 * ldc + 4);
  }
  for (ptrdiff_t p = 0; p < kb; p++, a += acs, b += 8) {
    __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
    __m256d a0 = _mm256_broadcast_sd(a), a1 = _mm256_broadcast_sd(a + ars);
    __m256d a2 = _mm256_broadcast_sd(a + ars2), a3 = _mm256_broadcast_sd(a + ars3);
    c00 = _mm256_add_pd(c00, _mm256_mul_pd(a0, b0)), c01 = _mm256_add_pd(c01, _mm256_mul_pd(a0, b1));
    c10 = _mm256_add_pd(c10, _mm256_mul_pd(a1, b0)), c11 = _mm256_add_pd(c11, _mm256_mul_pd(a1, b1));
    c20 = _mm256_add_pd(c20, _mm256_mul_pd(a2, b0)), c21 = _mm256_add_pd(c21, _mm256_mul_pd(a2, b1));
    c30 = _mm256_add_pd(c30, _mm256_mul_pd(a3, b0)), c31 = _mm256_add_pd(c31, _mm256_mul_pd(a3, b1));
  }
  if (bias) {
    const __m256d v0 = _mm256_loadu_pd(bias), v1 = _mm256_loadu_pd(bias + 4);
    c00 = _mm256_add_pd(c00, v0), c01 = _mm256_add_pd(c01, v1), c10 = _mm256_add_pd(c10, v0);
    c11 = _mm256_add_pd(c11, v1), c20 = _mm256_add_pd(c20, v0), c21 = _mm256_add_pd(c21, v1);
    c30 = _mm256_add_pd(c30, v0), c31 = _mm256_add_pd(c31, v1);
  }
  _mm256_storeu_pd(c, c00), _mm256_storeu_pd(c + 4, c01);
  _mm256_storeu_pd(c + ldc, c10), _mm256_storeu_pd(c + ldc + 4, c11);
  _mm256_storeu_pd(c + 2 * ldc, c20), _mm256_storeu_pd(c + 2 * ldc + 4, c21);
  _mm256_storeu_pd(c + 3 * ldc, c30), _mm256_storeu_pd(c + 3 * ldc + 4, c31);
}

// AVX-512: 4 × 16, eight 8-double accumulators.
__attribute__((target("avx512f"))) static void kernel_avx512(
  ptrdiff_t kb, const double *a, ptrdiff_t ars, ptrdiff_t acs, const double *b, double *c, ptrdiff_t ldc,
  int first, const double *bias) {
  const ptrdiff_t ars2 = 2 * ars, ars3 = 3 * ars;
  __m512d c00, c01, c10, c11, c20, c21, c30, c31;
  if (first) {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = _mm512_setzero_pd();
  } else {
    c00 = _mm512_loadu_pd(c), c01 = _mm512_loadu_pd(c + 8);
    c10 = _mm512_loadu_pd(c + ldc), c11 = _mm512_loadu_pd(c + ldc + 8);
    c20 = _mm512_loadu_pd(c + 2 * ldc), c21 = _mm512_loadu_pd(c + 2 * ldc + 8);
    c30 = _mm512_loadu_pd(c + 3 * ldc), c31 = _mm512_loadu_pd(c + 3 * ldc + 8);
  }
  for (ptrdiff_t p = 0; p < kb; p++, a += acs, b += 16) {
    __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
    __m512d a0 = _mm512_set1_pd(a[0]), a1 = _mm512_set1_pd(a[ars]);
    __m512d a2 = _mm512_set1_pd(a[ars2]), a3 = _mm512_set1_pd(a[ars3]);
    c00 = _mm512_add_pd(c00, _mm512_mul_pd(a0, b0)), c01 = _mm512_add_pd(c01, _mm512_mul_pd(a0, b1));
    c10 = _mm512_add_pd(c10, _mm512_mul_pd(a1, b0)), c11 = _mm512_add_pd(c11, _mm512_mul_pd(a1, b1));
    c20 = _mm512_add_pd(c20, _mm512_mul_pd(a2, b0)), c21 = _mm512_add_pd(c21, _mm512_mul_pd(a2, b1));
    c30 = _mm512_add_pd(c30, _mm512_mul_pd(a3, b0)), c31 = _mm512_add_pd(c31, _mm512_mul_pd(a3, b1));
  }
  if (bias) {
    const __m512d v0 = _mm512_loadu_pd(bias), v1 = _mm512_loadu_pd(bias + 8);
    c00 = _mm512_add_pd(c00, v0), c01 = _mm512_add_pd(c01, v1), c10 = _mm512_add_pd(c10, v0);
    c11 = _mm512_add_pd(c11, v1), c20 = _mm512_add_pd(c20, v0), c21 = _mm512_add_pd(c21, v1);
    c30 = _mm512_add_pd(c30, v0), c31 = _mm512_add_pd(c31, v1);
  }
  _mm512_storeu_pd(c, c00), _mm512_storeu_pd(c + 8, c01);
  _mm512_storeu_pd(c + ldc, c10), _mm512_storeu_pd(c + ldc + 8, c11);
  _mm512_storeu_pd(c + 2 * ldc, c20), _mm512_storeu_pd(c + 2 * ldc + 8, c21);
  _mm512_storeu_pd(c + 3 * ldc, c30), _mm512_storeu_pd(c + 3 * ldc + 8, c31);
}

#endif

/// c[i][j] = c[i][j] + bias[j] for i < rows, j < cols: `neural_add_row`'s sums.
static void add_bias(ptrdiff_t rows, ptrdiff_t cols, double *restrict c, ptrdiff_t ldc, const double *restrict bias) {
  for (ptrdiff_t i = 0; i < rows; i++) {
    for (ptrdiff_t j = 0; j < cols; j++) c[i * ldc + j] = c[i * ldc + j] + bias[j];
  }
}

void neural_product(
  int isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
  const double *b, ptrdiff_t brs, ptrdiff_t bcs, double *c, ptrdiff_t ldc, const double *bias) {
  micro_kernel kernel = kernel_sse2;
  ptrdiff_t nr = 4;
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  if (isa == NEURAL_ISA_AVX512) kernel = kernel_avx512, nr = 16;
  else if (isa == NEURAL_ISA_AVX2) kernel = kernel_avx2, nr = 8;
#endif
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // the empty sum
    for (ptrdiff_t i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(double));
    if (bias) add_bias(m, n, c, ldc, bias);
    return;
  }
  const ptrdiff_t panels = (n + nr - 1) / nr;
  // Blocks of k as even as they go (W6's 784 is 4 × 196, not 3 × 256 + 16: a short last block
  // spends most of its time loading and storing C).
  const ptrdiff_t kblocks = (k + KC - 1) / KC;
  const ptrdiff_t kc = (k + kblocks - 1) / kblocks;
  double *packedB = malloc((size_t)(kc * panels * nr) * sizeof(double));
  // A's full tiles are read where A lies (row-major: MR streams; transposed: the MR values of a step
  // side by side); only a tile hanging over the last row is packed, with zeros past m. Packing every
  // tile (once per block of k, for all panels) was slower on W6's shapes (AVX-512: 81 against 89
  // GFLOP/s per CPU second on 64×784·784×128, 101 against 106 on 784×64ᵀ·64×256; AVX2 and SSE2 equal).
  double *packedA = malloc((size_t)(kc * MR) * sizeof(double));
  double edge[MR * 16];
  if (!packedB || !packedA) abort();

  for (ptrdiff_t p0 = 0; p0 < k; p0 += kc) {
    const ptrdiff_t kb = k - p0 < kc ? k - p0 : kc;
    const int first = p0 == 0;
    // The bias is added to each tile of C in registers, by the kernel's last block, before the store.
    const double *lastBias = p0 + kb == k ? bias : NULL;
    // B's rows p0 … p0+kb−1 into panels of nr columns: panel q holds (p, q·nr + t) at [q·kb·nr + p·nr + t],
    // zero past n.
    // Panel by panel, so the writes run in order (one panel at a time is one stream).
    for (ptrdiff_t q = 0; q < panels; q++) {
      double *dst = packedB + q * kb * nr;
      const ptrdiff_t j0 = q * nr;
      const double *src = b + p0 * brs + j0 * bcs;
      if (j0 + nr <= n) {
        for (ptrdiff_t p = 0; p < kb; p++, dst += nr, src += brs) {
          for (ptrdiff_t t = 0; t < nr; t++) dst[t] = src[t * bcs];
        }
      } else {
        for (ptrdiff_t p = 0; p < kb; p++, dst += nr, src += brs) {
          for (ptrdiff_t t = 0; t < nr; t++) dst[t] = j0 + t < n ? src[t * bcs] : 0.0;
        }
      }
    }
    for (ptrdiff_t i0 = 0; i0 < m; i0 += MC) {
      const ptrdiff_t mb = m - i0 < MC ? m - i0 : MC;
      const ptrdiff_t tiles = (mb + MR - 1) / MR;
      // The tile over the last row (if any): A's rows from i0 + r·MR, columns p0 … p0+kb−1, as
      // (t, p) at [p·MR + t], zero past m.
      for (ptrdiff_t r = mb / MR; r < tiles; r++) {
        double *dst = packedA;
        for (ptrdiff_t t = 0; t < MR; t++) {
          const ptrdiff_t i = i0 + r * MR + t;
          if (i < m) {
            const double *src = a + i * ars + p0 * acs;
            for (ptrdiff_t p = 0; p < kb; p++) dst[p * MR + t] = src[p * acs];
          } else {
            for (ptrdiff_t p = 0; p < kb; p++) dst[p * MR + t] = 0.0;
          }
        }
      }
      for (ptrdiff_t q = 0; q < panels; q++) {
        const ptrdiff_t j0 = q * nr;
        const ptrdiff_t cols = n - j0 < nr ? n - j0 : nr;
        for (ptrdiff_t r = 0; r < tiles; r++) {
          const ptrdiff_t ti = i0 + r * MR;
          const ptrdiff_t rows = m - ti < MR ? m - ti : MR;
          const int inPlace = rows == MR;
          const double *ap = inPlace ? a + ti * ars + p0 * acs : packedA;
          const ptrdiff_t tars = inPlace ? ars : 1, tacs = inPlace ? acs : MR;
          const double *bp = packedB + q * kb * nr;
          double *cp = c + ti * ldc + j0;
          if (rows == MR && cols == nr) {
            kernel(kb, ap, tars, tacs, bp, cp, ldc, first, lastBias ? lastBias + j0 : NULL);
          } else {
            // A tile hanging over the edge: run the same kernel on a copy, store what fits.
            memset(edge, 0, sizeof edge);
            if (!first) {
              for (ptrdiff_t x = 0; x < rows; x++) {
                for (ptrdiff_t y = 0; y < cols; y++) edge[x * nr + y] = cp[x * ldc + y];
              }
            }
            double edgeBias[16] = {0};  // the panel's bias, zero past n
            for (ptrdiff_t y = 0; lastBias && y < cols; y++) edgeBias[y] = lastBias[j0 + y];
            kernel(kb, ap, tars, tacs, bp, edge, nr, first, lastBias ? edgeBias : NULL);
            for (ptrdiff_t x = 0; x < rows; x++) {
              for (ptrdiff_t y = 0; y < cols; y++) cp[x * ldc + y] = edge[x * nr + y];
            }
          }
        }
      }
    }
  }
  free(packedA);
  free(packedB);
}

// MARK: - Column sums and row broadcasts (bias gradient and bias), vectorised across columns only

// Blocks of 16 columns whose running sums stay in registers down all the rows (a sum kept in
// memory waits for its own store on every row); each column's sum still runs over the rows in order.
// The same C for every path; only the vector width the compiler picks differs.
#define COLUMN_SUMS_BODY                                                  \
  ptrdiff_t j0 = 0;                                                       \
  for (; j0 + 16 <= cols; j0 += 16) {                                     \
    double acc[16] = {0};                                                 \
    for (ptrdiff_t i = 0; i < rows; i++) {                                \
      const double *restrict row = a + i * cols + j0;                     \
      for (int t = 0; t < 16; t++) acc[t] = acc[t] + row[t];              \
    }                                                                     \
    for (int t = 0; t < 16; t++) out[j0 + t] = acc[t];                    \
  }                                                                       \
  for (ptrdiff_t j = j0; j < cols; j++) out[j] = 0.0;                     \
  for (ptrdiff_t i = 0; i < rows && j0 < cols; i++) {                     \
    const double *restrict row = a + i * cols;                            \
    for (ptrdiff_t j = j0; j < cols; j++) out[j] = out[j] + row[j];       \
  }

#define ADD_ROW_BODY                                                                                  \
  if (cols == 1) { /* one output unit: a column, vectorised down the rows */                          \
    const double v0 = v[0];                                                                           \
    for (ptrdiff_t i = 0; i < rows; i++) a[i] = a[i] + v0;                                            \
    return;                                                                                           \
  }                                                                                                   \
  for (ptrdiff_t i = 0; i < rows; i++) {                                                              \
    double *restrict row = a + i * cols;                                                              \
    for (ptrdiff_t j = 0; j < cols; j++) row[j] = row[j] + v[j];                                      \
  }

#define SUMS_AND_ROWS(suffix, target)                                                                            \
  target static void column_sums_##suffix(                                                                       \
    ptrdiff_t rows, ptrdiff_t cols, const double *restrict a, double *restrict out) { COLUMN_SUMS_BODY }         \
  target static void add_row_##suffix(ptrdiff_t rows, ptrdiff_t cols, double *restrict a, const double *restrict v) { \
    ADD_ROW_BODY                                                                                                 \
  }

SUMS_AND_ROWS(base, )
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
SUMS_AND_ROWS(avx2, __attribute__((target("avx2"))))
SUMS_AND_ROWS(avx512, __attribute__((target("avx512f"))))
#endif

void neural_column_sums(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *restrict a, double *restrict out) {
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  if (isa == NEURAL_ISA_AVX512) {
    column_sums_avx512(rows, cols, a, out);
    return;
  }
  if (isa == NEURAL_ISA_AVX2) {
    column_sums_avx2(rows, cols, a, out);
    return;
  }
#endif
  (void)isa;
  column_sums_base(rows, cols, a, out);
}

void neural_add_row(int isa, ptrdiff_t rows, ptrdiff_t cols, double *restrict a, const double *restrict v) {
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  if (isa == NEURAL_ISA_AVX512) {
    add_row_avx512(rows, cols, a, v);
    return;
  }
  if (isa == NEURAL_ISA_AVX2) {
    add_row_avx2(rows, cols, a, v);
    return;
  }
#endif
  (void)isa;
  add_row_base(rows, cols, a, v);
}
