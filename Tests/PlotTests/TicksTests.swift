import XCTest

@testable import Plot

final class TicksTests: XCTestCase {
  /// `labeling::extended(dmin, dmax, m)` as printed by R 4.2.2 with labeling 0.4.2
  /// (`r-cran-labeling`); R is not needed to run this test.
  static let reference: [(Double, Double, Int, [Double])] = [
    (8.1, 14.1, 4, [8, 10, 12, 14]),
    (0, 1, 5, [0.00, 0.25, 0.50, 0.75, 1.00]),
    (-3.7, 2.2, 5, [-4, -2, 0, 2]),
    (0.001, 0.0097, 5, [0.0000, 0.0025, 0.0050, 0.0075, 0.0100]),
    (-1, 1, 5, [-1.0, -0.5, 0.0, 0.5, 1.0]),
    (-5, 5, 5, [-5.0, -2.5, 0.0, 2.5, 5.0]),
    (0, 100, 5, [0, 25, 50, 75, 100]),
    (1, 30, 5, [0, 10, 20, 30]),
    (0.3, 0.7, 3, [0.3, 0.5, 0.7]),
    (-0.0421, 0.913, 6, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (123, 4567, 5, [0, 1000, 2000, 3000, 4000, 5000]),
    (-2.5, 2.5, 5, [-2, -1, 0, 1, 2]),
    (0, 1, 3, [0.0, 0.5, 1.0]),
    (0.17, 0.93, 5, [0.2, 0.4, 0.6, 0.8, 1.0]),
    (1, 10, 10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  ]

  func testExtendedMatchesRLabeling() {
    for (lo, hi, m, expected) in Self.reference {
      XCTAssertEqual(Ticks.extended(lo, hi, count: m), expected, "extended(\(lo), \(hi), \(m))")
    }
  }

  func testExtendedIsNotHeckbert() {
    // Heckbert's nice numbers give 5, 10, 15 here; the FIGURES.md checklist wants 8 … 14.
    XCTAssertEqual(Ticks.extended(8.1, 14.1, count: 4), [8, 10, 12, 14])
  }

  func testReversedAndDegenerateRanges() {
    XCTAssertEqual(Ticks.extended(14.1, 8.1, count: 4), [8, 10, 12, 14])
    XCTAssertEqual(Ticks.extended(3, 3), [3])
    XCTAssertEqual(Ticks.extended(.nan, 3), [])
    XCTAssertEqual(Ticks.extended(-1e300, 1e300, count: 3), [-1e300, 0, 1e300])
  }

  func testIntegerTicksHaveWholeSteps() {
    // labeling::extended(1, 3, 5) is 1.0 1.5 2.0 2.5 3.0; epochs must not get halves.
    let plain = Ticks.extended(1, 3, count: 5)
    XCTAssertEqual(plain, [1, 1.5, 2, 2.5, 3])
    let ticks = Ticks.extended(1, 3, count: 5, integer: true)
    XCTAssertEqual(ticks, [1, 2, 3])
    XCTAssertTrue(plain.contains { $0 != $0.rounded() }, "without the option, \(plain) has halves")
  }

  func testTickValuesCarryNoFloatNoise() {
    let ticks = Ticks.extended(0.1, 0.7, count: 7)
    for t in ticks {
      XCTAssertEqual("\(t)".count <= 4, true, "\(t) should print short")
    }
  }

  func testLabelsUseConsistentDecimalsAndMinusSign() {
    XCTAssertEqual(Ticks.labels(for: [-1, -0.5, 0, 0.5, 1]), ["−1.0", "−0.5", "0.0", "0.5", "1.0"])
    XCTAssertEqual(Ticks.labels(for: [0.1 + 0.2, 0.6]), ["0.3", "0.6"])
    XCTAssertEqual(Ticks.labels(for: [8, 10, 12, 14]), ["8", "10", "12", "14"])
    XCTAssertEqual(Ticks.labels(for: [-4, -2, 0, 2]).first, "\u{2212}4")
    XCTAssertEqual(Ticks.format(-0.0001, decimals: 2), "0.00", "no negative zero")
    XCTAssertFalse(Ticks.labels(for: [-2, 0]).contains { $0.contains("-") }, "no hyphen-minus")
  }

  func testLogTicks() {
    let (major, minor) = Ticks.log10(0.001, 10)
    XCTAssertEqual(major, [0.001, 0.01, 0.1, 1, 10])
    XCTAssertTrue(minor.contains(0.002))
    XCTAssertEqual(Ticks.logLabels(for: major), ["0.001", "0.01", "0.1", "1", "10"])
    XCTAssertEqual(Ticks.logLabels(for: [1e-6, 1e-4]), ["10⁻⁶", "10⁻⁴"])
    let narrow = Ticks.log10(1, 50)
    XCTAssertEqual(narrow.major, [1, 2, 5, 10, 20, 50])
  }
}

/// `Ticks.fixed` writes what `String(format: "%.<d>f")` writes, for every value and count of
/// decimals a tick meets and the ones it should not (those go through `String(format:)` itself).
final class TicksFixedTests: XCTestCase {
  func testFixedWritesWhatStringFormatWrites() {
    var values: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.125, 0.375, 1e-300, -1e-300, 5e-324, 1e15, 123_456.789, 1e300, -1e300,
      .greatestFiniteMagnitude, .nan, .infinity, -.infinity, 0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0,
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<3000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let mantissa = Double(state >> 11) / Double(1 << 53) * 2 - 1
      values.append(mantissa * pow(10, Double(Int(state % 15)) - 6))
    }
    for value in values {
      for decimals in [-1, 0, 1, 2, 3, 5, 9, 15, 17, 40] {
        XCTAssertEqual(
          Ticks.fixed(value, decimals: decimals), String(format: "%.\(decimals)f", value),
          "\(value) \(decimals)")
      }
    }
  }
}
