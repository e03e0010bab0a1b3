// Neural's portable exp, expm1, log, log1p, tanh, sigmoid and softmax over arrays, one lane per
// element: included by vector_math.c once per instruction set, with the vector type and its
// operations defined as macros (VM_*).
//
// Each lane does exactly the scalar functions' operations (Sources/Neural/PortableMath.swift):
// the same constants, the same multiplies, adds and divisions in the same order, each rounded (no
// FMA: -ffp-contract=off and the pragma in vector_math.c), and the same bit manipulations as integer
// operations on the lanes. min and max are the x86 instructions with the constant first, which keep
// a NaN second argument as Swift's `min`/`max` keep a NaN first one. So every lane has the scalar
// function's bits, on every path (`VectorMathTests`).
//
// Not a header of its own: no include guard, included once per path; it undefines its VM_*
// parameters at its end, so each inclusion in vector_math.c is three lines: define, include, go on.

/// `expm1(r)` for `|r| ≤ ln 2 / 2` (`reducedExpm1`): Taylor to r¹³ by Estrin's scheme.
VM_TARGET static inline VM_D VM_NAME(expm1_reduced)(VM_D r) {
  VM_D r2 = VM_MUL(r, r);
  VM_D r4 = VM_MUL(r2, r2);
  VM_D r8 = VM_MUL(r4, r4);
  VM_D e0 = VM_ADD(VM_SET1(1.0 / 2), VM_MUL(r, VM_SET1(1.0 / 6)));
  VM_D e1 = VM_ADD(VM_SET1(1.0 / 24), VM_MUL(r, VM_SET1(1.0 / 120)));
  VM_D e2 = VM_ADD(VM_SET1(1.0 / 720), VM_MUL(r, VM_SET1(1.0 / 5040)));
  VM_D e3 = VM_ADD(VM_SET1(1.0 / 40320), VM_MUL(r, VM_SET1(1.0 / 362880)));
  VM_D e4 = VM_ADD(VM_SET1(1.0 / 3628800), VM_MUL(r, VM_SET1(1.0 / 39916800)));
  VM_D e5 = VM_ADD(VM_SET1(1.0 / 479001600), VM_MUL(r, VM_SET1(1.0 / 6227020800)));
  VM_D f0 = VM_ADD(e0, VM_MUL(r2, e1));
  VM_D f1 = VM_ADD(e2, VM_MUL(r2, e3));
  VM_D f2 = VM_ADD(e4, VM_MUL(r2, e5));
  VM_D p = VM_ADD(VM_ADD(f0, VM_MUL(r4, f1)), VM_MUL(r8, f2));
  return VM_ADD(r, VM_MUL(r2, p));
}

/// `portableTanh`.
VM_TARGET static inline VM_D VM_NAME(tanh)(VM_D x) {
  const VM_I sign = VM_I_SET1((long long)0x8000000000000000ULL);
  VM_D ax = VM_AS_D(VM_I_ANDNOT(sign, VM_AS_I(x)));
  VM_D y = VM_MIN(VM_SET1(44), VM_MUL(VM_SET1(2), ax));
  VM_D shifted = VM_ADD(VM_MUL(y, VM_SET1(1.4426950408889634)), VM_SET1(6755399441055744.0));
  VM_D k = VM_SUB(shifted, VM_SET1(6755399441055744.0));
  VM_D r = VM_SUB(
    VM_SUB(y, VM_MUL(k, VM_SET1(6.93147180369123816490e-01))), VM_MUL(k, VM_SET1(1.90821492927058770002e-10)));
  VM_D em = VM_NAME(expm1_reduced)(r);
  VM_I bits = VM_I_ADD(VM_I_AND(VM_AS_I(shifted), VM_I_SET1(0x7f)), VM_I_SET1(1023));
  VM_D scale = VM_AS_D(VM_I_SLL(bits, 52));
  VM_D E = VM_ADD(VM_MUL(scale, em), VM_SUB(scale, VM_SET1(1)));
  VM_D t = VM_DIV(E, VM_ADD(E, VM_SET1(2)));
  return VM_AS_D(VM_I_OR(VM_I_ANDNOT(sign, VM_AS_I(t)), VM_I_AND(sign, VM_AS_I(x))));
}

