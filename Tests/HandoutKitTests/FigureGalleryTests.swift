import Foundation
import XCTest

@testable import HandoutKit

/// Every HandoutKit figure kind for a trained XOR network, a trained spirals network and the
/// lecture's linear-regression data, written as PNG, SVG and PDF to the folder named by
/// `PLOT_GALLERY` (`1` means /tmp/plot-gallery); `make gallery` sets it. Skipped otherwise,
/// because training the spirals network takes about 15 s in a debug build.
final class FigureGalleryTests: XCTestCase {
  func testWriteGallery() throws {
    guard let env = ProcessInfo.processInfo.environment["PLOT_GALLERY"] else {
      throw XCTSkip("set PLOT_GALLERY=<folder> to write the figure gallery")
    }
    let folder = URL(fileURLWithPath: env == "1" || env.isEmpty ? "/tmp/plot-gallery" : env)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var figures: [(String, Figure)] = []

    // XOR: 2-4-1 tanh/sigmoid, Adam γ = 0.05, 1000 epochs, seed 2024.
    let (xor, xorHistory) = try trainedXOR()
    figures += [
      ("xor-decision-boundary", decisionBoundary(network: xor, data: .xor, dataName: "XOR")),
      (
        "xor-decision-boundary-stepped",
        decisionBoundary(network: xor, data: .xor, steps: 10, dataName: "XOR")
      ),
      ("xor-loss", lossCurve(xorHistory, lossName: "binary cross-entropy")),
      ("xor-loss-log", lossCurve(xorHistory, lossName: "binary cross-entropy", logScale: true)),
      ("xor-neuron-maps", neuronMaps(network: xor, data: .xor)),
      ("xor-diagram", networkDiagram(network: xor)),
      ("xor-histogram", activationHistograms(network: xor, inputs: InputPlane([.xor]).samples(60))),
    ]

    // Spirals: 300 points, 2-16-16-1 tanh, Adam, 1500 epochs, 20 % held out for validation.
    var rng = SeededRandom(seed: 42)
    let spirals = Dataset.spirals(n: 300, noise: 0.3, rng: &rng)
    let (train, test) = spirals.split(testFraction: 0.2, rng: &rng)
    var net = Sequential(sizes: [2, 16, 16, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.01)
    let history = try net.train(
      on: train, loss: .binaryCrossEntropy, optimizer: &adam,
      options: .init(epochs: 1500, validationSplit: 0.15, patience: 300, seed: 7))
    figures += [
      (
        "spirals-decision-boundary",
        decisionBoundary(network: net, data: train, test: test, dataName: "spirals")
      ),
      ("spirals-loss", lossCurve(history, lossName: "binary cross-entropy", logScale: true)),
      ("spirals-neuron-maps", neuronMaps(network: net, data: train)),
      ("spirals-diagram", networkDiagram(network: net)),
      ("spirals-histogram", activationHistograms(network: net, inputs: train.X)),
    ]

    // Three blobs with softmax: multiclass regions.
    let blobs = Dataset.blobs(n: 150, centers: [[-4, -3], [4, -3], [0, 4]], sd: 1.2, rng: &rng)
    var soft = Sequential(sizes: [2, 8, 3], hidden: .tanh, output: .softmax, rng: &rng)
    var adam3 = Adam(gamma: 0.05)
    try soft.train(on: blobs, loss: .categoricalCrossEntropy, optimizer: &adam3, options: .init(epochs: 300))
    figures.append(
      ("blobs-decision-boundary", decisionBoundary(network: soft, data: blobs, dataName: "three blobs")))

    // The lecture's regression data: set.seed(123); x <- rnorm(100); y <- 3 + 2x + rnorm(100).
    var r = RRandom(seed: 123)
    let lm = Dataset.linear(n: 100, intercept: 3, slope: 2, noise: 1, rng: &r)
    let x = lm.X.column(0)
    let y = lm.Y.column(0)
    let fit = try LinearModel(x: x, y: y)
    figures += [
      ("lm-regression", regressionPlot(x: x, y: y, fit: fit, residuals: true)),
      ("lm-loss-surface", regressionLossSurface(x: x, y: y)),
      ("activations", activationCurves()),
    ]

    for (name, figure) in figures {
      for format in ImageFormat.allCases {
        try figure.write(to: folder.appendingPathComponent("\(name).\(format.rawValue)"))
      }
      try Data((figure.altText ?? "").utf8).write(to: folder.appendingPathComponent("\(name).txt"))
    }
    XCTAssertEqual(Dataset.xor.accuracy(of: xor), 1)
  }
}
