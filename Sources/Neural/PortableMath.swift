import Foundation

// Neural's own transcendental functions: plain multiplies, adds and divisions, no libm.
//
// Why they exist: glibc picks its `exp`, `log`, `expm1`, `log1p`, `tanh`, `sin` and `cos` at load
// time by CPU feature (`__exp_fma`, `__expm1_fma`, … on a CPU with FMA), so their last bit differs
// between machines, and training amplifies a last bit into the third digit of a loss (a 2-16-16-1
// tanh network, 300 Adam epochs: 0.0616462 with FMA, 0.0623438 without). These give the same bits on
// every machine (IEEE-754 doubles, no FMA: Swift never fuses a multiply and an add), each within a
// few ulp of the exact value (tested against `Float80`), and every activation, loss, optimiser and
// data set in Neural uses them. HandoutKit gives them to notebook code under the usual names.
//
// `exp`/`expm1`/`tanh` reduce `x = k·ln 2 + r` and sum a Taylor polynomial by Estrin's scheme;
// `log`/`log1p` are fdlibm's (`e_log.c`, `s_log1p.c`: Sun Microsystems, "Permission to use, copy,
// modify, and distribute this software is freely granted, provided that this notice is preserved");
// `sin`/`cos` are fdlibm's kernels after its three-part reduction by π/2 (`k_sin.c`, `k_cos.c`,
// `e_rem_pio2.c`, same notice).

