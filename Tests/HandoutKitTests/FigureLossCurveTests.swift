import Foundation
import XCTest

@testable import HandoutKit
@testable import Plot

final class FigureLossCurveTests: XCTestCase {
  /// A run with validation loss and early stopping, seeded.
  private func earlyStoppedRun() throws -> History {
    var rng = SeededRandom(seed: 11)
    let data = Dataset.moons(n: 120, noise: 0.25, rng: &rng)
    var net = Sequential(sizes: [2, 8, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    return try net.train(
      on: data, loss: .binaryCrossEntropy, optimizer: &adam,
      options: .init(epochs: 300, validationSplit: 0.3, patience: 20, seed: 3))
  }

  func testSingleRunWithValidationAndBestEpoch() throws {
    let history = try earlyStoppedRun()
    let best = try XCTUnwrap(history.bestEpoch, "early stopping keeps a best epoch")
    let figure = lossCurve(history, lossName: "binary cross-entropy")
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.axes.yLabel, "binary cross-entropy")
    XCTAssertEqual(figure.axes.xLabel, "epoch")
    XCTAssertTrue(figure.axes.x.integerTicks)
    let alt = try XCTUnwrap(figure.altText)
    XCTAssertTrue(alt.contains("validation dashed"), alt)
    XCTAssertTrue(alt.contains("kept epoch \(best)"), alt)
  }

  func testLogScaleIsStatedInTheLabel() throws {
    let (_, history) = try trainedXOR()
    let figure = lossCurve(history, lossName: "binary cross-entropy", logScale: true)
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.axes.yScale, .log10)
    XCTAssertEqual(figure.axes.yLabel, "binary cross-entropy (log scale)")
    XCTAssertTrue(figure.altText?.contains("log scale") ?? false)
  }

  /// Several runs, one of which diverged (NaN losses break its line instead of failing).
  func testSeveralRunsOverlaid() throws {
    let (_, history) = try trainedXOR()
    var diverged = History()
    diverged.epochs = (1...5).map {
      EpochRecord(epoch: $0, loss: $0 < 4 ? 1 / Double($0) : .nan, gradientNorms: [])
    }
    let figure = lossCurve(runs: [("γ = 0.05", history), ("γ = 10", diverged)], logScale: true)
    try assertRendersAllFormats(figure)
    XCTAssertTrue(figure.altText?.contains("2 runs (γ = 0.05, γ = 10)") ?? false, figure.altText ?? "")
  }

  /// Runs without validation losses are named alone in the legend ("Adam", not "Adam · training":
  /// deck 05's optimiser legend took more of the slide than its plot); runs with validation keep
  /// "· training" and "· validation" apart.
  func testRunsWithoutValidationAreNamedAloneInTheLegend() throws {
    let (_, history) = try trainedXOR()
    let plain = lossCurve(runs: [("SGD", history), ("Adam", history)])
    XCTAssertEqual(plain.axes.legendEntries.map(\.label), ["SGD", "Adam"])
    let validated = try earlyStoppedRun()
    let both = lossCurve(runs: [("a", validated), ("b", history)])
    XCTAssertEqual(
      both.axes.legendEntries.map(\.label),
      ["a · training", "a · validation", "kept (early stopping)", "b · training"])
    XCTAssertEqual(lossCurve(history).axes.legendEntries.map(\.label), ["training"])
  }
}