/// `powerOfTwo`: the bits ((k + 1023) & 0x7ff) << 52.
VM_TARGET static inline VM_D VM_NAME(power_of_two)(VM_I k) {
  return VM_AS_D(VM_I_SLL(VM_I_AND(VM_I_ADD(k, VM_I_SET1(1023)), VM_I_SET1(0x7ff)), 52));
}

/// `portableExp`.
VM_TARGET static inline VM_D VM_NAME(exp)(VM_D x) {
  VM_D y = VM_MAX(VM_SET1(-746), VM_MIN(VM_SET1(710), x));
  VM_D shifted = VM_ADD(VM_MUL(y, VM_SET1(1.4426950408889634)), VM_SET1(6755399441055744.0));
  VM_D kd = VM_SUB(shifted, VM_SET1(6755399441055744.0));
  VM_D r = VM_SUB(
    VM_SUB(y, VM_MUL(kd, VM_SET1(6.93147180369123816490e-01))), VM_MUL(kd, VM_SET1(1.90821492927058770002e-10)));
  VM_I k = VM_I_SUB(VM_AS_I(shifted), VM_I_SET1(0x4338000000000000LL));
  // half = k >> 1 (arithmetic): with k ≥ −2¹², (k + 2¹²) >> 1 (logical) − 2¹¹ is the same floor(k/2).
  // (k < −2¹² only for a NaN x, whose result is that NaN whatever the powers of two.)
  VM_I half = VM_I_SUB(VM_I_SRL(VM_I_ADD(k, VM_I_SET1(4096)), 1), VM_I_SET1(2048));
  VM_D m = VM_ADD(VM_SET1(1), VM_NAME(expm1_reduced)(r));
  return VM_MUL(VM_MUL(m, VM_NAME(power_of_two)(half)), VM_NAME(power_of_two)(VM_I_SUB(k, half)));
}

/// `Sigmoid.f`: 1 / (1 + portableExp(−z)).
VM_TARGET static inline VM_D VM_NAME(sigmoid)(VM_D z) {
  VM_D minus = VM_AS_D(VM_I_XOR(VM_AS_I(z), VM_I_SET1((long long)0x8000000000000000ULL)));
  return VM_DIV(VM_SET1(1), VM_ADD(VM_SET1(1), VM_NAME(exp)(minus)));
}

/// `logOfNormal(u, correction: c, extraExponent: extra)` (fdlibm's log kernel) on every lane; lanes
/// whose `u` is not a positive normal give garbage, which the caller replaces.
VM_TARGET static inline VM_D VM_NAME(log_of_normal)(VM_D u, VM_D c, VM_I extra) {
  VM_I bits = VM_AS_I(u);
  // k = (bits − bits(√2/2)) >> 52, arithmetic: (v + 2⁶²) >> 52 (logical) − 2¹⁰ for |v| < 2⁶².
  VM_I v = VM_I_SUB(bits, VM_I_SET1(0x3fe6a09e667f3bcdLL));
  VM_I k = VM_I_SUB(VM_I_SRL(VM_I_ADD(v, VM_I_SET1(0x4000000000000000LL)), 52), VM_I_SET1(1024));
  VM_D m = VM_AS_D(VM_I_SUB(bits, VM_I_SLL(k, 52)));
  VM_D f = VM_SUB(m, VM_SET1(1));
  VM_D s = VM_DIV(f, VM_ADD(VM_SET1(2), f));
  VM_D z = VM_MUL(s, s);
  VM_D w = VM_MUL(z, z);
  VM_D t1 = VM_MUL(
    w, VM_ADD(
         VM_SET1(3.999999999940941908e-01),
         VM_MUL(w, VM_ADD(VM_SET1(2.222219843214978396e-01), VM_MUL(w, VM_SET1(1.531383769920937332e-01))))));
  VM_D t2 = VM_MUL(
    z, VM_ADD(
         VM_SET1(6.666666666666735130e-01),
         VM_MUL(
           w, VM_ADD(
                VM_SET1(2.857142874366239149e-01),
                VM_MUL(
                  w, VM_ADD(VM_SET1(1.818357216161805012e-01), VM_MUL(w, VM_SET1(1.479819860511658591e-01))))))));
  VM_D R = VM_ADD(t2, t1);
  VM_D hfsq = VM_MUL(VM_MUL(VM_SET1(0.5), f), f);
  // Double(k + extra) for |k + extra| < 2⁵¹: the low bits of 1.5·2⁵² + k + extra.
  VM_D dk = VM_SUB(
    VM_AS_D(VM_I_ADD(VM_I_ADD(k, extra), VM_I_SET1(0x4338000000000000LL))), VM_SET1(6755399441055744.0));
  VM_D inner = VM_ADD(VM_MUL(s, VM_ADD(hfsq, R)), VM_ADD(VM_MUL(dk, VM_SET1(1.90821492927058770002e-10)), c));
  return VM_SUB(VM_MUL(dk, VM_SET1(6.93147180369123816490e-01)), VM_SUB(VM_SUB(hfsq, inner), f));
}

