import HandoutProtocol
import XCTest

@testable import HandoutKit

/// The literal `check --update` writes for a failed `expect`: the digits its tolerance warrants.
final class ExpectLiteralTests: XCTestCase {
  override func setUp() {
    _ = _Handout.takeRecordedEvents()
  }

  func testLiteralCarriesTheDigitsOfTheTolerance() {
    expect(0.123456789, equals: 0.1, tolerance: 1e-4)
    expect(-12345.678912345, equals: 0, tolerance: 0.01)
    expect(2.5, equals: 0.1, tolerance: 1e-4)
    expect(1.0 / 3.0, equals: 0.1)
    expect([0.123456789, -2.000004], equals: [0, 0], tolerance: 1e-4)
    expect(1e-9 + 1e-15, equals: 1, tolerance: 1e-12)
    expect(123456.7, equals: 0, tolerance: 100)
    expect(Double.nan, equals: 0)
    expect(-Double.infinity, equals: 0, tolerance: 1)
    let literals = _Handout.takeRecordedEvents().compactMap { event -> String? in
      if case .check(let check) = event { return check.literal }
      return nil
    }
    XCTAssertEqual(
      literals,
      [
        "0.12346", "-12345.679", "2.5", "0.3333333333333333", "[0.12346, -2.0]", "0.000000001",
        "123457", ".nan", "-.infinity",
      ])
  }

  func testRoundedLiteralPassesItsOwnCheck() {
    for (x, tolerance) in [(0.123456789, 1e-4), (98765.4321, 0.5), (-0.000123456, 1e-6), (7.77777, 3e-3)] {
      let literal = _Handout.literal(x, tolerance: tolerance)
      let value = Double(literal)
      XCTAssertNotNil(value, literal)
      XCTAssertLessThanOrEqual(abs((value ?? .nan) - x), tolerance, literal)
    }
  }
}
