// Jumping ahead in xoshiro256**'s stream: `SeededRandom.advance(by:)`'s arithmetic.
//
// The state transition T of xoshiro256 is linear over GF(2) (shifts, rotations and exclusive ors of
// the 256 state bits), so Cayley–Hamilton gives P(T) = 0 for its characteristic polynomial P, of
// degree 256. Then Tⁿ = q(T) with q = xⁿ mod P, and the state n steps ahead is Σ qᵢ·Tⁱs: the state
// exclusive-ored over the first 256 steps wherever qᵢ = 1 (the reference code's `jump()` does
// exactly this with q for n = 2¹²⁸; `SeededRandomTests` checks that this file finds the same q).

/// A polynomial over GF(2) of degree below 256: coefficient i is bit i % 64 of word i / 64.
struct GF2Polynomial256: Equatable {
  var words: (UInt64, UInt64, UInt64, UInt64)

  static let one = GF2Polynomial256(words: (1, 0, 0, 0))

  static func == (a: GF2Polynomial256, b: GF2Polynomial256) -> Bool { a.words == b.words }

  /// Coefficient `i` (0 ≤ i < 256).
  func coefficient(_ i: Int) -> Bool {
    let w: UInt64
    switch i >> 6 {
    case 0: w = words.0
    case 1: w = words.1
    case 2: w = words.2
    default: w = words.3
    }
    return (w >> UInt64(i & 63)) & 1 == 1
  }

  static func ^ (a: GF2Polynomial256, b: GF2Polynomial256) -> GF2Polynomial256 {
    GF2Polynomial256(
      words: (a.words.0 ^ b.words.0, a.words.1 ^ b.words.1, a.words.2 ^ b.words.2, a.words.3 ^ b.words.3))
  }

  /// `self · x mod P`, for `P = x²⁵⁶ + low` (`low` holds P's coefficients below 256).
  func timesX(modulo low: GF2Polynomial256) -> GF2Polynomial256 {
    let (w0, w1, w2, w3) = words
    let shifted = GF2Polynomial256(
      words: (w0 << 1, (w1 << 1) | (w0 >> 63), (w2 << 1) | (w1 >> 63), (w3 << 1) | (w2 >> 63)))
    return w3 >> 63 == 1 ? shifted ^ low : shifted
  }

  /// `self · b mod P` (shift and add, from the highest coefficient of `self` down).
  func times(_ b: GF2Polynomial256, modulo low: GF2Polynomial256) -> GF2Polynomial256 {
    var r = GF2Polynomial256(words: (0, 0, 0, 0))
    for i in stride(from: 255, through: 0, by: -1) {
      r = r.timesX(modulo: low)
      if coefficient(i) { r = r ^ b }
    }
    return r
  }

  /// `xⁿ mod P` by square and multiply.
  static func xToThe(_ n: UInt64, modulo low: GF2Polynomial256) -> GF2Polynomial256 {
    var r = one
    guard n > 0 else { return r }
    for bit in stride(from: 63 - n.leadingZeroBitCount, through: 0, by: -1) {
      r = r.times(r, modulo: low)
      if (n >> UInt64(bit)) & 1 == 1 { r = r.timesX(modulo: low) }
    }
    return r
  }

  /// The minimal polynomial of a bit sequence by Berlekamp–Massey, as `(degree, coefficients below
  /// the degree)` of the monic `P` with `Σᵢ pᵢ·s[t+i] = 0` for every t; the degree must be ≤ 256
  /// and `bits` at least twice as long.
  static func minimalPolynomial(of bits: [Bool]) -> (degree: Int, low: GF2Polynomial256) {
    // Connection polynomials C and B as coefficient arrays: s[t] = Σ_{i=1…L} cᵢ·s[t−i].
    var c = [Bool](repeating: false, count: bits.count + 1)
    var b = c
    (c[0], b[0]) = (true, true)
    var (length, m) = (0, 1)
    for t in bits.indices {
      var d = bits[t]
      for i in stride(from: 1, through: length, by: 1) where c[i] && bits[t - i] { d.toggle() }
      if !d {
        m += 1
        continue
      }
      let previous = c
      for i in 0..<(c.count - m) where b[i] { c[i + m].toggle() }
      if 2 * length <= t {
        (length, b, m) = (t + 1 - length, previous, 1)
      } else {
        m += 1
      }
    }
    // P(x) = x^L·C(1/x): P's coefficient of x^(L−i) is cᵢ.
    var words: [UInt64] = [0, 0, 0, 0]
    for i in stride(from: 1, through: length, by: 1) where c[i] {
      let degree = length - i
      words[degree >> 6] |= 1 << UInt64(degree & 63)
    }
    return (length, GF2Polynomial256(words: (words[0], words[1], words[2], words[3])))
  }
}
