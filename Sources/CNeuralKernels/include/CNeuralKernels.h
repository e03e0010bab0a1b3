// Neural's matrix product and portable math at the machine's vector width, with the same bits on
// every path (products: kernels.c; portable math: vector_math.c).
//
// Every element c[i][j] is ((0 + a[i][0]·b[0][j]) + a[i][1]·b[1][j]) + … in the order p = 0 … k−1,
// each product rounded, then added (no FMA: the file is compiled with -ffp-contract=off and the
// kernels use separate multiply and add instructions). Paths differ only in how many elements are
// computed side by side (2, 4 or 8 doubles a register), which cannot change a bit.
#ifndef CNEURALKERNELS_H
#define CNEURALKERNELS_H

#include <stddef.h>

/// The instruction sets a product can run on; larger is wider.
enum {
  NEURAL_ISA_SSE2 = 0,
  NEURAL_ISA_AVX2 = 1,
  NEURAL_ISA_AVX512 = 2,
};

/// 1 when this CPU can run `isa` (SSE2 always, on x86-64), else 0.
int neural_isa_supported(int isa);

/// 1 on a CPU known to run each 512-bit vector operation as two 256-bit halves (AMD Zen 4: family
/// 19h with AVX-512F), where the AVX2 product kernel is the faster one; else 0.
int neural_halves_512(void);

/// C = op(A)·op(B): op(A) is m × k with element (i, p) at a[i·ars + p·acs], op(B) is k × n with (p, j)
/// at b[p·brs + j·bcs], C is m × n with (i, j) at c[i·ldc + j] (every element written, none read
/// first). `isa` must be supported (`neural_isa_supported`). `bias` (n doubles, or NULL): then c[i][j] is
/// that sum + bias[j], rounded once more, as `neural_add_row` adds it afterwards (added in registers
/// before each tile's last store: the layer's `Z = XW + b` without a second pass over Z).
void neural_product(
  int isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t ars, ptrdiff_t acs,
  const double *b, ptrdiff_t brs, ptrdiff_t bcs, double *c, ptrdiff_t ldc, const double *bias);

/// out[j] = ((0 + a[0][j]) + a[1][j]) + … + a[rows−1][j] for j < cols (a row-major, rows × cols): the
/// column sums, each summed in row order as the simple loop sums them, several columns side by side
/// (as many as `isa`'s registers hold; any supported `isa`, the same bits).
void neural_column_sums(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *a, double *out);

/// a[i][j] += v[j] for every row i < rows and j < cols (a row-major, rows × cols), on `isa`.
void neural_add_row(int isa, ptrdiff_t rows, ptrdiff_t cols, double *a, const double *v);

/// ((0 + x[0]·x[0]) + x[1]·x[1]) + … + x[n−1]·x[n−1], each product and each sum rounded, in that order:
/// the simple loop's bits, NaN and ∞ included, computed blockwise side by side where that provably gives
/// the same result (sums.c explains why) and term by term where it does not. Any supported `isa`.
double neural_sum_of_squares(int isa, ptrdiff_t n, const double *x);

/// out[i] = f(x[i]) for 0 ≤ i < n on `isa` (which must be supported), with the bits of Neural's scalar
/// portable functions on every path: `neural_tanh` is `portableTanh`, `neural_exp` `portableExp`,
/// `neural_sigmoid` `1 / (1 + portableExp(−x))`, `neural_log1p` `portableLog1p`,
/// `neural_log1p_exp_neg_abs` `portableLog1p(portableExp(−|x|))`. `out` may be `x`.
void neural_tanh(int isa, ptrdiff_t n, const double *x, double *out);
void neural_exp(int isa, ptrdiff_t n, const double *x, double *out);
void neural_sigmoid(int isa, ptrdiff_t n, const double *x, double *out);
void neural_log1p(int isa, ptrdiff_t n, const double *x, double *out);
void neural_log1p_exp_neg_abs(int isa, ptrdiff_t n, const double *x, double *out);
/// `neural_expm1` is `portableExpm1`, `neural_log` `portableLog` (the same contract as above).
void neural_expm1(int isa, ptrdiff_t n, const double *x, double *out);
void neural_log(int isa, ptrdiff_t n, const double *x, double *out);

/// `Softmax.forward` of a rows × cols row-major matrix on `isa`, with its bits: per row the maximum m
/// (`z >= m ? z : m` from −∞), e^{z − m} by `portableExp`, their sum in column order from 0, and each
/// divided by the sum. `out` may be `z`.
void neural_softmax_rows(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out);

/// out[i] = m + portableLog(Σⱼ portableExp(z[i][j] − m)) for each row i of a rows × cols row-major
/// matrix, m and the sum as in `neural_softmax_rows`: the categorical cross-entropy's log-sum-exp.
void neural_log_sum_exp_rows(int isa, ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out);

#endif
