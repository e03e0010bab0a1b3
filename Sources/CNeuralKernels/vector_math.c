// Neural's portable math over arrays: SSE2, AVX2 and AVX-512, chosen at run time (see CNeuralKernels.h).
//
// vector_math.h is included once per instruction set with that set's vector type and operations as
// VM_* macros; every lane does the scalar function's operations in its order (no FMA: this file is
// compiled with -ffp-contract=off, the pragma below says so again, and `make same-bits` checks the
// object has no vfmadd), so every path has the bits of Sources/Neural/PortableMath.swift.

#pragma clang fp contract(off)

#include "CNeuralKernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
#include <immintrin.h>
#endif

#define VM_I_SLL(a, n) VM_I_SLL_(a, n)
#define VM_I_SRL(a, n) VM_I_SRL_(a, n)

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
#define VM_NAME(f) vm_sse2_##f
#define VM_TARGET __attribute__((target("sse2")))
#define VM_WIDTH 2
#define VM_D __m128d
#define VM_I __m128i
#define VM_LOAD _mm_loadu_pd
#define VM_STORE _mm_storeu_pd
#define VM_SET1 _mm_set1_pd
#define VM_ADD _mm_add_pd
#define VM_SUB _mm_sub_pd
#define VM_MUL _mm_mul_pd
#define VM_DIV _mm_div_pd
#define VM_MIN _mm_min_pd
#define VM_MAX _mm_max_pd
#define VM_AS_I _mm_castpd_si128
#define VM_AS_D _mm_castsi128_pd
#define VM_I_SET1 _mm_set1_epi64x
#define VM_I_AND _mm_and_si128
#define VM_I_ANDNOT _mm_andnot_si128
#define VM_I_OR _mm_or_si128
#define VM_I_XOR _mm_xor_si128
#define VM_I_ADD _mm_add_epi64
#define VM_I_SUB _mm_sub_epi64
#define VM_I_SLL_ _mm_slli_epi64
#define VM_I_SRL_ _mm_srli_epi64
#define VM_LT _mm_cmplt_pd
#define VM_LE _mm_cmple_pd
#define VM_EQ _mm_cmpeq_pd
#define VM_GT _mm_cmpgt_pd
#define VM_BLEND(m, a, b) _mm_or_pd(_mm_and_pd(m, b), _mm_andnot_pd(m, a))
#define VM_MASK __m128d
#define VM_ANY(m) _mm_movemask_pd(m)
#include "vector_math.h"

#define VM_NAME(f) vm_avx2_##f
#define VM_TARGET __attribute__((target("avx2")))
#define VM_WIDTH 4
#define VM_D __m256d
#define VM_I __m256i
#define VM_LOAD _mm256_loadu_pd
#define VM_STORE _mm256_storeu_pd
#define VM_SET1 _mm256_set1_pd
#define VM_ADD _mm256_add_pd
#define VM_SUB _mm256_sub_pd
#define VM_MUL _mm256_mul_pd
#define VM_DIV _mm256_div_pd
#define VM_MIN _mm256_min_pd
#define VM_MAX _mm256_max_pd
#define VM_AS_I _mm256_castpd_si256
#define VM_AS_D _mm256_castsi256_pd
#define VM_I_SET1 _mm256_set1_epi64x
#define VM_I_AND _mm256_and_si256
#define VM_I_ANDNOT _mm256_andnot_si256
#define VM_I_OR _mm256_or_si256
#define VM_I_XOR _mm256_xor_si256
#define VM_I_ADD _mm256_add_epi64
#define VM_I_SUB _mm256_sub_epi64
#define VM_I_SLL_ _mm256_slli_epi64
#define VM_I_SRL_ _mm256_srli_epi64
#define VM_LT(a, b) _mm256_cmp_pd(a, b, _CMP_LT_OQ)
#define VM_LE(a, b) _mm256_cmp_pd(a, b, _CMP_LE_OQ)
#define VM_EQ(a, b) _mm256_cmp_pd(a, b, _CMP_EQ_OQ)
#define VM_GT(a, b) _mm256_cmp_pd(a, b, _CMP_GT_OQ)
#define VM_BLEND(m, a, b) _mm256_blendv_pd(a, b, m)
#define VM_MASK __m256d
#define VM_ANY(m) _mm256_movemask_pd(m)
#include "vector_math.h"

#define VM_NAME(f) vm_avx512_##f
#define VM_TARGET __attribute__((target("avx512f")))
#define VM_WIDTH 8
#define VM_D __m512d
#define VM_I __m512i
#define VM_LOAD _mm512_loadu_pd
#define VM_STORE _mm512_storeu_pd
#define VM_SET1 _mm512_set1_pd
#define VM_ADD _mm512_add_pd
#define VM_SUB _mm512_sub_pd
#define VM_MUL _mm512_mul_pd
#define VM_DIV _mm512_div_pd
#define VM_MIN _mm512_min_pd
#define VM_MAX _mm512_max_pd
#define VM_AS_I _mm512_castpd_si512
#define VM_AS_D _mm512_castsi512_pd
#define VM_I_SET1 _mm512_set1_epi64
#define VM_I_AND _mm512_and_si512
#define VM_I_ANDNOT _mm512_andnot_si512
#define VM_I_OR _mm512_or_si512
#define VM_I_XOR _mm512_xor_si512
#define VM_I_ADD _mm512_add_epi64
#define VM_I_SUB _mm512_sub_epi64
#define VM_I_SLL_ _mm512_slli_epi64
#define VM_I_SRL_ _mm512_srli_epi64
#define VM_LT(a, b) _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ)
#define VM_LE(a, b) _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ)
#define VM_EQ(a, b) _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ)
#define VM_GT(a, b) _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ)
#define VM_BLEND(m, a, b) _mm512_mask_blend_pd(m, a, b)
#define VM_MASK __mmask8
#define VM_ANY(m) (m)
#include "vector_math.h"

