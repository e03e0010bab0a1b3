import Foundation
import XCTest

@testable import Plot

/// Dense lines are drawn with fewer vertices (`Axes.simplifiesLines`); these check that what is
/// dropped lies within the tolerance, that what matters stays, and that the picture does not change.
final class PolylineSimplificationTests: XCTestCase {
  /// Distance from `p` to the segment `a`–`b`.
  private func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
    let dx = b.x - a.x
    let dy = b.y - a.y
    let length2 = dx * dx + dy * dy
    let t = length2 > 0 ? min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
    return hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
  }

  /// A noisy decaying curve of `n` points, deterministic (a fixed linear congruential sequence).
  private func noisyCurve(_ n: Int) -> [Point] {
    var state: UInt64 = 12345
    return (0..<n).map { i in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let noise = Double(state >> 40) / Double(1 << 24) - 0.5
      return Point(x: 50 + Double(i) * 0.05, y: 300 - 250 * exp(-Double(i) / 800) + 2 * noise)
    }
  }

  func testDroppedVerticesLieWithinTheToleranceOfTheKeptLine() {
    let points = noisyCurve(10_000)
    let kept = PolylineSimplification.simplify(points, tolerance: 0.05)
    XCTAssertEqual(kept.first, points.first)
    XCTAssertEqual(kept.last, points.last)
    XCTAssertLessThan(kept.count, points.count)
    // Walk both in order: kept vertices are a subsequence, each dropped one near its span.
    var k = 0
    var worst = 0.0
    for p in points {
      if p == kept[k] {
        k += 1
        if k == kept.count { break }
        continue
      }
      worst = max(worst, distance(p, kept[k - 1], kept[k]))
    }
    XCTAssertEqual(k, kept.count, "kept vertices appear in the original order")
    XCTAssertLessThanOrEqual(worst, 0.05)
  }

  func testSpikesAndTurningPointsStay() {
    var points = (0..<1000).map { Point(x: Double($0) * 0.1, y: 100) }
    points[400].y = 99  // a one-point spike of 1 pt
    points[700].y = 100.2
    let kept = PolylineSimplification.simplify(points, tolerance: 0.05)
    XCTAssertTrue(kept.contains(points[400]))
    XCTAssertTrue(kept.contains(points[700]))
    XCTAssertLessThanOrEqual(kept.count, 9, "a flat line keeps only its ends and the spikes' corners")
    // A line that doubles back: the turning point is kept although it is on the chord's line.
    let back = (0..<300).map { Point(x: Double($0 < 200 ? $0 : 400 - $0), y: 10) }
    XCTAssertTrue(PolylineSimplification.simplify(back, tolerance: 0.05).contains(Point(x: 200, y: 10)))
  }

  /// A 10 000-epoch loss curve: drawn simplified and drawn vertex by vertex, the pictures agree to
  /// antialiasing noise, and the simplified SVG is a fraction of the size.
  func testALongLossCurveLooksTheSameWithAFractionOfTheVertices() throws {
    func figure(simplified: Bool) -> Figure {
      let figure = Figure(width: 640, height: 480)
      figure.axes.simplifiesLines = simplified
      let epochs = (1...10_000).map(Double.init)
      figure.axes.line(x: epochs, y: epochs.map { 0.5 * exp(-$0 / 1500) + 0.01 * sin($0 / 40) + 0.02 })
      figure.axes.line(x: epochs, y: epochs.map { 0.4 * exp(-$0 / 700) + 0.03 })
      figure.axes.yScale = .log10
      return figure
    }
    let exact = try figure(simplified: false)
    let simple = try figure(simplified: true)
    let a = try exact.raster()
    let b = try simple.raster()
    XCTAssertEqual(a.width, b.width)
    // Moving an edge by at most a tenth of a pixel changes its antialiased pixels a little:
    // measured, 1.7% of the pixels differ, 0.05% by more than 24 of 255, none by more than 45.
    var visible = 0
    var largest: UInt32 = 0
    for (p, q) in zip(a.argb, b.argb) where p != q {
      var most: UInt32 = 0
      for shift: UInt32 in [0, 8, 16] {
        let (u, v) = ((p >> shift) & 0xFF, (q >> shift) & 0xFF)
        most = max(most, max(u, v) - min(u, v))
      }
      largest = max(largest, most)
      if most > 24 { visible += 1 }
    }
    XCTAssertLessThan(
      Double(visible) / Double(a.argb.count), 0.002, "\(visible) pixels differ by more than 24")
    XCTAssertLessThanOrEqual(largest, 64, "largest channel difference")
    let exactSVG = try exact.data(.svg).count
    let simpleSVG = try simple.data(.svg).count
    XCTAssertLessThan(simpleSVG * 4, exactSVG, "SVG \(simpleSVG) bytes simplified, \(exactSVG) exact")
  }
}
