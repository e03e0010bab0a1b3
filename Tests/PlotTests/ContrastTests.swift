import Foundation
import XCTest

@testable import Plot

/// Every colour a figure uses as text or as a line has the contrast WCAG asks of it on what lies
/// under it: text 4.5:1, lines 3:1. 06's confusion matrix counted its mistakes in vermillion at
/// 3.9:1 and its 33 correct sixes in white at 2.9:1 on a mid-blue cell; 05's momentum curve was
/// Okabe–Ito orange at 2.2:1.
final class ContrastTests: XCTestCase {
  /// The table is the sRGB transfer curve (IEC 61966-2-1), and the ratios are WCAG's.
  func testLuminanceAndContrastAreWCAGs() {
    for byte in 0...255 {
      let v = Double(byte) / 255
      let exact = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
      XCTAssertEqual(ColorContrast.linear[byte], exact, accuracy: 1e-15, "\(byte)")
    }
    XCTAssertEqual(Color.black.contrast(with: .white), 21, accuracy: 1e-12)
    XCTAssertEqual(Palette.vermillion.contrast(with: .white), 3.87, accuracy: 0.01)
    XCTAssertEqual(Color(hex: 0x767676).contrast(with: .white), 4.54, accuracy: 0.01)
  }

  func testTextAndLineColoursHaveTheirContrastOnWhite() {
    for (name, color) in [("text", Theme.text), ("tick labels", Theme.tickLabel), ("frame", Theme.frame)] {
      XCTAssertGreaterThanOrEqual(color.contrast(with: .white), ColorContrast.text, name)
    }
    for (k, color) in Palette.series.enumerated() {
      XCTAssertGreaterThanOrEqual(
        color.contrast(with: .white), ColorContrast.graphics, "series \(k): \(color)")
    }
    XCTAssertEqual(Palette.series[0], Palette.blue, "a colour that passes is Okabe–Ito's own")
    XCTAssertEqual(Palette.series[1], Palette.vermillion)
  }

  /// `readable` moves a colour as little as needed, toward black or white, and keeps its hue.
  func testReadableDarkensOrLightensAsLittleAsNeeded() {
    let verm = Palette.vermillion.readable(on: .white)
    XCTAssertGreaterThanOrEqual(verm.contrast(with: .white), 4.5)
    XCTAssertLessThan(verm.contrast(with: .white), 5.2, "darkened no more than needed: \(verm)")
    XCTAssertTrue(verm.red > verm.green && verm.green > verm.blue, "still vermillion: \(verm)")
    let onNavy = Palette.blue.readable(on: Color(hex: 0x08306B))
    XCTAssertGreaterThanOrEqual(onNavy.contrast(with: Color(hex: 0x08306B)), 4.5)
    XCTAssertGreaterThan(onNavy.lightness, Palette.blue.lightness, "lightened on a dark background")
    XCTAssertEqual(Theme.text.readable(on: .white), Theme.text, "a readable colour is kept")
  }

  /// 06's figure: counts over a heatmap of blues, mistakes in vermillion on near-white cells, a
  /// large count in white on a mid-blue one. Each count is drawn in a colour readable on its cell.
  func testTextOnAHeatmapIsReadableOnItsCell() throws {
    let counts: [Double] = [51, 1, 33, 0]  // bottom row first: (0,0) 51, (1,0) 1, (0,1) 33, (1,1) 0
    let blues = ColorMap(domain: 0...51, anchors: [.white, Color(hex: 0x9ECAE1), Color(hex: 0x08306B)])
    let figure = Figure(width: 300, height: 300)
    let ax = figure.axes
    ax.heatmap(
      Grid(x: -0.5...1.5, y: -0.5...1.5, columns: 2, rows: 2, values: counts), map: blues, smooth: false)
    ax.text("51", x: 0, y: 0, color: .white, horizontal: .center, vertical: .center)
    ax.text("1", x: 1, y: 0, color: Palette.vermillion, horizontal: .center, vertical: .center)
    ax.text("33", x: 0, y: 1, color: .white, horizontal: .center, vertical: .center)
    let texts = ax.marks.compactMap { mark -> TextMark? in
      if case .text(let t) = mark { return t }
      return nil
    }
    XCTAssertEqual(texts.count, 3)
    for (text, count) in zip(texts, [51.0, 1, 33]) {
      let drawn = ax.readableColor(text)
      let cell = blues.color(count)
      XCTAssertGreaterThanOrEqual(drawn.contrast(with: cell), 4.5, "\(text.text) in \(drawn) on \(cell)")
    }
    XCTAssertEqual(ax.readableColor(texts[0]), .white, "white on the darkest cell is kept")
    // The SVG draws the mistake's count in the darkened vermillion, never in the 3.9:1 one.
    let svg = String(decoding: try figure.data(.svg, scale: 1, as: figure.size), as: UTF8.self)
    XCTAssertFalse(svg.contains("fill:rgb(83.529412%,36.862745%,0%)"), "vermillion at 3.9:1 drawn")
    let darker = Palette.vermillion.readable(on: blues.color(1))
    func percent(_ v: Double) -> String {
      String(format: "%.6f", v * 100).replacing(#/\.?0+$/#, with: "") + "%"
    }
    let fill = "fill:rgb(\(percent(darker.red)),\(percent(darker.green)),\(percent(darker.blue)))"
    XCTAssertTrue(svg.contains(fill), "\(fill) not in the SVG")
  }
}