/// `portableLog1p`: its branches as lane selections, in the scalar function's order of precedence.
VM_TARGET static inline VM_D VM_NAME(log1p)(VM_D x) {
  VM_D one = VM_SET1(1);
  VM_D u = VM_ADD(one, x);
  // c = x <= 1 ? x − (u − 1) : 1 − (u − x)
  VM_D c = VM_BLEND(VM_LE(x, one), VM_SUB(one, VM_SUB(u, x)), VM_SUB(x, VM_SUB(u, one)));
  VM_D r = VM_NAME(log_of_normal)(u, VM_DIV(c, u), VM_I_SET1(0));
  const VM_I sign = VM_I_SET1((long long)0x8000000000000000ULL);
  VM_D ax = VM_AS_D(VM_I_ANDNOT(sign, VM_AS_I(x)));
  r = VM_BLEND(VM_LT(ax, VM_SET1(0x1p-54)), r, x);     // log1p x = x near 0 (and keeps −0)
  r = VM_BLEND(VM_EQ(x, VM_SET1(INFINITY)), r, x);     // log1p ∞ = ∞
  VM_D bad = VM_BLEND(VM_EQ(x, VM_SET1(-1)), VM_SET1(NAN), VM_SET1(-INFINITY));
  return VM_BLEND(VM_GT(x, VM_SET1(-1)), bad, r);     // x ≤ −1 or NaN
}

/// The softplus term of the binary cross-entropy: `portableLog1p(portableExp(−|z|))`.
VM_TARGET static inline VM_D VM_NAME(log1p_exp_neg_abs)(VM_D z) {
  const VM_I sign = VM_I_SET1((long long)0x8000000000000000ULL);
  return VM_NAME(log1p)(VM_NAME(exp)(VM_AS_D(VM_I_OR(sign, VM_AS_I(z)))));
}

