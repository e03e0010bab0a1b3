import Foundation
import XCTest

@testable import Literate

/// A figure whose points are NaN or infinite drew without them, and one with no data at all drew
/// empty axes, without a word: each is a warning at its `show(…)` call, saying how many points
/// were not drawn. A NaN between finite points of a line is the break it is meant to make (an
/// activation's jump), not a dropped point; a finite point alone between such breaks is one, since
/// a line of one point draws nothing.
final class FigureWarningsTests: XCTestCase {
  static let source = """
    # Figures

    ```swift
    let some = Figure(width: 300, height: 200)
    some.axes.line(x: [1, 2, 3, 4, 5, 6], y: [.nan, 1, 2, .nan, 3, .infinity])
    show(some)
    let none = Figure(width: 300, height: 200)
    none.axes.scatter(x: [1, 2, 3], y: [.nan, .nan, -.infinity])
    show(none)
    let empty = Figure(width: 300, height: 200)
    empty.axes.title = "Nothing yet"
    show(empty)
    let gap = Figure(width: 300, height: 200)
    gap.axes.line(x: [-1, 0, .nan, 0, 1], y: [0, 0, .nan, 1, 1])
    show(gap)
    ```

    """

  func testPointsNotDrawnAndAnEmptyFigureAreWarningsAtTheirShow() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(Self.source, "figures.md", in: dir)
    let (notebook, run) = try Support.run(
      Self.source, path: path, options: try Support.options(cache: dir.appendingPathComponent("cache")))
    XCTAssertFalse(run.failed, "\(run)")
    XCTAssertEqual(run.blocks[0]?.figures.count, 4)
    let warnings = run.diagnostics.filter { $0.severity == .warning }
    XCTAssertEqual(
      warnings.map { "\($0.location?.description ?? "-") \($0.message)" },
      [
        // The 3 at x = 5 stands between the NaN and the infinity: a line of one point draws nothing.
        "\(path):6:1 figure block0-1: 3 of its 6 points are not drawn: 2 are NaN or infinite and 1 stands alone "
          + "between gaps of a line without markers",
        "\(path):9:1 figure block0-2 draws no data: all 3 of its points are NaN or infinite",
        "\(path):12:1 figure block0-3 draws no data (no line, point or bar)",
      ])
    // What `check` prints.
    let outcome = NotebookOutcome(path: path, notebook: notebook, run: run, error: nil)
    XCTAssertTrue(
      Report.terminal(outcome).contains("\(path):9:1: warning: figure block0-2 draws no data"),
      Report.terminal(outcome))
  }
}
