import Foundation
import XCTest

@testable import HandoutKit

/// The pictures of the API reference's catalogue (`Sources/HandoutKit/Documentation.docc`): each
/// figure kind drawn by the shortest call the catalogue shows, and each dataset generator's points.
///
/// Always draws every picture (so the calls the catalogue shows keep compiling and drawing); with
/// `HANDOUT_CATALOGUE=<folder>` it also writes them there as `<name>@2x.png`, the names the
/// catalogue uses. `make docs-pictures` re-makes the committed ones.
final class CataloguePicturesTests: XCTestCase {
  func testCataloguePictures() throws {
    let pictures = try Self.figures() + Self.datasets()
    XCTAssertEqual(Set(pictures.map(\.name)).count, pictures.count, "picture names are unique")
    for (name, figure) in pictures {
      XCTAssertNotNil(figure.altText, name)
      XCTAssertGreaterThan(try figure.raster(scale: 0.25).width, 0, name)
    }
    guard let folder = ProcessInfo.processInfo.environment["HANDOUT_CATALOGUE"], !folder.isEmpty else {
      return
    }
    let url = URL(fileURLWithPath: folder, isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, figure) in pictures {
      try figure.write(to: url.appendingPathComponent("\(name)@2x.png"))
    }
  }

  /// One picture per figure kind, each from the call the catalogue prints under it (at a smaller
  /// size, so the committed PNGs stay small).
  static func figures() throws -> [(name: String, figure: Figure)] {
    // The catalogue's XOR network: 2-4-1 tanh/sigmoid, Adam γ = 0.05, 1000 epochs.
    var rng = SeededRandom(seed: 1)
    var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    let history = try net.train(
      on: .xor, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 1000))
    // The lecture's regression data.
    var r = RRandom(seed: 123)
    let lm = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &r)
    let (x, y) = (lm.X.column(0), lm.Y.column(0))
    let fit = try LinearModel(x: x, y: y)

    let chart = Figure(width: 400, height: 280)
    chart.axes.line({ sin($0) }, over: -3...3, label: "sin")
    // The lecture's noise (y − 3 − 2x ~ N(0, 1)), scaled, about sin x.
    chart.axes.scatter(x: x, y: x.indices.map { sin(x[$0]) + 0.2 * (y[$0] - 3 - 2 * x[$0]) }, label: "points")

    return [
      ("decision-boundary", decisionBoundary(network: net, data: .xor, width: 400, height: 320)),
      ("loss-curve", lossCurve(history, width: 400, height: 260)),
      ("neuron-maps", neuronMaps(network: net, data: .xor, resolution: 60, cellSize: 70)),
      ("network-diagram", networkDiagram(network: net, width: 400, height: 260)),
      ("activation-curves", activationCurves(width: 560, height: 340)),
      ("histogram", histogram([("z", x)], width: 400, height: 240)),
      (
        "activation-histograms",
        activationHistograms(network: net, inputs: InputPlane([.xor]).samples(30))
      ),
      ("regression-plot", regressionPlot(x: x, y: y, fit: fit, width: 400, height: 280)),
      ("regression-loss-surface", regressionLossSurface(x: x, y: y, width: 420, height: 340)),
      (
        "loss-surface",
        lossSurface({ a, b in a * a + 4 * b * b }, x: -2...2, y: -2...2, width: 400, height: 320)
      ),
      ("figure", chart),
    ]
  }

  /// One picture per dataset generator: its points, by class where it has classes.
  static func datasets() -> [(name: String, figure: Figure)] {
    var rng = SeededRandom(seed: 1)
    var r = RRandom(seed: 123)
    return [
      ("dataset-xor", points(.xor, "xor")),
      ("dataset-and", points(.and, "and")),
      ("dataset-or", points(.or, "or")),
      ("dataset-linear", points(.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &r), "linear")),
      ("dataset-moons", points(.moons(n: 200, rng: &rng), "moons")),
      ("dataset-circles", points(.circles(n: 200, rng: &rng), "circles")),
      ("dataset-spirals", points(.spirals(n: 300, noise: 0.3, rng: &rng), "spirals")),
      ("dataset-blobs", points(.blobs(n: 150, rng: &rng), "blobs")),
      ("dataset-noisy-sine", points(.noisySine(n: 100, rng: &rng), "noisySine")),
    ]
  }

  /// A dataset's points: two inputs by class (the decision boundary's colours and markers), one
  /// input against its target otherwise.
  static func points(_ data: Dataset, _ title: String) -> Figure {
    let figure = Figure(width: 240, height: 220)
    let ax = figure.axes
    ax.title = title
    ax.legend = .hidden
    if data.X.cols >= 2 {
      let labels = data.labels ?? Array(repeating: 0, count: data.count)
      ax.aspect = .equal
      ax.xLabel = "x₁"
      ax.yLabel = "x₂"
      for c in Set(labels).sorted() {
        let rows = labels.indices.filter { labels[$0] == c }
        ax.scatter(
          x: rows.map { data.X[$0, 0] }, y: rows.map { data.X[$0, 1] }, label: "class \(c)",
          style: MarkerStyle(shape: ClassColors.marker(c), radius: 3, fill: ClassColors.color(c)))
      }
    } else {
      ax.xLabel = "x"
      ax.yLabel = "y"
      ax.scatter(x: data.X.column(0), y: data.Y.column(0), radius: 2.5)
    }
    return figure
  }
}