/// `tanh(x)` in plain double arithmetic: within 3 ulp of the exact value for every `x`
/// (`tanh(±0) = ±0`, `tanh(±∞) = ±1`, NaN stays NaN), and the same bits on every machine.
///
/// With `y = 2|x|` (clamped to 44, where `tanh` is 1 to the last bit), `tanh|x| = E / (E + 2)` for
/// `E = eʸ − 1`. `E` is reduced as `y = k·ln 2 + r`, `|r| ≤ ln 2 / 2`, `E = 2ᵏ·expm1(r) + (2ᵏ − 1)`,
/// with `expm1(r)` a Taylor polynomial to `r¹³` (truncation below 10⁻¹⁷ of the value). `k` and
/// `2ᵏ` come from bit patterns, so the function has no branch and no call.
@inlinable
public func portableTanh(_ x: Double) -> Double {
  let y = Swift.min(2 * Swift.abs(x), 44)
  // k = round(y / ln 2) in the low bits of a double shifted by 1.5·2⁵².
  let shifted = y * 1.4426950408889634 + 6755399441055744.0
  let k = shifted - 6755399441055744.0
  // Cody–Waite: ln 2 = hi + lo with hi's low 32 bits zero, so k·hi is exact for k ≤ 64.
  let r = (y - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
  // eʳ − 1 by the polynomial of `reducedExpm1` (Estrin's scheme: a third of Horner's dependency
  // chain; the loop over a layer is bound by that latency).
  let em = reducedExpm1(r)
  let scale = Double(bitPattern: ((shifted.bitPattern & 0x7f) &+ 1023) << 52)
  let E = scale * em + (scale - 1)
  let t = E / (E + 2)
  // NaN: y, and so t, is NaN (min keeps a NaN first argument); the sign comes from x.
  return Double(signOf: x, magnitudeOf: t)
}

/// `Tanh`'s function under the name it had when `Tanh` was glibc's: the two are now the same.
public struct FastTanh: ElementwiseActivation {
  /// `tanh` by `portableTanh`.
  public init() {}
  /// `tanh(z)` by `portableTanh`.
  @inlinable public func f(_ z: Double) -> Double { portableTanh(z) }
  /// `1 − tanh²(z)`, written with `a = tanh(z)`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { 1 - a * a }
  /// `A = tanh(Z)` at the CPU's vector width: each element has the bits of `portableTanh`.
  public func forward(_ Z: Matrix) -> Matrix { VectorMath.map(.tanh, Z) }
  /// `tanh`: it prints as `Tanh` does, since it is the same function.
  public var description: String { "tanh" }
}

extension Activation where Self == FastTanh {
  /// The same as `.tanh` (kept for code written when `.tanh` was glibc's).
  public static var fastTanh: FastTanh { FastTanh() }
}

// MARK: - exp, expm1

/// `ln 2 = ln2Hi + ln2Lo`, `ln2Hi` with its low 21 bits zero, so `k · ln2Hi` is exact for |k| < 2²¹.
@usableFromInline let ln2Hi = 6.93147180369123816490e-01
@usableFromInline let ln2Lo = 1.90821492927058770002e-10

/// `expm1(r)` for `|r| ≤ ln 2 / 2`: `r + r²·Σᵢ rⁱ/(i+2)!`, i = 0…11 (truncation below 2⁻⁵⁵ of the
/// value), the sum by Estrin's scheme as in `portableTanh`.
@inlinable
func reducedExpm1(_ r: Double) -> Double {
  let r2 = r * r
  let r4 = r2 * r2
  let r8 = r4 * r4
  let e0 = 1.0 / 2 + r * (1.0 / 6)
  let e1 = 1.0 / 24 + r * (1.0 / 120)
  let e2 = 1.0 / 720 + r * (1.0 / 5_040)
  let e3 = 1.0 / 40_320 + r * (1.0 / 362_880)
  let e4 = 1.0 / 3_628_800 + r * (1.0 / 39_916_800)
  let e5 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
  let f0 = e0 + r2 * e1
  let f1 = e2 + r2 * e3
  let f2 = e4 + r2 * e5
  let p = (f0 + r4 * f1) + r8 * f2
  return r + r2 * p
}

/// `2ᵏ` for `−1022 ≤ k ≤ 1023` from its bit pattern (any other `k` gives some power of two).
@inlinable
func powerOfTwo(_ k: Int64) -> Double {
  Double(bitPattern: UInt64(bitPattern: (k &+ 1023) & 0x7ff) << 52)
}

/// `k = round(y / ln 2)` and `r = y − k·ln 2` (Cody–Waite), for `|y| < 2⁵⁰`; `k` is read from the
/// low bits of `y/ln 2 + 1.5·2⁵²`, so a NaN `y` gives a NaN `r` and some `k`, and nothing traps.
@inlinable
func reduceByLn2(_ y: Double) -> (r: Double, k: Int64) {
  let shifted = y * 1.4426950408889634 + 6755399441055744.0
  let k = shifted - 6755399441055744.0
  let r = (y - k * ln2Hi) - k * ln2Lo
  return (r, Int64(bitPattern: shifted.bitPattern &- 0x4338_0000_0000_0000))
}

/// `eˣ` in plain double arithmetic, within 1 ulp of the exact value (subnormal results within 1 ulp
/// of the smallest subnormal), the same bits on every machine: `exp(0) = 1`, `exp(−∞) = 0`,
/// `exp(∞) = ∞`, overflow past 709.78 to `∞`, underflow below −745.13 to 0, NaN stays NaN.
///
/// `x = k·ln 2 + r`, `eˣ = 2ᵏ·(1 + expm1(r))`; `2ᵏ` is applied as two factors `2^⌊k/2⌋·2^⌈k/2⌉`, so
/// only the last multiply rounds, and only when the result is subnormal.
@inlinable
public func portableExp(_ x: Double) -> Double {
  // Swift.min/max keep a NaN first argument.
  let y = Swift.max(Swift.min(x, 710), -746)
  let (r, k) = reduceByLn2(y)
  let half = k >> 1
  return (1 + reducedExpm1(r)) * powerOfTwo(half) * powerOfTwo(k &- half)
}

/// `eˣ − 1` in plain double arithmetic, within 2 ulp of the exact value, including near 0 where
/// `exp(x) − 1` would lose its digits: `expm1(±0) = ±0`, `expm1(−∞) = −1`, `expm1(∞) = ∞`, NaN stays
/// NaN. The same bits on every machine.
///
/// `eˣ − 1 = 2ᵏ·expm1(r) + (2ᵏ − 1)`, with `2ᵏ − 1` exact for the `k ≤ 53` where it matters.
@inlinable
public func portableExpm1(_ x: Double) -> Double {
  if Swift.abs(x) < 0x1p-54 { return x }  // expm1 x = x to the last bit (and keeps −0)
  if x > 700 { return portableExp(x) }  // eˣ − 1 rounds to eˣ (up to overflow)
  let y = Swift.max(x, -40)  // below, eˣ − 1 rounds to −1
  let (r, k) = reduceByLn2(y)
  let scale = powerOfTwo(k)
  return scale * reducedExpm1(r) + (scale - 1)
}

// MARK: - log, log1p

/// `log(u + c)` for a positive normal finite `u` and a correction `|c| ≤ ulp(u)` (fdlibm's
/// `__ieee754_log`/`log1p`): `u = 2ᵏ·m` with `√2/2 ≤ m < √2`, `f = m − 1` (exact),
/// `log(1 + f) = f − (f²/2 − s·(f²/2 + R(s²)))` with `s = f/(2 + f)` and fdlibm's minimax `R`.
@inlinable
func logOfNormal(_ u: Double, correction c: Double, extraExponent: Int64) -> Double {
  let bits = Int64(bitPattern: u.bitPattern)
  // k: the exponent after moving [√2/2, √2) to exponent 0 (0x3fe6a09e667f3bcd is √2/2).
  let k = (bits &- 0x3fe6_a09e_667f_3bcd) >> 52
  let m = Double(bitPattern: UInt64(bitPattern: bits &- (k << 52)))
  let f = m - 1
  let s = f / (2 + f)
  let z = s * s
  let w = z * z
  let t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01))
  let t2 =
    z
    * (6.666666666666735130e-01
      + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)))
  let R = t2 + t1
  let hfsq = 0.5 * f * f
  let dk = Double(k &+ extraExponent)
  return dk * ln2Hi - ((hfsq - (s * (hfsq + R) + (dk * ln2Lo + c))) - f)
}

