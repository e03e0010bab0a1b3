// R's default random numbers, bit for bit: Mersenne-Twister seeded as `set.seed` does it,
// `runif`, and `rnorm` by inversion through R's `qnorm` (Wichura's AS 241).
// Transcribed from R 4.2.2's src/main/RNG.c, src/nmath/{runif,rnorm,snorm,qnorm}.c and checked
// against values R itself produced (Tests/RCompatTests/Fixtures/make-fixtures.R).

import Foundation
import Neural

/// R's default generator, reproducing `set.seed(seed); runif(n); rnorm(n)` bit for bit
/// (R ≥ 3.6 defaults: `RNGkind("Mersenne-Twister", "Inversion")`).
///
/// - Seeding (`RNG_Init`): the 32-bit seed is scrambled by 50 steps of s ← 69069·s + 1 (mod 2³²),
///   then 625 further steps fill R's seed vector `dummy[0...624]`; `dummy[1...624]` is the
///   Mersenne-Twister state and `FixupSeeds` sets the position `mti = dummy[0] = 624`, so the
///   first draw regenerates the state.
/// - `unifRand()`: MT19937's tempered 32-bit word y, returned as `y · 2.3283064365386963e-10`
///   (≈ y/2³²), moved off 0 and 1 by R's `fixup` so that 0 < u < 1.
/// - `normRand()`: R's "Inversion": u = unif_rand(); u = ⌊2²⁷·u⌋ + unif_rand();
///   z = qnorm(u / 2²⁷). Two uniforms per normal deviate.
public struct RRandom: RandomSource, Sendable {
  private static let n = 624
  private static let m = 397
  private static let matrixA: UInt32 = 0x9908_b0df
  private static let upperMask: UInt32 = 0x8000_0000
  private static let lowerMask: UInt32 = 0x7fff_ffff
  /// 1 / (2³² − 1), R's `i2_32m1`.
  private static let i2_32m1 = 2.328306437080797e-10

  /// The Mersenne-Twister state, R's `dummy[1...624]`.
  private var mt: [UInt32]
  /// Position of the next word in `mt`, R's `mti` (= `dummy[0]`).
  private var mti: Int

  /// The generator after R's `set.seed(seed)` (default kinds).
  ///
  /// A negative seed is reinterpreted as its unsigned 32-bit pattern, as R's `(Int32) seed` cast does.
  public init(seed: Int32) {
    var s = UInt32(bitPattern: seed)
    for _ in 0..<50 { s = 69069 &* s &+ 1 }
    var dummy = [UInt32](repeating: 0, count: RRandom.n + 1)
    for j in 0...RRandom.n {
      s = 69069 &* s &+ 1
      dummy[j] = s
    }
    mt = Array(dummy[1...])
    mti = RRandom.n  // FixupSeeds(kind, initial = 1): dummy[0] = 624
  }

  /// One 32-bit word of MT19937 scaled to [0, 1): R's `MT_genrand`.
  private mutating func mtGenrand() -> Double {
    let n = RRandom.n
    let m = RRandom.m
    if mti >= n {
      // Generate n words at one time (Matsumoto & Nishimura's genrand).
      @inline(__always) func twist(_ y: UInt32) -> UInt32 {
        (y >> 1) ^ ((y & 1) == 0 ? 0 : RRandom.matrixA)
      }
      mt.withUnsafeMutableBufferPointer { mt in
        var kk = 0
        while kk < n - m {
          let y = (mt[kk] & RRandom.upperMask) | (mt[kk + 1] & RRandom.lowerMask)
          mt[kk] = mt[kk + m] ^ twist(y)
          kk += 1
        }
        while kk < n - 1 {
          let y = (mt[kk] & RRandom.upperMask) | (mt[kk + 1] & RRandom.lowerMask)
          mt[kk] = mt[kk + m - n] ^ twist(y)
          kk += 1
        }
        let y = (mt[n - 1] & RRandom.upperMask) | (mt[0] & RRandom.lowerMask)
        mt[n - 1] = mt[m - 1] ^ twist(y)
      }
      mti = 0
    }
    var y = mt[mti]
    mti += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return Double(y) * 2.3283064365386963e-10  // reals: [0,1)-interval
  }

  /// R's `unif_rand()`: a uniform deviate with 0 < u < 1 (R's `fixup` maps 0 to 2⁻³³-ish and
  /// 1 to one minus that; with MT the upper end never occurs).
  public mutating func unifRand() -> Double {
    let x = mtGenrand()
    if x <= 0 { return 0.5 * RRandom.i2_32m1 }
    if 1 - x <= 0 { return 1 - 0.5 * RRandom.i2_32m1 }
    return x
  }

  /// R's `norm_rand()` with `normal.kind = "Inversion"`:
  /// `qnorm((⌊2²⁷·u₁⌋ + u₂) / 2²⁷)`, the 2²⁷ split giving the argument about 59 random bits.
  public mutating func normRand() -> Double {
    let big = 134_217_728.0  // 2^27
    var u = unifRand()
    u = Double(Int32(big * u)) + unifRand()  // (int)(BIG*u): truncation toward zero
    return RStats.qnorm(u / big, mean: 0, sd: 1, lowerTail: true, logP: false)
  }

