import XCTest

@testable import Neural

final class SeededRandomTests: XCTestCase {
  func testSameSeedSameStreamDifferentSeedDifferentStream() {
    var a = SeededRandom(seed: 7)
    var b = SeededRandom(seed: 7)
    var c = SeededRandom(seed: 8)
    let sa = (0..<100).map { _ in a.next() }
    XCTAssertEqual(sa, (0..<100).map { _ in b.next() })
    XCTAssertNotEqual(sa, (0..<100).map { _ in c.next() })
  }

  func testXoshiroReferenceOutputForSeedZero() {
    // xoshiro256** seeded by splitmix64(0); first outputs from an independent
    // Python transcription of the reference C code (xoshiro256starstar.c, splitmix64.c).
    var rng = SeededRandom(seed: 0)
    XCTAssertEqual(rng.next(), 0x99EC_5F36_CB75_F2B4)
    XCTAssertEqual(rng.next(), 0xBF6E_1F78_4956_452A)
  }

  func testAdvanceLeavesTheStateThatManyDrawsWould() {
    for n in [0, 1, 2, 3, 255, 256, 257, 1000, 65_537, 300_001] {
      var stepped = SeededRandom(seed: 6)
      var jumped = stepped
      for _ in 0..<n { _ = stepped.next() }
      jumped.advance(by: UInt64(n))
      XCTAssertEqual((0..<4).map { _ in jumped.next() }, (0..<4).map { _ in stepped.next() }, "n = \(n)")
    }
    // A pending normal deviate stays pending, as it would through `next()`.
    var a = SeededRandom(seed: 9)
    _ = a.normal()
    var b = a
    for _ in 0..<77 { _ = a.next() }
    b.advance(by: 77)
    XCTAssertEqual(a.normal(), b.normal())
    XCTAssertEqual(a.normal(), b.normal())
  }

  func testJumpPolynomialIsTheReferenceCodes() {
    // x^(2^128) and x^(2^192) mod P are the reference code's JUMP and LONG_JUMP constants
    // (xoshiro256starstar.c): the polynomial found by Berlekamp–Massey is xoshiro256's.
    let low = SeededRandom.characteristicPolynomial
    var r = GF2Polynomial256(words: (2, 0, 0, 0))
    for _ in 0..<128 { r = r.times(r, modulo: low) }
    XCTAssertEqual(
      r,
      GF2Polynomial256(
        words: (0x180e_c6d3_3cfd_0aba, 0xd5a6_1266_f0c9_392c, 0xa958_2618_e03f_c9aa, 0x39ab_dc45_29b1_661c)))
    for _ in 0..<64 { r = r.times(r, modulo: low) }
    XCTAssertEqual(
      r,
      GF2Polynomial256(
        words: (0x76e1_5d3e_fefd_cbbf, 0xc500_4e44_1c52_2fb3, 0x7771_0069_854e_e241, 0x3910_9bb0_2acb_e635)))
    XCTAssertEqual(
      GF2Polynomial256.xToThe(1 << 40, modulo: low),
      {
        var s = GF2Polynomial256(words: (2, 0, 0, 0))
        for _ in 0..<40 { s = s.times(s, modulo: low) }
        return s
      }())
  }

  func testUniformIsOpenIntervalWithMeanHalf() {
    var rng = SeededRandom(seed: 2024)
    var sum = 0.0
    for _ in 0..<100_000 {
      let u = rng.uniform()
      XCTAssertTrue(u > 0 && u < 1)
      sum += u
    }
    XCTAssertEqual(sum / 100_000, 0.5, accuracy: 0.005)
  }

  func testNormalHasUnitMomentsAndUsesTheSpare() {
    var rng = SeededRandom(seed: 11)
    let z = (0..<200_000).map { _ in rng.normal() }
    let mean = z.reduce(0, +) / Double(z.count)
    let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count - 1)
    XCTAssertEqual(mean, 0, accuracy: 0.01)
    XCTAssertEqual(variance, 1, accuracy: 0.01)
    var r2 = SeededRandom(seed: 3)
    XCTAssertEqual(r2.normal(mean: 5, sd: 0), 5)
  }

  func testIntBelowAndShuffleAreDeterministicPermutations() {
    var a = SeededRandom(seed: 5)
    var b = SeededRandom(seed: 5)
    var xs = Array(0..<50)
    var ys = Array(0..<50)
    a.shuffle(&xs)
    b.shuffle(&ys)
    XCTAssertEqual(xs, ys)
    XCTAssertEqual(xs.sorted(), Array(0..<50))
    XCTAssertNotEqual(xs, Array(0..<50))
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<60_000 { counts[a.int(below: 6)] += 1 }
    for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 500) }
    var empty: [Int] = []
    a.shuffle(&empty)
    XCTAssertEqual(empty, [])
  }

  func testUniformRange() {
    var rng = SeededRandom(seed: 1)
    for _ in 0..<1000 {
      let v = rng.uniform(-2, 3)
      XCTAssertTrue(v > -2 && v < 3)
    }
  }
}
