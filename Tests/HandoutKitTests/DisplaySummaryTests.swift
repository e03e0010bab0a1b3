import Neural
import XCTest

@testable import HandoutKit

/// A bare `history` or `data` as a block's last line shows a summary, and no displayed value is
/// longer than the cap (issue 12, section 5: 2000 epochs made a 393 KB page).
final class DisplaySummaryTests: XCTestCase {
  func testHistoryIsOneLine() {
    let losses = (1...2000).map { 1.0 / Double($0) }
    let validation = (1...2000).map { abs(Double($0) - 812) / 1000 + 0.0456 }
    var history = History(losses: losses, validationLosses: validation)
    history.stoppedEarly = true
    history.bestEpoch = 812
    let shown = _Handout.format(history, inline: false)
    XCTAssertEqual(
      shown,
      "History: 2000 epochs, final loss 0.0005, best validation loss 0.0456 (epoch 812), stopped early "
        + "(weights of epoch 812)")
    XCTAssertEqual(_Handout.format(History(), inline: false), "History: no epochs")
    XCTAssertEqual(
      _Handout.format(History(losses: [0.5]), inline: true), "History: 1 epoch, final loss 0.5")
  }

  func testDatasetShowsItsShapeAndFirstRows() {
    let n = 1000
    let X = Matrix(rows: n, cols: 2, (0..<(2 * n)).map { Double($0) / 4 })
    let data = Dataset(X: X, labels: (0..<n).map { $0 % 3 })
    let shown = _Handout.format(data, inline: false)
    let lines = shown.split(separator: "\n")
    XCTAssertEqual(lines.first, "Dataset: 1000 samples, 2 inputs → 3 targets (3 classes)")
    XCTAssertEqual(lines[1], "  0 0.25  →  class 0")
    XCTAssertEqual(lines.count, 7, shown)
    XCTAssertEqual(lines.last, "  … 995 more")
    let regression = Dataset(X: Matrix(column: [1, 2]), Y: Matrix(column: [0.5, 1.5]))
    XCTAssertEqual(
      _Handout.format(regression, inline: false),
      "Dataset: 2 samples, 1 input → 1 target\n  1  →  0.5\n  2  →  1.5")
  }

  func testEveryDisplayedValueIsCapped() {
    let long = String(repeating: "é", count: 25_000)
    let block = _Handout.format(long, inline: false)
    XCTAssertEqual(block, String(repeating: "é", count: 10_000) + "… (15000 more characters)")
    let inline = _Handout.format(Array(repeating: 1, count: 5000), inline: true)
    XCTAssertTrue(inline.hasSuffix("… (13998 more characters)"), inline.suffix(40).description)
    XCTAssertEqual(inline.count, 1000 + "… (13998 more characters)".count)
    XCTAssertEqual(_Handout.format("short", inline: false), "short")
    // A big matrix is cut too.
    let matrix = Matrix(rows: 2000, cols: 20, repeating: 0.125)
    XCTAssertTrue(_Handout.format(matrix, inline: false).hasSuffix("more characters)"))
  }
}
