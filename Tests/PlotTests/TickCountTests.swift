import XCTest

@testable import Plot

/// An axis of numbers shows at least two labelled ticks, however narrow: one label alone gives no
/// scale (deck 01's error-surface slide showed α with the single tick "3").
final class TickCountTests: XCTestCase {
  func testANarrowAxisStillShowsTwoTicks() throws {
    try CairoCanvas.measuring { measure in
      for (lo, hi) in [(0.6, 3.4), (0.61, 3.39), (-0.3, 2.7), (0.07, 0.93), (12.0, 47.0), (1.0, 9.5)] {
        for length in stride(from: 100.0, through: 400.0, by: 10) {
          for horizontal in [true, false] {
            let ticks = Axes.ticks(
              AxisOptions(), limits: (lo, hi), tickRange: (lo, hi), length: length,
              horizontal: horizontal, measure: measure)
            XCTAssertGreaterThanOrEqual(
              ticks.major.count, 2, "\(lo)…\(hi) over \(length) pt (\(horizontal)): \(ticks.labels)")
          }
        }
      }
    }
  }
}