#else
// Not x86-64: one lane of plain C, the same operations (a < b ? a : b is the x86 min's rule).
static inline unsigned long long vm_bits(double x) {
  unsigned long long u;
  memcpy(&u, &x, sizeof u);
  return u;
}
static inline double vm_double(unsigned long long u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}
#define VM_NAME(f) vm_sse2_##f
#define VM_TARGET
#define VM_WIDTH 1
#define VM_D double
#define VM_I unsigned long long
#define VM_LOAD(p) (*(p))
#define VM_STORE(p, v) (*(p) = (v))
#define VM_SET1(v) ((double)(v))
#define VM_ADD(a, b) ((a) + (b))
#define VM_SUB(a, b) ((a) - (b))
#define VM_MUL(a, b) ((a) * (b))
#define VM_DIV(a, b) ((a) / (b))
#define VM_MIN(a, b) ((a) < (b) ? (a) : (b))
#define VM_MAX(a, b) ((a) > (b) ? (a) : (b))
#define VM_AS_I vm_bits
#define VM_AS_D vm_double
#define VM_I_SET1(v) ((unsigned long long)(v))
#define VM_I_AND(a, b) ((a) & (b))
#define VM_I_ANDNOT(a, b) (~(a) & (b))
#define VM_I_OR(a, b) ((a) | (b))
#define VM_I_XOR(a, b) ((a) ^ (b))
#define VM_I_ADD(a, b) ((a) + (b))
#define VM_I_SUB(a, b) ((a) - (b))
#define VM_I_SLL_(a, n) ((a) << (n))
#define VM_I_SRL_(a, n) ((a) >> (n))
#define VM_LT(a, b) ((a) < (b))
#define VM_LE(a, b) ((a) <= (b))
#define VM_EQ(a, b) ((a) == (b))
#define VM_GT(a, b) ((a) > (b))
#define VM_BLEND(m, a, b) ((m) ? (b) : (a))
#define VM_MASK int
#define VM_ANY(m) (m)
#include "vector_math.h"
#endif

// Which of a function's three paths (SSE2, AVX2, AVX-512) runs for `isa`: 0, 1 or 2. Off x86-64
// only the first (the plain C above, named vm_sse2_*), which VM_PATHS then names three times.
static int vm_path(int isa) {
#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
  return isa == NEURAL_ISA_AVX512 ? 2 : isa == NEURAL_ISA_AVX2 ? 1 : 0;
#else
  (void)isa;
  return 0;
#endif
}

typedef void (*vm_array)(ptrdiff_t n, const double *x, double *out);

static void vm_run(int isa, vm_array sse2, vm_array avx2, vm_array avx512, ptrdiff_t n, const double *x, double *out) {
  const vm_array paths[3] = {sse2, avx2, avx512};
  if (n > 0) paths[vm_path(isa)](n, x, out);
}

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
#define VM_PATHS(f) vm_sse2_##f##_array, vm_avx2_##f##_array, vm_avx512_##f##_array
#else
#define VM_PATHS(f) vm_sse2_##f##_array, vm_sse2_##f##_array, vm_sse2_##f##_array
#endif

void neural_tanh(int isa, ptrdiff_t n, const double *x, double *out) { vm_run(isa, VM_PATHS(tanh), n, x, out); }
void neural_exp(int isa, ptrdiff_t n, const double *x, double *out) { vm_run(isa, VM_PATHS(exp), n, x, out); }
void neural_sigmoid(int isa, ptrdiff_t n, const double *x, double *out) {
  vm_run(isa, VM_PATHS(sigmoid), n, x, out);
}
void neural_log1p(int isa, ptrdiff_t n, const double *x, double *out) { vm_run(isa, VM_PATHS(log1p), n, x, out); }
void neural_log1p_exp_neg_abs(int isa, ptrdiff_t n, const double *x, double *out) {
  vm_run(isa, VM_PATHS(log1p_exp_neg_abs), n, x, out);
}
void neural_expm1(int isa, ptrdiff_t n, const double *x, double *out) { vm_run(isa, VM_PATHS(expm1), n, x, out); }
void neural_log(int isa, ptrdiff_t n, const double *x, double *out) { vm_run(isa, VM_PATHS(log), n, x, out); }

typedef void (*vm_rows)(ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out);

static void vm_run_rows(
  int isa, vm_rows sse2, vm_rows avx2, vm_rows avx512, ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out) {
  const vm_rows paths[3] = {sse2, avx2, avx512};
  if (rows > 0 && cols > 0) paths[vm_path(isa)](rows, cols, z, out);
}

#if defined(__x86_64__) && !defined(NEURAL_NO_X86)
#define VM_ROW_PATHS(f) vm_sse2_##f, vm_avx2_##f, vm_avx512_##f
#else
#define VM_ROW_PATHS(f) vm_sse2_##f, vm_sse2_##f, vm_sse2_##f
#endif

void neural_softmax_rows(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out) {
  vm_run_rows(isa, VM_ROW_PATHS(softmax_rows), rows, cols, z, out);
}
void neural_log_sum_exp_rows(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out) {
  vm_run_rows(isa, VM_ROW_PATHS(log_sum_exp_rows), rows, cols, z, out);
}
