import Foundation
import XCTest

@testable import Plot

final class DrawingTests: XCTestCase {
  /// Colours within `tolerance` per channel (0…1).
  func assertClose(
    _ a: Color?, _ b: Color, tolerance: Double = 3.0 / 255, file: StaticString = #filePath,
    line: UInt = #line
  ) {
    guard let a else { return XCTFail("no pixel", file: file, line: line) }
    let d = max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue))
    XCTAssertLessThanOrEqual(d, tolerance, "\(a) vs \(b)", file: file, line: line)
  }

  func testHeatmapPixelHasMappedColour() throws {
    let figure = Figure(width: 400, height: 400)
    let ax = figure.axes
    // p = 0 on the left half, 1 on the right half, 0.5 along a band in the middle.
    ax.heatmap(x: -2...2, y: -2...2, samples: 200, map: .probability()) { x, _ in
      x < -0.5 ? 0 : (x > 0.5 ? 1 : 0.5)
    }
    let raster = try figure.raster()
    let map = ColorMap.probability()
    for (x, expected) in [(-1.5, 0.0), (0.0, 0.5), (1.5, 1.0)] {
      let p = try XCTUnwrap(try figure.pixel(x: x, y: 1, in: ax))
      assertClose(raster.color(x: p.x, y: p.y), map.color(expected))
    }
    assertClose(map.color(0), Color(hex: 0xF59322), tolerance: 0)
    assertClose(map.color(0.5), Color(hex: 0xE8EAEB), tolerance: 0)
  }

  func testBackgroundIsOpaqueWhite() throws {
    let raster = try sampleLineFigure().raster()
    XCTAssertEqual(raster.color(x: 0, y: 0), .white)
    XCTAssertEqual(raster.width, 1280)
    XCTAssertEqual(raster.height, 960)
    XCTAssertTrue(raster.argb.allSatisfy { $0 >> 24 == 0xFF }, "every pixel opaque")
  }

  func testLineIsDrawnWhereTheDataIs() throws {
    let figure = Figure(width: 300, height: 200)
    figure.axes.line(x: [0, 10], y: [5, 5], color: Palette.vermillion, width: 3)
    figure.axes.yLimits = 0...10
    let raster = try figure.raster()
    let on = try XCTUnwrap(try figure.pixel(x: 5, y: 5, in: figure.axes))
    assertClose(raster.color(x: on.x, y: on.y), Palette.vermillion)
    let off = try XCTUnwrap(try figure.pixel(x: 5, y: 8, in: figure.axes))
    XCTAssertNotEqual(raster.color(x: off.x, y: off.y), Palette.vermillion)
  }

  func testNaNBreaksALine() throws {
    let figure = Figure(width: 300, height: 200)
    figure.axes.line(x: [0, 1, 2, 3], y: [1, 1, .nan, 1], color: .black, width: 3)
    figure.axes.showGrid = false
    figure.axes.yLimits = 0...2
    let raster = try figure.raster()
    let drawn = try XCTUnwrap(try figure.pixel(x: 0.5, y: 1, in: figure.axes))
    let gap = try XCTUnwrap(try figure.pixel(x: 2, y: 1, in: figure.axes))
    assertClose(raster.color(x: drawn.x, y: drawn.y), .black)
    assertClose(raster.color(x: gap.x, y: gap.y), .white)
  }

  func testNegativeTickLabelsUseMinusSign() throws {
    let figure = Figure(width: 400, height: 300)
    figure.axes.line(x: [-3, 3], y: [-2, 2])
    let layout = try CairoCanvas.measuring { figure.layout(measure: $0) }
    let labels = layout.panels[0].xTicks.labels + layout.panels[0].yTicks.labels
    XCTAssertTrue(labels.contains("\u{2212}2"), "\(labels)")
    XCTAssertFalse(labels.contains { $0.contains("-") })
  }

  func testSmallPanelsGetFewerTicksThanWanted() throws {
    let figure = Figure(width: 240, height: 200, rows: 1, columns: 2)
    for panel in figure.panels { panel.line(x: [-5, 5], y: [-5, 5]) }
    let layout = try CairoCanvas.measuring { figure.layout(measure: $0) }
    XCTAssertLessThan(layout.panels[0].xTicks.major.count, 5)
    let big = Figure(width: 640, height: 480)
    big.axes.line(x: [-5, 5], y: [-5, 5])
    let bigLayout = try CairoCanvas.measuring { big.layout(measure: $0) }
    XCTAssertEqual(bigLayout.panels[0].xTicks.major, [-5, -2.5, 0, 2.5, 5])
  }

  func testEqualAspectMakesUnitsEqual() throws {
    let figure = Figure(width: 640, height: 360)
    figure.axes.line(x: [0, 4], y: [0, 2])
    figure.axes.xLimits = 0...4
    figure.axes.yLimits = 0...2
    figure.axes.aspect = .equal
    let plot = try CairoCanvas.measuring { figure.layout(measure: $0) }.panels[0].plot
    XCTAssertEqual(plot.width / 4, plot.height / 2, accuracy: 1e-9)
  }

  func testTextStaysInsideTheFigure() throws {
    // Long labels and a colour bar must not push anything past the edges.
    for (_, figure) in Gallery.all() {
      let layout = try CairoCanvas.measuring { figure.layout(measure: $0) }
      for (axes, panel) in zip(figure.panels, layout.panels) where axes.showAxes {
        XCTAssertGreaterThan(panel.plot.minX, 20)
        XCTAssertLessThan(panel.plot.maxX, figure.width)
        XCTAssertGreaterThan(panel.plot.width, 50)
      }
      if let bar = layout.colorBar { XCTAssertLessThan(bar.maxX + 20, figure.width) }
    }
  }

  func testFontSizesMeetTheChecklist() {
    XCTAssertGreaterThanOrEqual(Metrics.tickFont.size, 8)
    XCTAssertGreaterThanOrEqual(Metrics.labelFont.size, 10)
  }

  func testAltTextDefaultsToLabels() {
    let figure = Gallery.lines()
    let alt = figure.altText ?? ""
    XCTAssertTrue(alt.contains("Loss per epoch"), alt)
    XCTAssertTrue(alt.contains("cross-entropy loss against epoch"), alt)
    XCTAssertTrue(alt.contains("training"), alt)
    figure.altText = "Custom"
    XCTAssertEqual(figure.altText, "Custom")
  }

  func testInvalidSizeIsAnError() {
    let figure = Figure(width: 0, height: 100)
    XCTAssertThrowsError(try figure.data(.png)) { error in
      XCTAssertEqual(error as? PlotError, .invalidSize(width: 0, height: 100, scale: 2))
    }
  }

  func testHeatmapOf500SquareIsFast() throws {
    let figure = Figure(width: 500, height: 500)
    let start = Self.processCPUSeconds()
    figure.axes.heatmap(x: -1...1, y: -1...1, samples: 500, map: .viridis()) { x, y in
      x * x + y * y
    }
    _ = try figure.data(.png)
    // CPU time, not the wall clock: on a loaded machine the wall clock says how long the other
    // processes ran. Generous for a debug build (measured ~0.3 s).
    XCTAssertLessThan(Self.processCPUSeconds() - start, 5)
  }

  /// The CPU time (user and system) of this process so far, every thread's.
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }
}