/// The natural logarithm in plain double arithmetic, within 1 ulp of the exact value, the same bits
/// on every machine: `log(1) = 0`, `log(±0) = −∞`, `log(∞) = ∞`, negative and NaN give NaN.
@inlinable
public func portableLog(_ x: Double) -> Double {
  if x >= 0x1p-1022 && x < .infinity { return logOfNormal(x, correction: 0, extraExponent: 0) }
  if x > 0 {
    if x == .infinity { return x }
    return logOfNormal(x * 0x1p54, correction: 0, extraExponent: -54)  // subnormal
  }
  return x == 0 ? -.infinity : .nan
}

/// `log(1 + x)` in plain double arithmetic, within 1 ulp of the exact value, including near 0 where
/// `log(1 + x)` would lose its digits: `log1p(±0) = ±0`, `log1p(−1) = −∞`, `log1p(∞) = ∞`, `x < −1`
/// and NaN give NaN. The same bits on every machine.
///
/// `u = 1 + x` rounds; the rounding error `c` is recovered exactly (Fast2Sum) and added as `c/u`.
@inlinable
public func portableLog1p(_ x: Double) -> Double {
  if !(x > -1) { return x == -1 ? -.infinity : .nan }
  if x == .infinity { return x }
  if Swift.abs(x) < 0x1p-54 { return x }  // log1p x = x to the last bit (and keeps −0)
  let u = 1 + x
  let c = x <= 1 ? x - (u - 1) : 1 - (u - x)
  return logOfNormal(u, correction: c / u, extraExponent: 0)
}

// MARK: - sin, cos

/// `x − n·π/2` as `y0 + y1` (double-double) and `n mod 4`, for `|x| < 2²⁰·π/2`: fdlibm's medium
/// case, π/2 in three parts of 33 bits, as many subtracted as the cancellation needs.
@usableFromInline
func reduceByHalfPi(_ x: Double) -> (y0: Double, y1: Double, n: Int) {
  let pio2_1 = 1.57079632673412561417e+00
  let pio2_1t = 6.07710050650619224932e-11
  let pio2_2 = 6.07710050630396597660e-11
  let pio2_2t = 2.02226624879595063154e-21
  let pio2_3 = 2.02226624871116645580e-21
  let pio2_3t = 8.47842766036889956997e-32
  let fn = (x * 6.36619772367581382433e-01 + 6755399441055744.0) - 6755399441055744.0
  let n = Int(fn)  // |fn| < 2²⁰: no trap
  var r = x - fn * pio2_1
  var w = fn * pio2_1t
  var y0 = r - w
  let exponent = { (v: Double) in Int((v.bitPattern >> 52) & 0x7ff) }
  let j = exponent(x)
  if j - exponent(y0) > 16 {  // cancellation: a second part of π/2
    var t = r
    w = fn * pio2_2
    r = t - w
    w = fn * pio2_2t - ((t - r) - w)
    y0 = r - w
    if j - exponent(y0) > 49 {  // and a third
      t = r
      w = fn * pio2_3
      r = t - w
      w = fn * pio2_3t - ((t - r) - w)
      y0 = r - w
    }
  }
  return (y0, (r - y0) - w, n & 3)
}

