import Foundation
import XCTest

@testable import Plot

/// Figures for slides: `.talk` draws text, lines and markers larger; `.slide` is a 16:9 frame.
final class FigureStyleTests: XCTestCase {
  /// The tallest glyph outline in a Cairo SVG (Cairo writes each glyph once, as the path of a
  /// `<symbol>` in the definitions, at the size it is drawn).
  static func tallestGlyph(_ svg: String) -> Double {
    var tallest = 0.0
    for definition in svg.components(separatedBy: "<symbol ").dropFirst() {
      guard let path = definition.firstMatch(of: #/ d="([^"]*)"/#) else { continue }
      let numbers = path.output.1.matches(of: #/-?\d+(\.\d+)?/#).compactMap { Double($0.output.0) }
      // Coordinates come in x y pairs.
      let ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
      guard let low = ys.min(), let high = ys.max() else { continue }
      tallest = max(tallest, high - low)
    }
    return tallest
  }

  func testTalkStyleScalesTheTextOfTheSVG() throws {
    let paper = sampleLineFigure()
    let talk = sampleLineFigure()
    talk.style = .talk
    talk.width *= 2
    talk.height *= 2
    let small = Self.tallestGlyph(String(decoding: try paper.data(.svg), as: UTF8.self))
    let large = Self.tallestGlyph(String(decoding: try talk.data(.svg), as: UTF8.self))
    XCTAssertGreaterThan(small, 3, "glyphs found in the SVG")
    XCTAssertGreaterThanOrEqual(large, small * FigureStyle.talk.scale * 0.98, "\(large) vs \(small)")
    // The same figure at twice the size is the same picture, twice as large.
    XCTAssertEqual(
      try talk.pixel(x: 5, y: 0, in: talk.axes)?.x ?? 0,
      2 * (try paper.pixel(x: 5, y: 0, in: paper.axes)?.x ?? 0), accuracy: 2)
  }

  func testSlideSizeIsSixteenByNineInTheTalkStyle() throws {
    let figure = Figure(size: .slide)
    XCTAssertEqual(figure.width, 1280)
    XCTAssertEqual(figure.height, 720)
    XCTAssertEqual(figure.style, .talk)
    figure.axes.line(x: [0, 1], y: [0, 1])
    let png = try figure.data(.png)
    XCTAssertEqual(bigEndian32(png, 16), 2560)
    XCTAssertEqual(bigEndian32(png, 20), 1440)
    let area = try figure.plotAreaSize(of: figure.axes)
    XCTAssertGreaterThan(area.width / area.height, 1.5, "the plot area is wide: \(area)")
  }

  func testPaperStyleIsTheDefaultAndDrawsAsBefore() throws {
    let figure = sampleLineFigure()
    XCTAssertEqual(figure.style, .paper)
    let styled = sampleLineFigure()
    styled.style = FigureStyle(scale: 1)
    XCTAssertEqual(try figure.data(.svg), try styled.data(.svg))
  }
}