  /// `uniform()` is R's `unif_rand()`.
  public mutating func uniform() -> Double { unifRand() }

  /// `normal()` is R's `norm_rand()` (Inversion).
  public mutating func normal() -> Double { normRand() }

  /// R's `runif(n, min, max)`: `min + (max − min)·u` for each of n uniforms.
  ///
  /// As in R, `min == max` returns `min` without drawing, and a non-finite or reversed range gives
  /// NaN (R warns) — also without drawing.
  /// - Precondition: `n >= 0`.
  public mutating func runif(_ n: Int, min: Double = 0, max: Double = 1) -> [Double] {
    precondition(n >= 0, "runif needs n >= 0, got \(n)")
    return (0..<n).map { _ in
      if !min.isFinite || !max.isFinite || max < min { return Double.nan }
      if min == max { return min }
      return min + (max - min) * unifRand()
    }
  }

  /// R's `rnorm(n, mean, sd)`: `mean + sd·z` for each of n deviates z from `normRand()`.
  ///
  /// As in R: NaN mean, non-finite or negative sd give NaN (no draw); `sd == 0` or an infinite
  /// mean return `mean` without drawing.
  /// - Precondition: `n >= 0`.
  public mutating func rnorm(_ n: Int, mean: Double = 0, sd: Double = 1) -> [Double] {
    precondition(n >= 0, "rnorm needs n >= 0, got \(n)")
    return (0..<n).map { _ in
      if mean.isNaN || !sd.isFinite || sd < 0 { return Double.nan }
      if sd == 0 || !mean.isFinite { return mean }
      return mean + sd * normRand()
    }
  }
}

/// R's distribution functions, transcribed from R's nmath library so results agree with R.
public enum RStats {
  /// R's `qnorm(p, mean, sd, lower.tail, log.p)`: the normal quantile by Wichura's AS 241
  /// (PPND16, relative accuracy about 1e−16), exactly as R 4.2.2's `qnorm5`.
  ///
  /// With q = p − ½: if |q| ≤ 0.425 a degree-7 rational function in r = 0.180625 − q²;
  /// otherwise r = √(−ln min(p, 1 − p)) and a degree-7 rational function in r − 1.6 (r ≤ 5) or
  /// r − 5 (further out), negated for p < ½.
  /// - Returns: −∞ / +∞ at p = 0 / 1 (for the lower tail), NaN for p outside [0, 1] (or
  ///   p > 0 when `logP`), NaN for sd < 0, `mean` for sd = 0; NaN inputs propagate.
  public static func qnorm(
    _ p: Double, mean mu: Double = 0, sd sigma: Double = 1, lowerTail: Bool = true,
    logP: Bool = false
  ) -> Double {
    if p.isNaN || mu.isNaN || sigma.isNaN { return p + mu + sigma }
    // R_Q_P01_boundaries(p, -Inf, +Inf)
    if logP {
      if p > 0 { return .nan }
      if p == 0 { return lowerTail ? .infinity : -.infinity }
      if p == -.infinity { return lowerTail ? -.infinity : .infinity }
    } else {
      if p < 0 || p > 1 { return .nan }
      if p == 0 { return lowerTail ? -.infinity : .infinity }
      if p == 1 { return lowerTail ? .infinity : -.infinity }
    }
    if sigma < 0 { return .nan }
    if sigma == 0 { return mu }

    // R's own arithmetic: glibc's exp, expm1 and log, as R calls them (Neural's portable ones differ
    // from glibc's in the last bit of about one tail deviate in 300, and these must be R's bits).
    // R_DT_qIv(p): the lower-tail probability.
    let p_ = logP ? (lowerTail ? Foundation.exp(p) : -Foundation.expm1(p)) : (lowerTail ? p : 0.5 - p + 0.5)
    let q = p_ - 0.5
    var r: Double
    var val: Double

    if abs(q) <= 0.425 {  // 0.075 <= p <= 0.925
      r = 0.180625 - q * q
      val =
        q
        * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
          + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
          + 133.14166789178437745) * r + 3.387132872796366608)
        / (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r
          + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
          + 42.313330701600911252) * r + 1.0)
    } else {  // closer than 0.075 from {0,1} boundary
      // r = min(p, 1-p) < 0.075
      if q > 0 {
        // R_DT_CIv(p): 1 - p
        r = logP ? (lowerTail ? -Foundation.expm1(p) : Foundation.exp(p)) : (lowerTail ? 0.5 - p + 0.5 : p)
      } else {
        r = p_
      }
      let useP = logP && ((lowerTail && q <= 0) || (!lowerTail && q > 0))
      r = (-(useP ? p : Foundation.log(r))).squareRoot()  // r = sqrt(-log(r)) <==> min(p, 1-p) = exp(-r^2)

      if r <= 5 {  // <==> min(p,1-p) >= exp(-25) ~= 1.3888e-11
        r += -1.6
        val =
          (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r
            + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504)
            * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734)
          / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
            + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455)
            * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1.0)
      } else {  // very close to 0 or 1
        r += -5.0
        val =
          (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r
            + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
            + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699)
            * r + 6.6579046435011037772)
          / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r
            + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
            + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
            + 0.59983220655588793769) * r + 1.0)
      }
      if q < 0.0 { val = -val }
    }
    return mu + sigma * val
  }
}
