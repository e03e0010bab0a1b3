// The pieces of R's arithmetic `summary(lm(...))` needs: type-7 quantiles, Student t and F tails.

import Foundation
import Neural

extension RStats {
  /// R's `quantile(x, probs, type = 7)` (R's default): with the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎,
  /// h = 1 + (n − 1)·p, Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌈h⌉₎ − x₍⌊h⌋₎), written as R writes it,
  /// `(1 − γ)·x₍⌊h⌋₎ + γ·x₍⌈h⌉₎`.
  ///
  /// - Precondition: x is non-empty without NaN, every p in [0, 1] (programmer errors; R stops too).
  public static func quantile(_ x: [Double], probs: [Double] = [0, 0.25, 0.5, 0.75, 1]) -> [Double] {
    precondition(!x.isEmpty, "quantile of an empty sample")
    precondition(!x.contains(where: \.isNaN), "quantile: NaN in the sample")
    precondition(probs.allSatisfy { (0...1).contains($0) }, "quantile: probs outside [0, 1]")
    let sorted = x.sorted()
    let n = sorted.count
    return probs.map { p in
      let index = 1 + Double(n - 1) * p
      let lo = Int(floor(index))
      let hi = Int(ceil(index))
      let qs = sorted[lo - 1]
      guard index > Double(lo) && sorted[hi - 1] != qs else { return qs }
      let h = index - Double(lo)
      return (1 - h) * qs + h * sorted[hi - 1]
    }
  }

  /// The regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b) and its complement
  /// 1 − I_x(a, b), given both x and y = 1 − x (so a caller that knows y exactly loses nothing).
  ///
  /// Evaluated by the continued fraction of Numerical Recipes §6.4 (modified Lentz) on whichever
  /// side converges fast — x < (a + 1)/(a + b + 2) directly, otherwise through
  /// I_x(a, b) = 1 − I_y(b, a) — with the prefactor xᵃ yᵇ / (a B(a, b)) from `lgamma`.
  /// Relative accuracy about 1e−13 for a, b up to a few hundred.
  static func incompleteBeta(x: Double, y: Double, a: Double, b: Double) -> (lower: Double, upper: Double) {
    if x <= 0 { return (0, 1) }
    if y <= 0 { return (1, 0) }
    let logFront = a * portableLog(x) + b * portableLog(y) - (lgamma(a) + lgamma(b) - lgamma(a + b))
    if x < (a + 1) / (a + b + 2) {
      let lower = portableExp(logFront) * continuedFraction(x: x, a: a, b: b) / a
      return (lower, 1 - lower)
    }
    let upper = portableExp(logFront) * continuedFraction(x: y, a: b, b: a) / b
    return (1 - upper, upper)
  }

  /// The continued fraction for I_x(a, b) (modified Lentz's method, relative tolerance 1e−16).
  private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
      let m = Double(m)
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return h
  }

  /// R's `pt(t, df, lower.tail)`: the Student t distribution function with `df` degrees of
  /// freedom. P(|T| > |t|) = I_{df/(df+t²)}(df/2, ½) (computed from the complementary side when
  /// t² < df), halved and reflected for the requested tail.
  ///
  /// - Returns: NaN for NaN input or df ≤ 0.
  public static func pt(_ t: Double, df: Double, lowerTail: Bool = true) -> Double {
    if t.isNaN || df.isNaN || df <= 0 { return .nan }
    if t.isInfinite { return (t < 0) == lowerTail ? 0 : 1 }
    let t2 = t * t
    // Two-sided tail P(|T| > |t|).
    let twoSided: Double
    if df > t2 {
      twoSided = incompleteBeta(x: t2 / (df + t2), y: df / (df + t2), a: 0.5, b: df / 2).upper
    } else {
      twoSided = incompleteBeta(x: df / (df + t2), y: t2 / (df + t2), a: df / 2, b: 0.5).lower
    }
    let tail = twoSided / 2  // P(T > |t|)
    let wantUpperOfAbs = (t > 0) == !lowerTail  // upper tail for t > 0, lower tail for t <= 0
    return wantUpperOfAbs ? tail : 0.5 - tail + 0.5
  }

  /// R's `pf(f, df1, df2, lower.tail)`: the F distribution function,
  /// P(F ≤ f) = I_{d₁f/(d₂+d₁f)}(d₁/2, d₂/2) (through the complementary form when d₁f > d₂).
  ///
  /// - Returns: NaN for NaN input or non-positive degrees of freedom; 0 (lower) for f ≤ 0.
  public static func pf(_ f: Double, df1: Double, df2: Double, lowerTail: Bool = true) -> Double {
    if f.isNaN || df1.isNaN || df2.isNaN || df1 <= 0 || df2 <= 0 { return .nan }
    if f <= 0 { return lowerTail ? 0 : 1 }
    if f.isInfinite { return lowerTail ? 1 : 0 }
    let denominator = df2 + df1 * f
    let ib: (lower: Double, upper: Double)
    if df1 * f > df2 {
      let swapped = incompleteBeta(x: df2 / denominator, y: df1 * f / denominator, a: df2 / 2, b: df1 / 2)
      ib = (swapped.upper, swapped.lower)
    } else {
      ib = incompleteBeta(x: df1 * f / denominator, y: df2 / denominator, a: df1 / 2, b: df2 / 2)
    }
    return lowerTail ? ib.lower : ib.upper
  }
}
