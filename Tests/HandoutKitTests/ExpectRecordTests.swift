import HandoutProtocol
import XCTest

@testable import HandoutKit

/// What an `expect` records: a passed check only what the page lists (its expected text), a
/// failed one everything a report, the page's failure box and `check --update` show.
final class ExpectRecordTests: XCTestCase {
  override func setUp() {
    _ = _Handout.takeRecordedEvents()
  }

  private func checks() -> [RuntimeEvent.Check] {
    _Handout.takeRecordedEvents().compactMap { event in
      if case .check(let check) = event { return check }
      return nil
    }
  }

  func testPassedCheckCarriesItsExpectedTextOnly() {
    let losses = (1...10_000).map { 1 / Double($0) }
    XCTAssertTrue(expect(losses, equals: losses.map { $0 + 1e-17 }, tolerance: 1e-15))
    XCTAssertTrue(expect(0.30000000000000004, equals: 0.3, tolerance: 1e-9))
    XCTAssertTrue(expect(3, equals: 3))
    XCTAssertTrue(expect("a", equals: "a"))
    let recorded = checks()
    XCTAssertEqual(recorded.map(\.passed), [true, true, true, true])
    XCTAssertEqual(recorded.map(\.actual), ["", "", "", ""])
    XCTAssertEqual(recorded.map(\.literal), ["", "", "", ""])
    XCTAssertEqual(recorded.map { $0.difference ?? "-" }, ["-", "-", "-", "-"])
    XCTAssertEqual(recorded[1].expected, "0.3")
    XCTAssertEqual(recorded[2].expected, "3")
    XCTAssertEqual(recorded[3].expected, "a")
    let shifted = losses.map { $0 + 1e-17 }
    XCTAssertEqual(recorded[0].expected, "[" + shifted.map { "\($0)" }.joined(separator: ", ") + "]")
  }

  func testFailedCheckSaysWhatItSaidBefore() {
    XCTAssertFalse(expect([0.5, 0.25, 1.0 / 3.0], equals: [0.5, 0.25, 0.3333], tolerance: 1e-6, "thirds"))
    XCTAssertFalse(expect([1, 2] as [Double], equals: [1, 2, 3]))
    XCTAssertFalse(expect(0.30000000000000004, equals: 0.3))
    XCTAssertFalse(expect(2, equals: 3))
    let recorded = checks()
    XCTAssertEqual(recorded.map(\.passed), [false, false, false, false])
    XCTAssertEqual(recorded[0].expected, "[0.5, 0.25, 0.3333]")
    XCTAssertEqual(recorded[0].actual, "[0.5, 0.25, 0.3333333333333333]")
    XCTAssertEqual(recorded[0].literal, "[0.5, 0.25, 0.3333333]")
    XCTAssertEqual(
      recorded[0].difference, "thirds: element [3]: |Δ| = 3.33e-05 > tolerance 1e-06; largest |Δ| = 3.33e-05")
    XCTAssertEqual(recorded[1].actual, "[1.0, 2.0]")
    XCTAssertEqual(recorded[1].literal, "[1.0, 2.0]")
    XCTAssertEqual(recorded[1].difference, "length 2, expected 3")
    XCTAssertEqual(recorded[2].actual, "0.30000000000000004")
    XCTAssertEqual(recorded[2].literal, "0.30000000000000004")
    XCTAssertEqual(recorded[3].actual, "2")
    XCTAssertEqual(recorded[3].literal, "2")
    XCTAssertEqual(recorded[3].difference, "differs by -1")
  }
}
