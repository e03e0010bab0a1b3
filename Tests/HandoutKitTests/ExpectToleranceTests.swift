import HandoutProtocol
import XCTest

@testable import HandoutKit

/// A tolerance that accepts anything is no check. An ```` ```output tolerance=inf ```` block is an
/// error at its fence; `expect(…, tolerance: .infinity)` (or a computed tolerance that overflowed,
/// `3 * sd` of a diverged run) passed every finite value, and the page listed the expected number
/// as verified (it shows no tolerance). A tolerance that is infinite, NaN or negative fails the
/// check and says why.
final class ExpectToleranceTests: XCTestCase {
  override func setUp() {
    _ = _Handout.takeRecordedEvents()
  }

  private func checks() -> [RuntimeEvent.Check] {
    _Handout.takeRecordedEvents().compactMap { event in
      if case .check(let check) = event { return check }
      return nil
    }
  }

  func testAToleranceThatAcceptsAnythingFailsTheCheck() {
    let diverged = [1e308, 1e308].reduce(0, +)
    XCTAssertFalse(expect(100, equals: 0.95, tolerance: .infinity))
    XCTAssertFalse(expect(0.95, equals: 0.95, tolerance: 3 * diverged))
    XCTAssertFalse(expect([100.0, 2], equals: [0.95, 2], tolerance: .infinity))
    XCTAssertFalse(expect(0.95, equals: 0.95, tolerance: .nan))
    XCTAssertFalse(expect(0.95, equals: 0.95, tolerance: -1e-6))
    let recorded = checks()
    XCTAssertEqual(recorded.map(\.passed), [false, false, false, false, false])
    for check in recorded {
      let difference = check.difference ?? "no difference"
      XCTAssertTrue(difference.contains("expected a finite number ≥ 0"), difference)
    }
    // A finite tolerance ≥ 0 works as before.
    XCTAssertTrue(expect(0.9500001, equals: 0.95, tolerance: 1e-6))
    XCTAssertTrue(expect(0.95, equals: 0.95, tolerance: 0))
    XCTAssertEqual(checks().map(\.passed), [true, true])
  }
}
