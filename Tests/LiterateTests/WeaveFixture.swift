import Foundation
import XCTest

@testable import Literate

/// A notebook that uses every feature the weaver shows, and a run of it with passing and failing
/// checks, hostile output, a figure and a published output (shared with the browser test).
enum WeaveFixture {
  static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")

  static let gradient =
    #"\frac{\partial E}{\partial w_1} = -\frac{1}{N} \sum_{i=1}^N (d_i - y_i) * y_i * (1 - y_i) * x_{1i}"#

  static func options(selfContained: Bool = false, figureRoot: URL? = nil) -> WeaveOptions {
    WeaveOptions(
      templatesDirectory: templates, fallbackTemplatesDirectory: nil, selfContained: selfContained,
      generator: "handout test", figureRoot: figureRoot)
  }

  static func block(
    _ index: Int, _ code: String, language: String = "swift", line: Int, id: String? = nil,
    echo: Bool = true, eval: Bool = true, showOutput: Bool = true
  ) -> Block {
    Block(
      index: index, id: id, language: language, code: code,
      fence: SourceLocation(file: "notebooks/neuron.md", line: line), echo: echo, eval: eval,
      showOutput: showOutput)
  }

  static func notebook() -> Notebook {
    Notebook(
      path: "notebooks/neuron.md", name: "neuron",
      frontMatter: FrontMatter(
        title: "A single neuron", subtitle: "Gradient descent by hand", author: "A. Teacher",
        date: "2024-05-01", course: "Neural networks from scratch",
        abstract: "We train *one* sigmoid neuron with $\\eta = 0.5$."),
      nodes: [
        .prose(
          markdown: """
            ## The model

            A linear model is $y_i = \\alpha + \\beta x_i$ and the error gradient is

            $$\(gradient)$$

            | $x_1$ | $x_2$ | d |
            | --- | --- | --- |
            | 0 | 1 | 0 |
            | 1 | 1 | 1 |

            The loss after training is `swift loss`.

            ### Training
            """, line: 8),
        .block(
          block(
            0, "let w = [0.5, -0.3]\nprint(\"<script>alert(1)</script></pre>\")\nw", line: 24, id: "train")),
        .published(
          PublishedOutput(
            blockIndex: 0, text: "<script>alert(1)</script></pre>", tolerance: nil,
            fence: SourceLocation(file: "notebooks/neuron.md", line: 29))),
        .prose(markdown: "## The same in R\n\nCosts $5 and $10, not math.", line: 32),
        .block(block(1, "y <- 1 + 2 * x # fit\nprint(\"done\")", language: "r", line: 36)),
        .block(block(2, "let hidden = 42", line: 40, echo: false)),
        .block(block(3, "fatalError(\"never\")", line: 44, eval: false)),
        .block(block(4, "expect(loss, equals: 0.25)", line: 48)),
      ],
      inlines: [
        InlineExpression(
          index: 0, expression: "loss", location: SourceLocation(file: "notebooks/neuron.md", line: 20),
          afterBlockCount: 0)
      ])
  }

  static let figure = FigureOutput(
    name: "train-1", files: ["svg": "neuron/train-1.svg", "pdf": "neuron/train-1.pdf"],
    caption: "Loss $E(w_1, w_2)$ <per> epoch", alt: "loss curve <falling>", width: 320, height: 200)

  static func run() -> RunResult {
    RunResult(
      blocks: [
        0: BlockResult(
          blockIndex: 0, text: "<script>alert(1)</script></pre>\n", value: "shown by the published output",
          figures: [figure],
          checks: [
            CheckResult(
              kind: .publishedOutput, location: SourceLocation(file: "notebooks/neuron.md", line: 29),
              passed: true, expected: "<script>alert(1)</script></pre>",
              actual: "<script>alert(1)</script></pre>")
          ]),
        2: BlockResult(blockIndex: 2, text: "hidden output\n", value: "[0.5, -0.3] & </pre>"),
        4: BlockResult(
          blockIndex: 4,
          checks: [
            CheckResult(
              kind: .expectation, location: SourceLocation(file: "notebooks/neuron.md", line: 49, column: 1),
              passed: false, expected: "0.25", actual: "0.2531<b>",
              difference: "|Δ| = 0.0031 > tolerance 1e-06"),
            CheckResult(
              kind: .expectation, location: SourceLocation(file: "notebooks/neuron.md", line: 50),
              passed: true, expected: "0.5", actual: "0.5"),
          ],
          failure: Diagnostic(
            .error, "Fatal error: <Index out of range>",
            at: SourceLocation(file: "notebooks/neuron.md", line: 51, column: 3))),
      ],
      inlineValues: [0: "0.0123 <&>"],
      diagnostics: [
        Diagnostic(
          .warning, "unused variable 'x' <here>",
          at: SourceLocation(file: "notebooks/neuron.md", line: 41, column: 5))
      ])
  }

  /// A small valid SVG the size the figure claims.
  static let svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">
    <rect width="320" height="200" fill="#f4f8ff"/><polyline fill="none" stroke="#0b5cad" stroke-width="3"
    points="20,30 80,110 140,150 200,168 260,176 300,178"/></svg>
    """
}