final class ColorTests: XCTestCase {
  func testPaletteValues() {
    XCTAssertEqual(
      Palette.okabeIto.map(\.hexString),
      ["#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"])
  }

  func testViridisEndsAndMiddle() {
    let v = ColorMap.viridis()
    XCTAssertEqual(v.color(0).hexString, "#440154")
    XCTAssertEqual(v.color(1).hexString, "#fde725")
    XCTAssertEqual(v.color(-5), v.color(0), "clamped below")
    XCTAssertEqual(v.anchors.count, 256)
    XCTAssertEqual(v.color(.nan), v.nanColor)
  }

  func testDivergingMapIsNeutralAtOneHalf() {
    let p = ColorMap.probability()
    XCTAssertEqual(p.color(0.5).hexString, "#e8eaeb")
    XCTAssertEqual(ColorMap.redBlue().color(0).hexString, "#f7f7f7")
  }

  func testSteppedMapHasFlatBins() {
    let s = ColorMap.viridis().discretised(10)
    XCTAssertEqual(s.color(0.01), s.color(0.09))
    XCTAssertNotEqual(s.color(0.09), s.color(0.11))
  }

  func testHexParsing() {
    XCTAssertEqual(Color(hex: "#0877bd"), Color(hex: 0x0877BD))
    XCTAssertNil(Color(hex: "#12345"))
    XCTAssertNil(Color(hex: "zzzzzz"))
  }
}

