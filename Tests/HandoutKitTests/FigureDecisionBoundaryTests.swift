import Foundation
import XCTest

@testable import HandoutKit

final class FigureDecisionBoundaryTests: XCTestCase {
  func testXORNetworkReachesFullAccuracy() throws {
    let (net, _) = try trainedXOR()
    XCTAssertEqual(Dataset.xor.accuracy(of: net), 1)
  }

  /// Deep inside each class region (a quarter unit beyond each XOR corner, clear of the
  /// markers) the PNG's pixel has that class's field colour: orange for class 0, blue for 1,
  /// and matches the colour map at the network's own probability there.
  func testPixelsInsideEachRegionHaveTheClassColour() throws {
    let (net, _) = try trainedXOR()
    let figure = decisionBoundary(network: net, data: .xor, resolution: 200, dataName: "XOR")
    let raster = try figure.raster()
    XCTAssertEqual(raster.width, 2 * Int(figure.width))
    let probes: [(x: Double, y: Double, label: Int)] = [
      (-0.3, -0.3, 0), (1.3, 1.3, 0), (-0.3, 1.3, 1), (1.3, -0.3, 1),
    ]
    for probe in probes {
      let p = net([probe.x, probe.y])[0]
      XCTAssertEqual(p >= 0.5 ? 1 : 0, probe.label, "network's class at (\(probe.x), \(probe.y)), p = \(p)")
      let pixel = try XCTUnwrap(figure.pixel(x: probe.x, y: probe.y, in: figure.axes))
      let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
      if probe.label == 0 {
        XCTAssertGreaterThan(color.red - color.blue, 0.3, "orange at (\(probe.x), \(probe.y)): \(color)")
      } else {
        XCTAssertGreaterThan(color.blue - color.red, 0.3, "blue at (\(probe.x), \(probe.y)): \(color)")
      }
      let expected = ClassColors.field.color(p)
      XCTAssertEqual(color.red, expected.red, accuracy: 0.06, "\(color) vs \(expected)")
      XCTAssertEqual(color.green, expected.green, accuracy: 0.06, "\(color) vs \(expected)")
      XCTAssertEqual(color.blue, expected.blue, accuracy: 0.06, "\(color) vs \(expected)")
    }
  }

  func testRendersAllFormatsWithTestPointsAndSquarePlane() throws {
    let (net, _) = try trainedXOR()
    let figure = decisionBoundary(network: net, data: .xor, test: .xor, resolution: 200, dataName: "XOR")
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.axes.aspect, .equal)
    let x = try XCTUnwrap(figure.axes.xLimits)
    let y = try XCTUnwrap(figure.axes.yLimits)
    XCTAssertEqual(x, -1...2, "scikit-learn's margin of 1 around the data")
    XCTAssertEqual(x.upperBound - x.lowerBound, y.upperBound - y.lowerBound)
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("2-4-1"), alt)
    XCTAssertTrue(alt.contains("XOR"), alt)
    XCTAssertTrue(alt.contains("test points"), alt)
    // The plot area is square in the PNG too.
    let a = try XCTUnwrap(figure.pixel(x: -1, y: -1, in: figure.axes))
    let b = try XCTUnwrap(figure.pixel(x: 2, y: 2, in: figure.axes))
    XCTAssertEqual(Double(b.x - a.x), Double(a.y - b.y), accuracy: 2)
  }

  /// Softmax over three blobs: the region around each centre takes its class's hue.
  func testMulticlassRegionsByArgmax() throws {
    var rng = SeededRandom(seed: 7)
    let centres = [[-4.0, -3.0], [4.0, -3.0], [0.0, 4.0]]
    let data = Dataset.blobs(n: 150, centers: centres, sd: 0.8, rng: &rng)
    var net = Sequential(sizes: [2, 8, 3], hidden: .tanh, output: .softmax, rng: &rng)
    var adam = Adam(gamma: 0.05)
    try net.train(on: data, loss: .categoricalCrossEntropy, optimizer: &adam, options: .init(epochs: 200))
    let figure = decisionBoundary(network: net, data: data, resolution: 200)
    try assertRendersAllFormats(figure)
    let raster = try figure.raster()
    // Between the points of each blob and the plane's edge (outward from the centre of mass).
    let probes: [(Double, Double, Int)] = [(-5.5, -4.5, 0), (5.5, -4.5, 1), (0, 5.8, 2)]
    for (x0, y0, c) in probes {
      let (x, y) = clearOfMarkers(near: (x0, y0), data: data)
      XCTAssertEqual(net.predict(Matrix(row: [x, y])).argmaxPerRow[0], c)
      let pixel = try XCTUnwrap(figure.pixel(x: x, y: y, in: figure.axes))
      let color = try XCTUnwrap(raster.color(x: pixel.x, y: pixel.y))
      let hue = ClassColors.color(c)
      // Mixed with white by confidence: the colour lies on the segment white → hue.
      let t = (1 - color.green) / max(1 - hue.green, 1e-9)
      XCTAssertEqual(color.red, 1 + t * (hue.red - 1), accuracy: 0.08, "class \(c): \(color)")
      XCTAssertEqual(color.blue, 1 + t * (hue.blue - 1), accuracy: 0.08, "class \(c): \(color)")
      XCTAssertGreaterThan(t, 0.5, "confident far from the boundary")
    }
  }

  func testOneBatchedPredictOn500Grid() throws {
    let (net, _) = try trainedXOR()
    let plane = InputPlane([.xor])
    let X = plane.samples(500)
    XCTAssertEqual(X.rows, 250_000)
    let P = net.predict(X)
    XCTAssertEqual(P.rows, 250_000)
    let figure = decisionBoundary(network: net, data: .xor, resolution: 500, steps: 10)
    XCTAssertTrue(figure.altText?.contains("500×500") ?? false)
  }

  /// A point near `target` at least 0.4 units from every data point (so no marker covers it).
  private func clearOfMarkers(near target: (Double, Double), data: Dataset) -> (Double, Double) {
    func clear(_ p: (Double, Double)) -> Bool {
      (0..<data.count).allSatisfy { hypot(data.X[$0, 0] - p.0, data.X[$0, 1] - p.1) >= 0.4 }
    }
    for radius in stride(from: 0.0, through: 1.5, by: 0.1) {
      for k in 0..<16 {
        let a = Double(k) * .pi / 8
        let p = (target.0 + radius * cos(a), target.1 + radius * sin(a))
        if clear(p) { return p }
      }
    }
    return target
  }
}