/// `portableExpm1`: its branches as lane selections (`portableExp` only when a lane needs it).
VM_TARGET static inline VM_D VM_NAME(expm1)(VM_D x) {
  VM_D y = VM_MAX(VM_SET1(-40), x);  // below −40, eˣ − 1 rounds to −1 (a NaN x stays)
  VM_D shifted = VM_ADD(VM_MUL(y, VM_SET1(1.4426950408889634)), VM_SET1(6755399441055744.0));
  VM_D kd = VM_SUB(shifted, VM_SET1(6755399441055744.0));
  VM_D r = VM_SUB(
    VM_SUB(y, VM_MUL(kd, VM_SET1(6.93147180369123816490e-01))), VM_MUL(kd, VM_SET1(1.90821492927058770002e-10)));
  VM_D scale = VM_NAME(power_of_two)(VM_I_SUB(VM_AS_I(shifted), VM_I_SET1(0x4338000000000000LL)));
  VM_D e = VM_ADD(VM_MUL(scale, VM_NAME(expm1_reduced)(r)), VM_SUB(scale, VM_SET1(1)));
  VM_MASK big = VM_GT(x, VM_SET1(700));  // eˣ − 1 rounds to eˣ (up to overflow)
  if (VM_ANY(big)) e = VM_BLEND(big, e, VM_NAME(exp)(x));
  const VM_I sign = VM_I_SET1((long long)0x8000000000000000ULL);
  VM_D ax = VM_AS_D(VM_I_ANDNOT(sign, VM_AS_I(x)));
  return VM_BLEND(VM_LT(ax, VM_SET1(0x1p-54)), e, x);  // expm1 x = x near 0 (and keeps −0)
}

/// `portableLog`: normal lanes as they are, subnormal ones scaled by 2⁵⁴ (exponent − 54), then the
/// special values in the scalar function's order.
VM_TARGET static inline VM_D VM_NAME(log)(VM_D x) {
  VM_MASK small = VM_LT(x, VM_SET1(0x1p-1022));  // subnormal (or ≤ 0, replaced below)
  VM_D u = VM_BLEND(small, x, VM_MUL(x, VM_SET1(0x1p54)));
  VM_I extra = VM_AS_I(VM_BLEND(small, VM_AS_D(VM_I_SET1(0)), VM_AS_D(VM_I_SET1(-54))));
  VM_D r = VM_NAME(log_of_normal)(u, VM_SET1(0), extra);
  r = VM_BLEND(VM_EQ(x, VM_SET1(INFINITY)), r, x);  // log ∞ = ∞
  VM_D bad = VM_BLEND(VM_EQ(x, VM_SET1(0)), VM_SET1(NAN), VM_SET1(-INFINITY));
  return VM_BLEND(VM_GT(x, VM_SET1(0)), bad, r);  // log ±0 = −∞; x < 0 or NaN: NaN
}

/// out[i] = f(x[i]) for i < n, `f` one of the above; the last partial vector through a padded copy.
#define VM_ARRAY(f)                                                                                   \
  VM_TARGET static void VM_NAME(f##_array)(ptrdiff_t n, const double *x, double *out) {              \
    ptrdiff_t i = 0;                                                                                  \
    for (; i + VM_WIDTH <= n; i += VM_WIDTH) VM_STORE(out + i, VM_NAME(f)(VM_LOAD(x + i)));          \
    if (i < n) {                                                                                      \
      double in[VM_WIDTH] = {0}, res[VM_WIDTH];                                                       \
      for (ptrdiff_t j = 0; j < n - i; j++) in[j] = x[i + j];                                         \
      VM_STORE(res, VM_NAME(f)(VM_LOAD(in)));                                                         \
      for (ptrdiff_t j = 0; j < n - i; j++) out[i + j] = res[j];                                      \
    }                                                                                                 \
  }
VM_ARRAY(tanh)
VM_ARRAY(exp)
VM_ARRAY(sigmoid)
VM_ARRAY(log1p)
VM_ARRAY(log1p_exp_neg_abs)
VM_ARRAY(expm1)
VM_ARRAY(log)
#undef VM_ARRAY

/// exp(z[j] − m) into out[j] for j < n (`out` may be `z`).
VM_TARGET static inline void VM_NAME(exp_shifted)(ptrdiff_t n, const double *z, double m, double *out) {
  VM_D mv = VM_SET1(m);
  ptrdiff_t j = 0;
  for (; j + VM_WIDTH <= n; j += VM_WIDTH) VM_STORE(out + j, VM_NAME(exp)(VM_SUB(VM_LOAD(z + j), mv)));
  if (j < n) {
    double in[VM_WIDTH] = {0}, res[VM_WIDTH];
    for (ptrdiff_t t = 0; t < n - j; t++) in[t] = z[j + t] - m;
    VM_STORE(res, VM_NAME(exp)(VM_LOAD(in)));
    for (ptrdiff_t t = 0; t < n - j; t++) out[j + t] = res[t];
  }
}