final class ContourTests: XCTestCase {
  func testCircleContourHasTheRightRadius() {
    let grid = Grid(x: -2...2, y: -2...2, columns: 101, rows: 101) { x, y in (x * x + y * y).squareRoot() }
    let lines = Contour.lines(grid, level: 1)
    XCTAssertEqual(lines.count, 1, "one closed ring")
    let ring = lines[0]
    XCTAssertGreaterThan(ring.count, 50)
    XCTAssertEqual(ring.first?.x ?? .nan, ring.last?.x ?? .nan, accuracy: 1e-12, "closed")
    for p in ring {
      XCTAssertEqual((p.x * p.x + p.y * p.y).squareRoot(), 1, accuracy: 0.01)
    }
  }

  func testLevelOutsideRangeGivesNoLines() {
    let grid = Grid(x: 0...1, y: 0...1, columns: 10, rows: 10) { x, y in x + y }
    XCTAssertTrue(Contour.lines(grid, level: 5).isEmpty)
    XCTAssertEqual(Contour.lines(grid, level: 1).count, 1, "one open diagonal line")
  }
}

final class ImageTests: XCTestCase {
  func testImageRowZeroIsAtTheBottom() throws {
    let figure = Figure(width: 300, height: 300)
    let ax = figure.axes
    // Two rows: bottom vermillion, top blue.
    ax.image(
      x: 0...1, y: 0...1, columns: 1, rows: 2, colors: [Palette.vermillion, Palette.blue],
      smooth: false)
    let raster = try figure.raster()
    let bottom = try XCTUnwrap(try figure.pixel(x: 0.5, y: 0.1, in: ax))
    let top = try XCTUnwrap(try figure.pixel(x: 0.5, y: 0.9, in: ax))
    XCTAssertEqual(raster.color(x: bottom.x, y: bottom.y)?.hexString, Palette.vermillion.hexString)
    XCTAssertEqual(raster.color(x: top.x, y: top.y)?.hexString, Palette.blue.hexString)
  }

  func testACrispImageIsStoredInBlocksSoAViewerCannotBlurItsCells() throws {
    // Browsers smooth an SVG's embedded image whatever Cairo's filter; stored as blocks of about
    // two pixels per point, a crisp image's cells stay sharp and only the blocks' edges can blur.
    func storedWidths(smooth: Bool) throws -> [Int] {
      let figure = Figure(width: 300, height: 300)
      figure.axes.image(
        x: 0...1, y: 0...1, columns: 2, rows: 2, colors: [.white, .black, .black, .white], smooth: smooth)
      let svg = String(decoding: try figure.data(.svg), as: UTF8.self)
      return svg.components(separatedBy: "<image ").dropFirst().compactMap { element in
        element.components(separatedBy: "width=\"").dropFirst().first?.split(separator: "\"").first
          .flatMap { Int($0) }
      }
    }
    let crisp = try storedWidths(smooth: false)
    XCTAssertEqual(crisp.count, 1, "\(crisp)")
    XCTAssertGreaterThanOrEqual(crisp.first ?? 0, 2 * 32 + 2, "2 cells of at least 32 pixels, padded")
    XCTAssertEqual(try storedWidths(smooth: true), [4], "a smooth image is stored as given, padded")
  }
}

final class LayoutTests: XCTestCase {
  func testWideFirstXLabelIsNotClippedOnTheLeft() throws {
    let figure = Figure(width: 400, height: 300)
    figure.axes.line(x: [-1_000_000, 1_000_000], y: [0, 1])
    figure.axes.xLimits = -1_000_000...1_000_000  // no padding: the first tick is on the edge
    figure.axes.yLimits = 0...1
    figure.axes.y.ticks = [0, 1]
    let layout = try CairoCanvas.measuring { figure.layout(measure: $0) }
    let panel = layout.panels[0]
    let first = try XCTUnwrap(panel.xTicks.labels.first)
    XCTAssertTrue(first.hasPrefix("\u{2212}"), first)
    let width = try CairoCanvas.measuring { $0.measure(first, font: Metrics.tickFont).width }
    let leftEdge = panel.xMap(try XCTUnwrap(panel.xTicks.major.first)) - width / 2
    XCTAssertGreaterThanOrEqual(leftEdge, 0)
  }
}