/// A decision boundary for a 16:9 slide fills the frame: the plane grows to the plot area's aspect
/// (one unit as long on x as on y), so the field is wider than tall, not a square in the middle.
final class FigureDecisionBoundarySlideTests: XCTestCase {
  func testSlideBoundaryFillsTheWideFrame() throws {
    let (net, _) = try trainedXOR()
    let size = FigureSize.slide
    let figure = decisionBoundary(
      network: net, data: .xor, resolution: 60, width: size.width, height: size.height, style: size.style,
      fill: true)
    XCTAssertEqual(figure.style, .talk)
    let x = try XCTUnwrap(figure.axes.xLimits)
    let y = try XCTUnwrap(figure.axes.yLimits)
    XCTAssertEqual(y, -1...2, "the data's square plane keeps its height")
    XCTAssertGreaterThan((x.upperBound - x.lowerBound) / (y.upperBound - y.lowerBound), 1.4)
    XCTAssertEqual((x.lowerBound + x.upperBound) / 2, 0.5, accuracy: 1e-12, "grown about its centre")
    // In the picture: the plot area (corners of the plane) is wider than tall, at 1:1 units.
    let a = try XCTUnwrap(figure.pixel(x: x.lowerBound, y: y.lowerBound, in: figure.axes))
    let b = try XCTUnwrap(figure.pixel(x: x.upperBound, y: y.upperBound, in: figure.axes))
    let width = Double(b.x - a.x)
    let height = Double(a.y - b.y)
    XCTAssertGreaterThan(width, 1.4 * height, "\(width)×\(height)")
    XCTAssertGreaterThan(width, 0.6 * 2 * size.width, "the field spans most of the frame: \(width) px")
    XCTAssertEqual(
      width / height, (x.upperBound - x.lowerBound) / (y.upperBound - y.lowerBound), accuracy: 0.02)
    // Without fill the same frame holds a square plane.
    let square = decisionBoundary(
      network: net, data: .xor, resolution: 60, width: size.width, height: size.height, style: size.style)
    XCTAssertEqual(square.axes.xLimits, -1...2)
  }

  func testWidenedPlaneKeepsItsCentre() {
    let plane = InputPlane(x: 0...2, y: 0...2)
    XCTAssertEqual(plane.widened(toAspect: 2), InputPlane(x: -1...3, y: 0...2))
    XCTAssertEqual(plane.widened(toAspect: 0.5), InputPlane(x: 0...2, y: -1...3))
    XCTAssertEqual(plane.widened(toAspect: .nan), plane)
  }
}
