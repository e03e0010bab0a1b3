// Neural's own tanh: plain multiplies, adds and one division, no libm.
//
// Why it exists: `Foundation.tanh` is glibc's, an `expm1` per call (~25 ns here) that glibc picks
// at load time by CPU feature (`__expm1_fma` on a CPU with FMA), so its last bit can differ between
// machines. `portableTanh` is about 5× faster in a loop and gives the same bits on every machine
// (IEEE-754 doubles, no FMA: Swift never fuses a multiply and an add). It is within a few ulp of the
// exact tanh, not bit-identical to glibc's, so `Tanh` keeps glibc's and the checked notebooks' numbers
// stay as they are; `FastTanh` (`.fastTanh`) opts in.

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
  // p(r) = Σᵢ rⁱ/(i+2)!, i = 0…11, by Estrin's scheme: independent pairs joined with r², r⁴, r⁸,
  // a third of Horner's dependency chain (the loop over a layer is bound by that latency).
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
  let em = r + r2 * p
  let scale = Double(bitPattern: ((shifted.bitPattern & 0x7f) &+ 1023) << 52)
  let E = scale * em + (scale - 1)
  let t = E / (E + 2)
  // NaN: y, and so t, is NaN (min keeps a NaN first argument); the sign comes from x.
  return Double(signOf: x, magnitudeOf: t)
}

/// `tanh` computed by `portableTanh`: the same function as `Tanh`, 5× faster, identical on every
/// machine, within 3 ulp of exact; its last bits differ from glibc's `tanh`, which `Tanh` uses.
/// For benchmarks and long trainings whose numbers are not checked to the last digit.
public struct FastTanh: ElementwiseActivation {
  /// `tanh` by `portableTanh`.
  public init() {}
  /// `tanh(z)` by `portableTanh`.
  @inlinable public func f(_ z: Double) -> Double { portableTanh(z) }
  /// `1 − tanh²(z)`, written with `a = tanh(z)`.
  @inlinable public func df(_ z: Double, _ a: Double) -> Double { 1 - a * a }
  /// `tanh`: it prints as `Tanh` does, since it is the same function.
  public var description: String { "tanh" }
}

extension Activation where Self == FastTanh {
  /// `tanh` by Neural's own `portableTanh` rather than glibc's (see `FastTanh`).
  public static var fastTanh: FastTanh { FastTanh() }
}