/// `Softmax.forward` on rows × cols (row-major; `out` may be `z`): per row the maximum (Swift's
/// `max(m, z)`: `z >= m ? z : m`, in order), e^{z − m} by the vector exp, their sum in order from 0,
/// and each divided by it.
VM_TARGET static void VM_NAME(softmax_rows)(ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out) {
  for (ptrdiff_t i = 0; i < rows; i++) {
    const double *zr = z + i * cols;
    double *o = out + i * cols;
    double m = -INFINITY;
    for (ptrdiff_t j = 0; j < cols; j++) m = zr[j] >= m ? zr[j] : m;
    VM_NAME(exp_shifted)(cols, zr, m, o);
    double s = 0.0;
    for (ptrdiff_t j = 0; j < cols; j++) s = s + o[j];
    VM_D sv = VM_SET1(s);
    ptrdiff_t j = 0;
    for (; j + VM_WIDTH <= cols; j += VM_WIDTH) VM_STORE(o + j, VM_DIV(VM_LOAD(o + j), sv));
    for (; j < cols; j++) o[j] = o[j] / s;
  }
}

/// out[i] = m + portableLog(Σⱼ portableExp(z[i][j] − m)), m the row's maximum as in `softmax_rows`,
/// the sum in order from 0: the log-sum-exp of the categorical cross-entropy, VM_WIDTH rows a time.
VM_TARGET static void VM_NAME(log_sum_exp_rows)(ptrdiff_t rows, ptrdiff_t cols, const double *z, double *out) {
  double chunk[VM_WIDTH];
  for (ptrdiff_t i0 = 0; i0 < rows; i0 += VM_WIDTH) {
    double ms[VM_WIDTH], sums[VM_WIDTH], res[VM_WIDTH];
    for (ptrdiff_t t = 0; t < VM_WIDTH; t++) ms[t] = 0, sums[t] = 1;  // padding rows: log 1
    for (ptrdiff_t t = 0; t < VM_WIDTH && i0 + t < rows; t++) {
      const double *zr = z + (i0 + t) * cols;
      double m = -INFINITY;
      for (ptrdiff_t j = 0; j < cols; j++) m = zr[j] >= m ? zr[j] : m;
      double s = 0.0;
      for (ptrdiff_t j = 0; j < cols; j += VM_WIDTH) {
        ptrdiff_t w = cols - j < VM_WIDTH ? cols - j : VM_WIDTH;
        VM_NAME(exp_shifted)(w, zr + j, m, chunk);
        for (ptrdiff_t u = 0; u < w; u++) s = s + chunk[u];
      }
      ms[t] = m, sums[t] = s;
    }
    VM_STORE(res, VM_ADD(VM_LOAD(ms), VM_NAME(log)(VM_LOAD(sums))));
    for (ptrdiff_t t = 0; t < VM_WIDTH && i0 + t < rows; t++) out[i0 + t] = res[t];
  }
}

// The parameters are this inclusion's own: the next path defines them anew.
#undef VM_NAME
#undef VM_TARGET
#undef VM_WIDTH
#undef VM_D
#undef VM_I
#undef VM_LOAD
#undef VM_STORE
#undef VM_SET1
#undef VM_ADD
#undef VM_SUB
#undef VM_MUL
#undef VM_DIV
#undef VM_MIN
#undef VM_MAX
#undef VM_AS_I
#undef VM_AS_D
#undef VM_I_SET1
#undef VM_I_AND
#undef VM_I_ANDNOT
#undef VM_I_OR
#undef VM_I_XOR
#undef VM_I_ADD
#undef VM_I_SUB
#undef VM_I_SLL_
#undef VM_I_SRL_
#undef VM_LT
#undef VM_LE
#undef VM_EQ
#undef VM_GT
#undef VM_BLEND
#undef VM_MASK
#undef VM_ANY
