// Seeded random numbers. Every draw in Neural comes from a `RandomSource`, so a seed fixes a run.

import Foundation

/// A deterministic source of random deviates.
///
/// Contract: the same generator state always yields the same sequence; nothing reads the clock
/// or the system entropy pool. Conformers provide the two primitive deviates; the extension
/// derives the others from them, so every conformer gets the same derived behaviour.
public protocol RandomSource {
  /// A uniform deviate u with 0 < u < 1 (both ends excluded, so `log(u)` is always finite).
  mutating func uniform() -> Double
  /// A standard normal deviate z ~ N(0, 1).
  mutating func normal() -> Double
}

extension RandomSource {
  /// A uniform deviate on (a, b): `a + (b − a)·u` with u from `uniform()`.
  ///
  /// - Precondition: `a <= b` and both finite (a programmer error otherwise).
  public mutating func uniform(_ a: Double, _ b: Double) -> Double {
    precondition(a.isFinite && b.isFinite && a <= b, "uniform(a, b) needs finite a <= b, got \(a), \(b)")
    return a + (b - a) * uniform()
  }

  /// A normal deviate with the given mean and standard deviation: `mean + sd·z`, z ~ N(0, 1).
  ///
  /// - Precondition: `sd >= 0`.
  public mutating func normal(mean: Double, sd: Double) -> Double {
    precondition(sd >= 0, "normal(mean:sd:) needs sd >= 0, got \(sd)")
    return mean + sd * normal()
  }

  /// A uniform integer in `0..<n`: `⌊n·u⌋` with u from `uniform()` (clamped to n − 1).
  ///
  /// One uniform deviate per call, so the result depends only on the generator's stream. The
  /// bias of `⌊n·u⌋` is below n/2⁵³ for the 53-bit deviates of `SeededRandom`, negligible for the
  /// sizes a notebook shuffles.
  /// - Precondition: `n > 0`.
  public mutating func int(below n: Int) -> Int {
    precondition(n > 0, "int(below:) needs n > 0, got \(n)")
    let k = Int(uniform() * Double(n))
    return Swift.min(Swift.max(k, 0), n - 1)
  }

  /// Shuffles `a` in place by Fisher–Yates: for i = n−1 down to 1, swap a[i] with a[j],
  /// j = `int(below: i + 1)`. Deterministic given the generator state; n − 1 draws.
  public mutating func shuffle<T>(_ a: inout [T]) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
      let j = int(below: i + 1)
      if i != j { a.swapAt(i, j) }
    }
  }
}

/// The fast general-purpose generator: xoshiro256** (Blackman & Vigna, 2018) seeded through
/// splitmix64.
///
/// - `init(seed:)` fills the 256-bit state with four successive splitmix64 outputs of `seed`
///   (the seeding the xoshiro authors recommend; it never yields the all-zero state).
/// - `next()`: `result = rotl(s1·5, 7)·9`, then the xoshiro256 state transition.
/// - `uniform()`: `(⌊next / 2¹¹⌋ + ½)·2⁻⁵³`, the 53-bit grid shifted half a step, so 0 < u < 1.
/// - `normal()`: Marsaglia's polar method. Draw v₁, v₂ uniform on (−1, 1) until
///   0 < s = v₁² + v₂² < 1; then z₁ = v₁·√(−2 ln s / s) is returned and z₂ = v₂·√(−2 ln s / s)
///   is cached and returned by the next call.
///
/// Also a `RandomNumberGenerator`, so Swift's own `Int.random(in:using:)` and
/// `shuffled(using:)` accept it. Not cryptographic.
public struct SeededRandom: RandomSource, RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64
  /// The second deviate of the last polar-method pair, if not yet returned.
  private var spareNormal: Double?

  /// A generator whose whole stream is a function of `seed`.
  public init(seed: UInt64) {
    var x = seed
    s0 = SeededRandom.splitMix64(&x)
    s1 = SeededRandom.splitMix64(&x)
    s2 = SeededRandom.splitMix64(&x)
    s3 = SeededRandom.splitMix64(&x)
    spareNormal = nil
  }

  /// splitmix64 (Steele, Lea & Flood 2014): x += 0x9e3779b97f4a7c15, then two xor-shift-multiply
  /// rounds and a final xor-shift.
  private static func splitMix64(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9e37_79b9_7f4a_7c15
    var z = x
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  @inline(__always)
  private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// Moves the stream `n` calls of `next()` ahead, to the state those calls would leave (a pending
  /// normal deviate stays pending), in a few thousand operations whatever `n` is: a stream split
  /// into pieces can be drawn on several threads, each piece from its own start, with the values of
  /// the one stream (Random+Jump.swift has the arithmetic).
  public mutating func advance(by n: UInt64) {
    let q = GF2Polynomial256.xToThe(n, modulo: SeededRandom.characteristicPolynomial)
    var sum: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for i in 0..<256 {
      if q.coefficient(i) { sum = (sum.0 ^ s0, sum.1 ^ s1, sum.2 ^ s2, sum.3 ^ s3) }
      _ = next()
    }
    (s0, s1, s2, s3) = sum
  }

  /// The characteristic polynomial of xoshiro256's state transition (its coefficients below x²⁵⁶):
  /// the minimal polynomial of one state bit's sequence, which for this primitive polynomial is
  /// the whole of it (degree 256, checked).
  static let characteristicPolynomial: GF2Polynomial256 = {
    var rng = SeededRandom(seed: 1)
    let bits = (0..<512).map { _ in
      let bit = rng.s0 & 1 == 1
      _ = rng.next()
      return bit
    }
    let (degree, low) = GF2Polynomial256.minimalPolynomial(of: bits)
    precondition(degree == 256, "SeededRandom: xoshiro256's polynomial came out of degree \(degree)")
    return low
  }()

  /// A uniform deviate on (0, 1): `(⌊next / 2¹¹⌋ + ½)·2⁻⁵³`.
  public mutating func uniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// A standard normal deviate by Marsaglia's polar method, caching the spare deviate.
  public mutating func normal() -> Double {
    if let z = spareNormal {
      spareNormal = nil
      return z
    }
    while true {
      let v1 = 2 * uniform() - 1
      let v2 = 2 * uniform() - 1
      let s = v1 * v1 + v2 * v2
      if s > 0 && s < 1 {
        let factor = (-2 * portableLog(s) / s).squareRoot()
        spareNormal = v2 * factor
        return v1 * factor
      }
    }
  }
}
