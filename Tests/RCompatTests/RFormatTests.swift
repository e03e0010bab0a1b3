import Neural
import XCTest

@testable import RCompat

final class RFormatTests: XCTestCase {
  /// Every block of print_vectors.txt: R's own `print()` output for a vector at given options.
  func testPrintMatchesRForEveryFixtureVector() throws {
    let lines = try Fixture.text("print_vectors.txt").components(separatedBy: "\n")
    var i = 0
    var checked = 0
    while i < lines.count {
      guard lines[i].hasPrefix("@@ ") else { i += 1; continue }
      let options = lines[i].split(separator: " ").compactMap { Int($0) }
      let valuesLine = lines[i + 1]
      var j = i + 2
      var expected: [String] = []
      while j < lines.count && !lines[j].hasPrefix("@@ ") && !lines[j].isEmpty {
        expected.append(lines[j])
        j += 1
      }
      i = j
      // Swift has no NA (R's NA is a NaN with a payload); those cases are R-only.
      if valuesLine.split(separator: " ").contains("NA") { continue }
      let v = Fixture.row(valuesLine)
      let got = RFormat.print(v, digits: options[0], width: options[1])
      XCTAssertEqual(got, expected.joined(separator: "\n"), "print(\(valuesLine)) digits=\(options[0])")
      checked += 1
    }
    XCTAssertGreaterThan(checked, 15)
  }

  func testAsCharacterMatchesR() throws {
    for line in try Fixture.lines("as_character.txt") {
      let parts = line.split(separator: "\t")
      guard parts.count == 2, let x = Double(parts[0]) else {
        XCTFail("bad fixture line \(line)")
        continue
      }
      XCTAssertEqual(RFormat.character(x), String(parts[1]), "as.character(\(parts[0]))")
    }
  }

  func testPublishedNeuronOutputPrintsLikeTheSlide() {
    // The digits R printed, to 8 decimals, are what the slide shows.
    let y = [0.047425871, 0.057523591, 0.957302711, 0.964894751]
    XCTAssertEqual(RFormat.print(y), "[1] 0.04742587 0.05752359 0.95730271 0.96489475")
  }

  func testFormatUsesOneLayoutForAllElements() {
    XCTAssertEqual(
      RFormat.format([2.8972, 0.09755, 1.94753, 0.10688], digits: 4),
      ["2.89720", "0.09755", "1.94753", "0.10688"])
    XCTAssertEqual(RFormat.format([1, 10, 100]), ["  1", " 10", "100"])
    XCTAssertEqual(RFormat.format([0.5], digits: 7, nsmall: 2), ["0.50"])
    XCTAssertEqual(RFormat.format(-0.0), "0")
    XCTAssertEqual(RFormat.format([.nan, .infinity, -.infinity, 1]), [" NaN", " Inf", "-Inf", "   1"])
    XCTAssertEqual(RFormat.print([]), "numeric(0)")
  }

  func testNamedVectorPrintsNamesOverValues() {
    let q = [-1.9073, -0.6835, -0.0875, 0.5806, 3.2904]
    XCTAssertEqual(
      RFormat.print(q, names: ["Min", "1Q", "Median", "3Q", "Max"], digits: 4),
      "    Min      1Q  Median      3Q     Max \n-1.9073 -0.6835 -0.0875  0.5806  3.2904 ")
  }

  func testSignifAndRoundFollowR() {
    XCTAssertEqual(RFormat.signif(0.97071470231156087, digits: 4), 0.9707)
    XCTAssertEqual(RFormat.signif(123456, digits: 2), 120000)
    XCTAssertEqual(RFormat.signif(-0.000123456, digits: 3), -0.000123)
    XCTAssertEqual(RFormat.signif(0, digits: 3), 0)
    XCTAssertTrue(RFormat.signif(.nan, digits: 3).isNaN)
    XCTAssertEqual(RFormat.round(2.5), 2)  // IEC 60559: to even
    XCTAssertEqual(RFormat.round(0.15, digits: 1), 0.1)  // 0.15 is 0.1499999… in binary
    XCTAssertEqual(RFormat.round(2.675, digits: 2), 2.67)
    XCTAssertEqual(RFormat.round(29.699249531383735, digits: 3), 29.699)
    XCTAssertEqual(RFormat.round(-1234.5678, digits: -2), -1200)
    XCTAssertEqual(RFormat.round(1e-20, digits: 3), 0)
  }

  func testZapsmallAndFormatCAndPValues() {
    XCTAssertEqual(RFormat.zapsmall([1, 1e-20]), [1, 0])
    XCTAssertEqual(RFormat.formatC(332.03659041292826, digits: 4), "  332")
    XCTAssertEqual(RFormat.formatC(0.77211241511821405, digits: 4), "0.7721")
    XCTAssertEqual(RFormat.formatC(1234567, digits: 4), "1.235e+06")
    XCTAssertEqual(RFormat.formatPValue([8.4e-51, 3.1e-33], digits: 3), ["<2e-16", "<2e-16"])
    XCTAssertEqual(RFormat.formatPValue([3.1e-33], digits: 4), ["< 2.2e-16"])
    XCTAssertEqual(
      RFormat.formatPValue([2.56e-20, 1.1196e-06, 0.00145123], digits: 3),
      ["< 2e-16", "1.12e-06", "0.00145"])
    XCTAssertEqual(RFormat.formatPValue([9.109e-12], digits: 4), ["9.109e-12"])
  }
}
