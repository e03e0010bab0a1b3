import HandoutProtocol
import XCTest

@testable import HandoutKit

/// The notebook-side runtime, used without `handout` (no events file): values are formatted as
/// R prints them and checks are recorded in memory.
final class RuntimeTests: XCTestCase {
  override func setUp() {
    _ = _Handout.takeRecordedEvents()
  }

  func testValuesPrintLikeR() {
    XCTAssertEqual(
      _Handout.format([0.04742587, 0.05752359, 0.95730271, 0.96489475], inline: false),
      "[1] 0.04742587 0.05752359 0.95730271 0.96489475")
    XCTAssertEqual(_Handout.format(3.14159265358979, inline: false), "[1] 3.141593")
    XCTAssertEqual(_Handout.format(3.14159265358979, inline: true), "3.141593")
    XCTAssertEqual(_Handout.format([1.5, 2.25], inline: true), "1.5, 2.25")
    XCTAssertEqual(_Handout.format(42, inline: false), "[1] 42")
    XCTAssertEqual(_Handout.format(42, inline: true), "42")
    XCTAssertEqual(_Handout.format("text", inline: false), "text")
    XCTAssertEqual(
      _Handout.format(Optional(1) as Any, inline: true), "1", "an optional number shows its value")
  }

  func testExpectRecordsPassAndFailWithTheCallersLine() {
    XCTAssertTrue(expect(0.1 + 0.2, equals: 0.3, tolerance: 1e-12))
    let line = #line + 1
    XCTAssertFalse(expect(0.5, equals: 0.25))
    XCTAssertFalse(expect([1, 2, 3], equals: [1, 2.5, 3], tolerance: 0.1))
    XCTAssertFalse(expect([1, 2] as [Double], equals: [1]))
    XCTAssertTrue(expect(Double.nan, equals: .nan))
    XCTAssertFalse(expect(3, equals: 4))
    XCTAssertFalse(expect("a\nb", equals: "a\nc"))
    XCTAssertTrue(expect(1 < 2, equals: true))
    XCTAssertFalse(expect([1, 2] as [Int], equals: [1, 3]))
    let checks = _Handout.takeRecordedEvents().compactMap { event -> RuntimeEvent.Check? in
      if case .check(let check) = event { return check }
      return nil
    }
    XCTAssertEqual(checks.map(\.passed), [true, false, false, false, true, false, false, true, false])
    XCTAssertEqual(checks[8].actual, "[1, 2]")
    XCTAssertEqual(checks[1].line, line)
    XCTAssertEqual(checks[1].file, #filePath)
    XCTAssertEqual(checks[1].expected, "0.25")
    XCTAssertEqual(checks[1].actual, "0.5")
    XCTAssertEqual(checks[1].difference, "|Δ| = 0.25 > tolerance 0")
    XCTAssertEqual(checks[2].difference, "element [2]: |Δ| = 0.5 > tolerance 0.1; largest |Δ| = 0.5")
    XCTAssertEqual(checks[2].literal, "[1.0, 2.0, 3.0]")
    XCTAssertEqual(checks[3].difference, "length 2, expected 1")
    XCTAssertEqual(checks[5].difference, "differs by -1")
    XCTAssertEqual(checks[6].difference, "first difference in line 2")
    XCTAssertEqual(checks[6].literal, "\"a\\nb\"")
  }

  func testDisplaySkipsVoidAndBlocksAreTracked() {
    _Handout.beginBlock(3, id: "train")
    _Handout.display { () }
    _Handout.display { [1.0, 2.0] }
    _Handout.endBlock(3)
    let events = _Handout.takeRecordedEvents()
    XCTAssertEqual(events, [.begin(block: 3), .value(block: 3, text: "[1] 1 2"), .end(block: 3)])
  }

  func testFigureNamesCannotEscapeTheFolder() {
    XCTAssertEqual(_Handout.sanitize("../etc/passwd"), "---etc-passwd")
    XCTAssertEqual(_Handout.sanitize("loss-curve_2"), "loss-curve_2")
    XCTAssertEqual(_Handout.sanitize(""), "figure")
  }
}
