import Foundation
import XCTest

@testable import Plot

/// `Figure.copy()`: `show(…)` draws a figure's download files from a copy after it has returned.
final class FigureCopyTests: XCTestCase {
  func testACopyDrawsTheSameBytesAndKeepsThemWhenTheOriginalChanges() throws {
    for (name, figure) in Gallery.all() {
      figure.altText = "alt \(name)"
      let copy = figure.copy()
      XCTAssertFalse(copy === figure)
      XCTAssertEqual(copy.altText, figure.altText)
      for format in [ImageFormat.svg, .pdf, .png] {
        XCTAssertEqual(try copy.data(format), try figure.data(format), "\(name) \(format)")
      }
      let before = try copy.data(.svg)
      figure.title = "changed"
      figure.style = .talk
      for panel in figure.panels {
        panel.line(x: [0, 1], y: [1, 0], label: "added")
        panel.xLabel = "changed"
      }
      XCTAssertEqual(try copy.data(.svg), before, "\(name): the copy does not follow its original")
      XCTAssertNotEqual(try figure.data(.svg), before, name)
    }
  }

  func testTheCopyTakesEveryStoredProperty() {
    // A stored property added to `Figure` or `Axes` must be copied in `Figure.copy()`
    // (`Axes.copyState(of:)`); then count it here.
    XCTAssertEqual(Mirror(reflecting: Figure()).children.count, 10)
    XCTAssertEqual(Mirror(reflecting: Axes()).children.count, 11)
    let figure = Gallery.smallMultiples()
    figure.id = "grid"
    figure.colorBar(.viridis(), label: "z")
    let copy = figure.copy()
    for (a, b) in zip([figure] + figure.panels as [AnyObject], [copy] + copy.panels as [AnyObject]) {
      let mine = Mirror(reflecting: a).children.filter { $0.label != "panels" }
      let theirs = Mirror(reflecting: b).children.filter { $0.label != "panels" }
      XCTAssertEqual(mine.map(\.label), theirs.map(\.label))
      XCTAssertEqual(mine.map { "\($0.value)" }, theirs.map { "\($0.value)" })
    }
  }
}