/// sin(x + y) for `|x| ≤ π/4`, `|y|` below half an ulp of x (fdlibm's `__kernel_sin`).
@usableFromInline
func kernelSin(_ x: Double, _ y: Double) -> Double {
  let z = x * x
  let w = z * z
  let r =
    8.33333333332248946124e-03 + z * (-1.98412698298579493134e-04 + z * 2.75573137070700676789e-06)
    + z * w * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10)
  let v = z * x
  return x - ((z * (0.5 * y - v * r) - y) - v * -1.66666666666666324348e-01)
}

/// cos(x + y) for `|x| ≤ π/4`, `|y|` below half an ulp of x (fdlibm's `__kernel_cos`).
@usableFromInline
func kernelCos(_ x: Double, _ y: Double) -> Double {
  let z = x * x
  let w = z * z
  let r =
    z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * 2.48015872894767294178e-05))
    + w * w
    * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11))
  let hz = 0.5 * z
  let v = 1 - hz
  return v + (((1 - v) - hz) + (z * r - x * y))
}

/// Largest |x| reduced in plain double arithmetic (2²⁰·π/2); beyond it (never in Neural's data)
/// `portableSin`/`portableCos` fall back to glibc's.
@usableFromInline let halfPiReductionLimit = 1647099.3291652855

/// `sin x` in plain double arithmetic, within 1 ulp of the exact value for `|x| < 2²⁰·π/2` (beyond
/// that, glibc's), the same bits on every machine: `sin(±0) = ±0`, `sin(±∞)` and NaN give NaN.
public func portableSin(_ x: Double) -> Double {
  let ax = Swift.abs(x)
  if ax <= 0.7853981633974483 { return ax < 0x1p-27 ? x : kernelSin(x, 0) }
  if !(ax < halfPiReductionLimit) { return ax.isFinite ? Foundation.sin(x) : x - x }
  let (y0, y1, n) = reduceByHalfPi(x)
  switch n {
  case 0: return kernelSin(y0, y1)
  case 1: return kernelCos(y0, y1)
  case 2: return -kernelSin(y0, y1)
  default: return -kernelCos(y0, y1)
  }
}

/// `cos x` in plain double arithmetic, within 1 ulp of the exact value for `|x| < 2²⁰·π/2` (beyond
/// that, glibc's), the same bits on every machine: `cos(±0) = 1`, `cos(±∞)` and NaN give NaN.
public func portableCos(_ x: Double) -> Double {
  let ax = Swift.abs(x)
  if ax <= 0.7853981633974483 { return ax < 0x1p-27 ? 1 : kernelCos(x, 0) }
  if !(ax < halfPiReductionLimit) { return ax.isFinite ? Foundation.cos(x) : x - x }
  let (y0, y1, n) = reduceByHalfPi(x)
  switch n {
  case 0: return kernelCos(y0, y1)
  case 1: return -kernelSin(y0, y1)
  case 2: return -kernelCos(y0, y1)
  default: return kernelSin(y0, y1)
  }
}

// MARK: - Under the usual names

// For notebook code (HandoutKit re-exports these by name, which makes them shadow Glibc's). A program
// that imports Neural and Foundation as modules sees both and must pick: `import func Neural.exp`.

/// `eˣ` by `portableExp` (within 1 ulp, the same bits on every machine).
@inlinable public func exp(_ x: Double) -> Double { portableExp(x) }
/// `eˣ − 1` by `portableExpm1` (within 2 ulp, the same bits on every machine).
@inlinable public func expm1(_ x: Double) -> Double { portableExpm1(x) }
/// The natural logarithm by `portableLog` (within 1 ulp, the same bits on every machine).
@inlinable public func log(_ x: Double) -> Double { portableLog(x) }
/// `log(1 + x)` by `portableLog1p` (within 1 ulp, the same bits on every machine).
@inlinable public func log1p(_ x: Double) -> Double { portableLog1p(x) }
/// `tanh x` by `portableTanh` (within 3 ulp, the same bits on every machine).
@inlinable public func tanh(_ x: Double) -> Double { portableTanh(x) }
/// `sin x` by `portableSin` (within 1 ulp, the same bits on every machine).
@inlinable public func sin(_ x: Double) -> Double { portableSin(x) }
/// `cos x` by `portableCos` (within 1 ulp, the same bits on every machine).
@inlinable public func cos(_ x: Double) -> Double { portableCos(x) }
