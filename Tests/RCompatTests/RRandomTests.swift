import Foundation
import Neural
import XCTest

@testable import RCompat

/// A committed fixture that is not in the test bundle.
struct FixtureMissing: Error, CustomStringConvertible {
  var name: String
  var description: String { "fixture \(name) missing from the test bundle (Tests/RCompatTests/Fixtures)" }
}

/// Reads a committed fixture (written by Fixtures/make-fixtures.R with R 4.2.2).
enum Fixture {
  static func text(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
      // A committed fixture that is missing is a broken checkout or package: a failure, not a skip.
      throw FixtureMissing(name: name)
    }
    return try String(contentsOf: url, encoding: .utf8)
  }

  /// Non-empty lines of a fixture.
  static func lines(_ name: String) throws -> [String] {
    try text(name).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }

  /// One double per line, as R's sprintf("%.17g") wrote it (exactly round-trips).
  static func doubles(_ name: String) throws -> [Double] {
    try lines(name).map { line in
      guard let v = Double(line) else { throw FixtureError.notANumber(name, line) }
      return v
    }
  }

  /// "key value" lines.
  static func keyed(_ name: String) throws -> [String: Double] {
    var result: [String: Double] = [:]
    for line in try lines(name) {
      let parts = line.split(separator: " ")
      guard parts.count == 2, let v = Double(parts[1]) else { throw FixtureError.notANumber(name, line) }
      result[String(parts[0])] = v
    }
    return result
  }

  /// Whitespace-separated doubles of one line ("NA" → nan).
  static func row(_ line: some StringProtocol) -> [Double] {
    line.split(separator: " ").map { $0 == "NA" ? Double.nan : (Double($0) ?? .nan) }
  }
}

enum FixtureError: Error { case notANumber(String, String) }

/// Asserts two double arrays are identical bit for bit, reporting the first difference.
func assertBitEqual(
  _ actual: [Double], _ expected: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
  for (i, (a, e)) in zip(actual, expected).enumerated() where a.bitPattern != e.bitPattern {
    XCTFail("\(what)[\(i)]: expected \(e) (R), got \(a), difference \(a - e)", file: file, line: line)
    return
  }
}

final class RRandomTests: XCTestCase {
  static let seeds: [Int32] = [123, 0, 42, 1, 2_147_483_647, -7, -2_147_483_647]

  func testRunifMatchesRBitForBitAcrossRegenerations() throws {
    for seed in Self.seeds {
      var rng = RRandom(seed: seed)
      let expected = try Fixture.doubles("runif_seed\(seed).txt")
      XCTAssertEqual(expected.count, 2000)
      assertBitEqual(rng.runif(2000), expected, "runif after set.seed(\(seed))")
    }
  }

  func testRnormInversionMatchesRBitForBit() throws {
    for seed in Self.seeds {
      var rng = RRandom(seed: seed)
      let expected = try Fixture.doubles("rnorm_seed\(seed).txt")
      assertBitEqual(rng.rnorm(2000), expected, "rnorm after set.seed(\(seed))")
    }
  }

  func testMixedCallsWithArgumentsShareOneStream() throws {
    var rng = RRandom(seed: 2024)
    var got = rng.runif(5, min: -3, max: 5)
    got += rng.rnorm(5, mean: 10, sd: 0.5)
    got += rng.runif(3)
    got += rng.rnorm(3, mean: -1, sd: 3)
    assertBitEqual(got, try Fixture.doubles("mixed_seed2024.txt"), "mixed stream, set.seed(2024)")
  }

  func testLectureDataIsSetSeed123() throws {
    var rng = RRandom(seed: 123)
    let x = rng.rnorm(100)
    let y = rng.rnorm(100).enumerated().map { 3 + 2 * x[$0.offset] + $0.element }
    let rows = try Fixture.lines("lecture_xy.txt").map(Fixture.row)
    assertBitEqual(x, rows.map { $0[0] }, "lecture x")
    assertBitEqual(y, rows.map { $0[1] }, "lecture y")
  }

  func testQnormMatchesRAtCentralAndTailPoints() throws {
    for line in try Fixture.lines("qnorm.txt") {
      let row = Fixture.row(line)
      let q = RStats.qnorm(row[0])
      XCTAssertEqual(q.bitPattern, row[1].bitPattern, "qnorm(\(row[0])): R \(row[1]), got \(q)")
    }
  }

  func testQnormBoundariesAndBadInput() {
    XCTAssertEqual(RStats.qnorm(0), -.infinity)
    XCTAssertEqual(RStats.qnorm(1), .infinity)
    XCTAssertEqual(RStats.qnorm(0, lowerTail: false), .infinity)
    XCTAssertTrue(RStats.qnorm(-0.1).isNaN)
    XCTAssertTrue(RStats.qnorm(1.1).isNaN)
    XCTAssertTrue(RStats.qnorm(.nan).isNaN)
    XCTAssertTrue(RStats.qnorm(0.5, sd: -1).isNaN)
    XCTAssertEqual(RStats.qnorm(0.3, mean: 4, sd: 0), 4)
    XCTAssertEqual(RStats.qnorm(0.5, mean: 2, sd: 3), 2)
    // Upper tail and log scale agree with the plain lower tail.
    XCTAssertEqual(RStats.qnorm(0.975, lowerTail: false), -RStats.qnorm(0.975), accuracy: 1e-15)
    XCTAssertEqual(RStats.qnorm(Foundation.log(0.01), logP: true), RStats.qnorm(0.01), accuracy: 1e-13)
  }

  func testDegenerateArgumentsFollowR() {
    var rng = RRandom(seed: 1)
    XCTAssertEqual(rng.runif(2, min: 3, max: 3), [3, 3])
    XCTAssertTrue(rng.runif(1, min: 2, max: 1)[0].isNaN)
    XCTAssertEqual(rng.rnorm(2, mean: 5, sd: 0), [5, 5])
    XCTAssertTrue(rng.rnorm(1, mean: 0, sd: -1)[0].isNaN)
    XCTAssertEqual(rng.runif(0), [])
    // None of the above consumed a deviate: the stream still starts where set.seed(1) put it.
    var fresh = RRandom(seed: 1)
    XCTAssertEqual(rng.unifRand(), fresh.unifRand())
  }

  func testRandomSourceConformanceUsesRDeviates() {
    var a = RRandom(seed: 99)
    var b = RRandom(seed: 99)
    XCTAssertEqual(a.uniform(), b.runif(1)[0])
    XCTAssertEqual(a.normal(), b.rnorm(1)[0])
  }

  func testLectureDataComesFromRsSeed123() {
    var rng = RRandom(seed: 123)
    let data = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &rng)
    // R: set.seed(123); x <- rnorm(100); print(x[1], digits = 15) is -0.560475646552213.
    XCTAssertEqual(String(format: "%.15g", data.X[0, 0]), "-0.560475646552213")
    XCTAssertEqual(String(format: "%.15g", data.Y[99, 0]), RFormat.character(data.Y[99, 0]))
  }
}
