import XCTest

@testable import Literate

/// The Swift and Markdown README.md shows beyond its complete small notebook
/// (`DocumentationExampleTests`): "Neural in five lines" prints what its comment says, and every
/// ````markdown example parses.
final class ReadmeExamplesTests: XCTestCase {
  static func readme() throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    return try String(contentsOf: url, encoding: .utf8)
  }

  func testNeuralInFiveLinesPrintsWhatItsCommentSays() throws {
    let text = try Self.readme()
    let start = try XCTUnwrap(text.range(of: "## Neural in five lines\n\n```swift\n"))
    let end = try XCTUnwrap(text.range(of: "```\n", range: start.upperBound..<text.endIndex))
    let code = String(text[start.upperBound..<end.lowerBound])
    let said = try XCTUnwrap(code.components(separatedBy: "// ").last).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let dir = try Support.temporaryDirectory(self)
    let source = "```swift\n\(code)```\n"
    let path = try Support.write(source, "five.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(run.blocks[0]?.text, said + "\n")
  }

  /// Each ````markdown block (the complete notebook, the exercise), its list indentation removed,
  /// is a notebook that parses without a warning.
  func testEveryMarkdownExampleParses() throws {
    let lines = try Self.readme().components(separatedBy: "\n")
    var examples: [String] = []
    var current: [String]?
    var indent = 0
    for line in lines {
      let trimmed = line.drop { $0 == " " }
      if current == nil, trimmed == "````markdown" {
        current = []
        indent = line.count - trimmed.count
      } else if current != nil, trimmed == "````" {
        examples.append(current!.joined(separator: "\n") + "\n")
        current = nil
      } else if current != nil {
        current!.append(String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count))))
      }
    }
    XCTAssertEqual(examples.count, 2)
    for (k, example) in examples.enumerated() {
      let notebook = try Notebook.parse(source: example, path: "example\(k).md")
      XCTAssertEqual(notebook.warnings, [], example)
    }
  }

  /// The cheat sheet's calls, each as README shows it (verbatim where it is a complete call) and
  /// as code that compiles and runs: a renamed label or a removed function fails here.
  static let cheatSheet: [(shown: String, code: String)] = [
    ("decisionBoundary(network: net, data: d, test: nil, resolution: 300, steps: nil)", ""),
    (
      "style: .talk, fill: true",
      "decisionBoundary(network: net, data: d, width: 1280, height: 720, style: .talk, fill: true)"
    ),
    ("lossCurve(history, lossName: \"loss\", logScale: false)", ""),
    ("lossCurve(runs: [(label, history)])", "lossCurve(runs: [(\"a\", history)])"),
    ("neuronMaps(network: net, data: d, showData: false)", ""),
    ("networkDiagram(network: net, maxWeight: 5)", ""),
    ("activationCurves([Sigmoid(), ReLU()], domain: -5...5)", ""),
    ("activationHistograms(network: net, inputs: X, bins: 30)", ""),
    ("histogram([(\"label\", values)], bins: 30, layout: .panels)", ""),
    ("// or .overlaid", "histogram([(\"label\", values)], bins: 30, layout: .overlaid)"),
    ("regressionPlot(x: x, y: y, fit: try LinearModel(x: x, y: y), residuals: false)", ""),
    ("regressionLossSurface(x: x, y: y, start: (-2, -2), steps: 60)", ""),
    (
      "lossSurface({ a, b in … }, x: -2...2, y: -2...2, paths: [], minimum: nil)",
      "lossSurface({ a, b in a * a + b * b }, x: -2...2, y: -2...2, paths: [], minimum: nil)"
    ),
    ("Figure(width: 640, height: 480, rows: 1, columns: 1).axes", ""),
    ("Figure(size: .slide)", ""),
    ("figure.style = .talk", "{ let figure = Figure(); figure.style = .talk }()"),
    (
      "Dataset.xor, .and, .or, .truthTable { $0 != $1 }, .table([[0, 1]], targets: [1])",
      "[Dataset.xor, .and, .or, .truthTable { $0 != $1 }, .table([[0, 1]], targets: [1])]"
    ),
    (
      ".linear(n:, intercept:, slope:, noise:, rng:)",
      "Dataset.linear(n: 10, intercept: 1, slope: 2, noise: 0.1, rng: &rng)"
    ),
    (".moons(n:, noise: 0.1, rng:)", "Dataset.moons(n: 10, noise: 0.1, rng: &rng)"),
    (
      ".circles(n:, factor: 0.5, noise: 0.05, rng:)",
      "Dataset.circles(n: 10, factor: 0.5, noise: 0.05, rng: &rng)"
    ),
    (".spirals(n:, noise: 0, rng:)", "Dataset.spirals(n: 10, noise: 0, rng: &rng)"),
    (".blobs(n:, centers: 3, sd: 1, rng:)", "Dataset.blobs(n: 10, centers: 3, sd: 1, rng: &rng)"),
    (".noisySine(n:, noise: 0.1, rng:)", "Dataset.noisySine(n: 10, noise: 0.1, rng: &rng)"),
    ("d.split(testFraction:, rng:)", "d.split(testFraction: 0.25, rng: &rng)"),
    (
      ".identity .sigmoid .tanh .fastTanh .relu .leakyReLU(slope: 0.01) .softplus .softmax",
      "[.identity, .sigmoid, .tanh, .fastTanh, .relu, .leakyReLU(slope: 0.01), .softplus, .softmax] as [Activation]"
    ),
    (
      ".mse .halfMSE .mae .binaryCrossEntropy .categoricalCrossEntropy",
      "[.mse, .halfMSE, .mae, .binaryCrossEntropy, .categoricalCrossEntropy] as [Loss]"
    ),
    ("GradientDescent(gamma:)", "GradientDescent(gamma: 0.1)"), ("SGD(gamma:)", "SGD(gamma: 0.1)"),
    ("MiniBatchSGD(gamma:, batchSize:)", "MiniBatchSGD(gamma: 0.1, batchSize: 2)"),
    ("Momentum(gamma:, beta: 0.9)", "Momentum(gamma: 0.1, beta: 0.9)"),
    ("RMSProp(gamma:, beta: 0.9, epsilon: 1e-8)", "RMSProp(gamma: 0.1, beta: 0.9, epsilon: 1e-8)"),
    ("Adam(gamma: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)", ""),
    (
      "TrainingOptions(epochs:, validationSplit: 0, patience: nil, seed: 1, onEpoch: nil)",
      "TrainingOptions(epochs: 3, validationSplit: 0, patience: nil, seed: 1, onEpoch: nil)"
    ),
    (
      "try net.train(on: d, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 1000)) -> History",
      "try net.train(on: d, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 3)) as History"
    ),
  ]

  func testTheCheatSheetsCallsAreInTheReadmeAndCompile() throws {
    let text = try Self.readme()
    let start = try XCTUnwrap(text.range(of: "## Cheat sheet\n"))
    let end = try XCTUnwrap(text.range(of: "\n```\n", range: start.upperBound..<text.endIndex))
    let sheet = text[start.upperBound..<end.lowerBound]
    for (shown, _) in Self.cheatSheet {
      XCTAssertTrue(sheet.contains(shown), "the cheat sheet no longer shows `\(shown)`")
    }
    let calls = Self.cheatSheet.map { "_ = " + ($0.code.isEmpty ? $0.shown : $0.code) }
    let source = """
      ```swift
      var rng = SeededRandom(seed: 1)
      var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
      var adam = Adam(gamma: 0.05)
      let d = Dataset.xor
      let history = try net.train(on: d, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 5))
      let (X, x, y) = (d.X, [1.0, 2, 3, 4, 5], [2.0, 4.1, 5.9, 8.2, 9.9])
      let values = x
      \(calls.joined(separator: "\n"))
      print("done")
      ```
      """
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "cheat.md", in: dir)
    let (_, run) = try Support.run(source, path: path, options: try Support.options())
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(run.blocks[0]?.text, "done\n")
  }
}
