import Foundation
import XCTest

@testable import HandoutKit
@testable import Plot

final class FigureLossSurfaceTests: XCTestCase {
  private func lectureData() -> (x: [Double], y: [Double]) {
    var r = RRandom(seed: 123)
    let data = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &r)
    return (data.X.column(0), data.Y.column(0))
  }

  func testRegressionLossAndItsMinimumMatchOLS() throws {
    let (x, y) = lectureData()
    let loss = RegressionLoss(x: x, y: y)
    let fit = try LinearModel(x: x, y: y)
    let minimum = try XCTUnwrap(loss.minimum)
    XCTAssertEqual(minimum.alpha, fit.coefficients[0].estimate, accuracy: 1e-9)
    XCTAssertEqual(minimum.beta, fit.coefficients[1].estimate, accuracy: 1e-9)
    // The gradient vanishes there and matches central differences elsewhere.
    let g0 = loss.gradient(minimum.alpha, minimum.beta)
    XCTAssertEqual(g0[0], 0, accuracy: 1e-9)
    XCTAssertEqual(g0[1], 0, accuracy: 1e-9)
    let h = 1e-6
    let g = loss.gradient(0.5, -1)
    XCTAssertEqual(g[0], (loss(0.5 + h, -1) - loss(0.5 - h, -1)) / (2 * h), accuracy: 1e-5)
    XCTAssertEqual(g[1], (loss(0.5, -1 + h) - loss(0.5, -1 - h)) / (2 * h), accuracy: 1e-5)
  }

  /// Every default optimiser starts at the start and ends near the least-squares minimum.
  func testPathsRunTheOptimisersToTheMinimum() throws {
    let (x, y) = lectureData()
    let loss = RegressionLoss(x: x, y: y)
    let minimum = try XCTUnwrap(loss.minimum)
    for (label, optimizer) in defaultRegressionOptimizers {
      let path = loss.path(optimizer, from: (-2, -2), steps: 200)
      XCTAssertEqual(path.count, 201, label)
      XCTAssertEqual(path[0].0, -2)
      let end = try XCTUnwrap(path.last)
      XCTAssertEqual(end.0, minimum.alpha, accuracy: 0.05, label)
      XCTAssertEqual(end.1, minimum.beta, accuracy: 0.05, label)
    }
  }

  func testSurfaceRenders() throws {
    let (x, y) = lectureData()
    let figure = regressionLossSurface(x: x, y: y)
    try assertRendersAllFormats(figure)
    let alt = try XCTUnwrap(figure.altText)
    for name in ["gradient descent", "momentum", "RMSProp", "Adam", "minimum"] {
      XCTAssertTrue(alt.contains(name), "\(name) in \(alt)")
    }
    let plain = lossSurface({ $0 * $0 + 4 * $1 * $1 }, x: -2...2, y: -1...1, filled: true)
    try assertRendersAllFormats(plain)
  }

  /// 01's error surface on the page: its colour bar and its legend stand beside the plot, so the
  /// page draws it wider, and a plane 2.8 wide and 2 high is no longer drawn in a plot taller than
  /// wide (at its own 600 px the plot was 297 × 391 px, the bowl's contours squeezed sideways).
  func testTheErrorSurfaceOfNotebook01IsNotSqueezedSidewaysOnThePage() throws {
    let steps: [Double] = (0...100).map { Double($0) / 100 }
    let path: [(Double, Double)] = steps.map { (1 + 1.9 * $0, 1 + 0.95 * $0) }
    func error(_ a: Double, _ b: Double) -> Double {
      let (da, db) = (a - 2.9, b - 1.95)
      return da * da + 2 * db * db
    }
    let figure = lossSurface(
      error, x: 0.6...3.4, y: 0.6...2.6,
      paths: [(label: "gradient descent, η = 0.01", points: path)], minimum: (2.9, 1.95),
      title: "The error surface E(α, β)")
    let size = FigureSize.page(for: figure)
    let plot = try CairoCanvas.measuring { figure.layout(measure: $0, size: size).panels[0].plot }
    XCTAssertLessThanOrEqual(size.width, FigureSize.pageColumn)
    XCTAssertGreaterThanOrEqual(plot.width, 0.95 * plot.height, "plot \(plot) of \(size)")
  }
}
