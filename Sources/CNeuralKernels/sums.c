// A sequential sum of squares, `((0 + x₀²) + x₁²) + …` rounded after every step, at vector speed and
// with exactly its bits (see CNeuralKernels.h, `neural_sum_of_squares`).
//
// Why it can be done out of order: while the running sum s stays in one binade [lo, 2·lo), every
// double there is a multiple of u = ulp(lo), and s is one too. Adding y ≥ 0 and rounding to nearest
// is then s + RN_u(y), y rounded to a multiple of u, unless y sits exactly halfway between two
// multiples (a tie, which rounds to the even *sum* and so depends on s; |y − RN_u(y)| ≤ u/2 always,
// = u/2 exactly at a tie, so the largest such distance of a block tells). The multiples of u add up
// exactly in any order (they stay below 2⁵³·u), so a block of terms can be summed side by side as
// long as (a) no term is a tie and (b) the sum ends below 2·lo (squares are ≥ 0, so the sum only
// grows: ending in the binade means it never left it). A block that breaks either is summed one
// term at a time, as the loop does. RN_u(y) is fl(lo + y) − lo (exact: lo's ulp is u and the
// difference is exact by Sterbenz). NaN and ∞ make the block's sum NaN or ∞, which fails (b).

#pragma clang fp contract(off)

#include "CNeuralKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/// Terms per block tried side by side.
#define SQ_BLOCK 512
/// Lanes of running sums (any order gives the same exact sum; 16 keep the adders busy).
#define SQ_LANES 16

/// The block x[0..<n] added to s (lo ≤ s < 2·lo, lo a power of two) side by side: 1 and the sum in
/// *out when that is the sequential loop's result, else 0.
#define SQ_BLOCK_BODY                                                                          \
  uint64_t bits;                                                                               \
  memcpy(&bits, &s, sizeof bits);                                                              \
  bits &= 0x7ff0000000000000ULL;                                                               \
  double lo;                                                                                   \
  memcpy(&lo, &bits, sizeof lo);                                                               \
  const double hi = 2 * lo, half = lo * 0x1p-53;                                               \
  double acc[SQ_LANES] = {0}, far[SQ_LANES] = {0};                                             \
  ptrdiff_t i = 0;                                                                             \
  for (; i + SQ_LANES <= n; i += SQ_LANES) {                                                   \
    for (int t = 0; t < SQ_LANES; t++) {                                                       \
      const double y = x[i + t] * x[i + t], r = (lo + y) - lo, d = y - r;                      \
      const double e = fabs(d);                                                                \
      far[t] = e > far[t] ? e : far[t];                                                        \
      acc[t] = acc[t] + r;                                                                     \
    }                                                                                          \
  }                                                                                            \
  for (; i < n; i++) {                                                                         \
    const double y = x[i] * x[i], r = (lo + y) - lo, d = y - r;                                \
    const double e = fabs(d);                                                                  \
    far[0] = e > far[0] ? e : far[0];                                                          \
    acc[0] = acc[0] + r;                                                                       \
  }                                                                                            \
  double total = 0, farthest = 0;                                                              \
  for (int t = 0; t < SQ_LANES; t++) total = total + acc[t], farthest = far[t] > farthest ? far[t] : farthest; \
  const double sum = s + total;                                                                \
  if (!(farthest < half) || !(sum < hi)) return 0;                                             \
  *out = sum;                                                                                  \
  return 1;

static int block_generic(double s, const double *x, ptrdiff_t n, double *out) { SQ_BLOCK_BODY }

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
__attribute__((target("avx2"))) static int block_avx2(double s, const double *x, ptrdiff_t n, double *out) {
  SQ_BLOCK_BODY
}
__attribute__((target("avx512f"))) static int block_avx512(double s, const double *x, ptrdiff_t n, double *out) {
  SQ_BLOCK_BODY
}
#endif

double neural_sum_of_squares(int isa, ptrdiff_t n, const double *x) {
  int (*block)(double, const double *, ptrdiff_t, double *) = block_generic;
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  if (isa == NEURAL_ISA_AVX512) block = block_avx512;
  else if (isa == NEURAL_ISA_AVX2) block = block_avx2;
#else
  (void)isa;
#endif
  double s = 0;
  for (ptrdiff_t i0 = 0; i0 < n; i0 += SQ_BLOCK) {
    const ptrdiff_t nb = n - i0 < SQ_BLOCK ? n - i0 : SQ_BLOCK;
    // Far from the ends of the exponent range (u/2 must be a normal double, 2·lo finite).
    if (s >= 0x1p-900 && s < 0x1p1000 && block(s, x + i0, nb, &s)) continue;
    for (ptrdiff_t i = i0; i < i0 + nb; i++) s = s + x[i] * x[i];
  }
  return s;
}
