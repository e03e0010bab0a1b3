import XCTest

@testable import Plot

/// What a phone variant lays out differently from the page: panel titles wrapped to their cells,
/// a grid's outer axis labels on the new grid's outer panels, an input plane's colour bar under it.
final class PhoneLayoutTests: XCTestCase {
  /// 03's fits: six charts in two rows of three, x labelled on the bottom row and y on the left
  /// column, and a figure title of 470 pt.
  static func fits(panelTitle: (Int) -> String = { "h = \($0) hidden neurons" }) -> Figure {
    let figure = Figure(width: 720, height: 430, rows: 2, columns: 3)
    for (k, panel) in figure.panels.enumerated() {
      panel.title = panelTitle(k)
      panel.line(x: [-3, 0, 3], y: [-1, 0, 1])
      if k / 3 == 1 { panel.xLabel = "x" }
      if k % 3 == 0 { panel.yLabel = "y" }
    }
    figure.title = "Noisy sine (dots), true sin x (dashed) and the network's fit (red)"
    return figure
  }

  func testAGridWithALongTitleIs360WideInTwoColumnsWithAllItsTextOnTheCanvas() throws {
    let figure = Self.fits()
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    XCTAssertEqual(phone.width, 360, "it was 600 wide: its text shown at 6 px")
    XCTAssertEqual(phone.grid, PanelGrid(rows: 3, columns: 2))
    let boxes = try figure.labelBoxes(as: phone)
    let canvas = Rect(x: 0, y: 0, width: phone.width, height: phone.height)
    for box in boxes {
      XCTAssertEqual(box.rect.overlap(canvas), box.rect.width * box.rect.height, accuracy: 0.01, "\(box)")
    }
    XCTAssertEqual(LabelBox.overlapArea(boxes), 0)
  }

  /// A panel title wider than its cell wraps inside it instead of running into its neighbour's.
  func testAPanelTitleWiderThanItsCellWraps() throws {
    let figure = Self.fits { "a network of \($0 + 1) hidden neurons, trained for 3000 epochs" }
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    let boxes = try figure.labelBoxes(as: phone)
    XCTAssertEqual(LabelBox.overlapArea(boxes), 0, "\(boxes.filter { $0.kind == .title })")
    let titles = boxes.filter { $0.kind == .title && $0.text.contains("epochs") }
    XCTAssertEqual(titles.count, 6, "\(titles.map(\.text))")
    XCTAssertTrue(boxes.contains { $0.kind == .title && $0.text.hasPrefix("a network of 1") })
  }

  /// A title that fits its cell stays one line, even past the cell's padding: 06's mistakes,
  /// eight digits a row on a phone, broke "9 → 5" into "9 →" and "5" in a 45 pt cell.
  func testATitleThatFitsItsCellStaysOneLine() throws {
    let figure = Figure(width: 640, height: 200, rows: 2, columns: 8)
    for panel in figure.panels {
      panel.title = "9 → 5"
      panel.showAxes = false
    }
    let titles = try figure.labelBoxes(as: FigureSize(width: 360, height: 150)).filter { $0.kind == .title }
    XCTAssertEqual(titles.map(\.text), Array(repeating: "9 → 5", count: 16))
  }

  /// Laid out in two columns, the fits' labels go where the new grid needs them: y on each row's
  /// first panel, x under each column's last. (Panel 3 kept its y label in the middle of a row,
  /// panels 2 and 4 started rows without one, and panel 3's x label sat over panel 5.)
  func testARelaidGridLabelsItsNewOuterPanels() throws {
    let figure = Self.fits()
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    let axisLabels = try figure.labelBoxes(as: phone).filter { $0.kind == .axisLabel }
    let panels = try CairoCanvas.measuring { figure.layout(measure: $0, size: phone) }.panels
    func panel(under box: LabelBox) -> Int? {
      panels.indices.first { i in
        box.text == "x"
          ? box.rect.midX > panels[i].plot.minX && box.rect.midX < panels[i].plot.maxX
            && box.rect.minY > panels[i].plot.maxY && box.rect.minY < panels[i].plot.maxY + 40
          : box.rect.midY > panels[i].plot.minY && box.rect.midY < panels[i].plot.maxY
            && box.rect.maxX < panels[i].plot.minX && box.rect.maxX > panels[i].plot.minX - 40
      }
    }
    let ys = axisLabels.filter { $0.text == "y" }.compactMap(panel(under:))
    let xs = axisLabels.filter { $0.text == "x" }.compactMap(panel(under:))
    XCTAssertEqual(ys.sorted(), [0, 2, 4])
    XCTAssertEqual(xs.sorted(), [4, 5])
    // The page keeps the figure's own; a figure labelling every panel keeps them all.
    let page = try figure.labelBoxes(as: figure.size).filter { $0.kind == .axisLabel }
    XCTAssertEqual(page.count, 5)
    for panel in figure.panels { panel.xLabel = "x" }
    XCTAssertEqual(try figure.labelBoxes(as: phone).filter { $0.text == "x" }.count, 6)
  }

  /// An input plane's colour bar lies under it on a phone: the plane gets the canvas's width.
  func testAnInputPlanesColourBarGoesUnderItOnAPhone() throws {
    let figure = Figure(width: 640, height: 480)
    let ax = figure.axes
    ax.aspect = .equal
    ax.showGrid = false
    ax.heatmap(
      x: -1...2, y: -1...2, samples: 20, map: .probability(domain: -1...2), colorBarLabel: "P(class 1)"
    ) { x, _ in x }
    ax.xLabel = "x₁"
    ax.yLabel = "x₂"
    let phone = try XCTUnwrap(FigureSize.phone(for: figure))
    XCTAssertTrue(phone.colorBarBelow)
    let plot = try figure.smallestPanel(as: phone)
    XCTAssertGreaterThan(plot.width, 290, "the plane beside its colour bar was 230 px: \(plot)")
    let layout = try CairoCanvas.measuring { figure.layout(measure: $0, size: phone) }.panels[0]
    let bar = try XCTUnwrap(layout.colorBar)
    XCTAssertGreaterThan(bar.minY, layout.plot.maxY)
    XCTAssertEqual(bar.width, layout.plot.width)
    XCTAssertLessThanOrEqual(bar.maxY * phone.style.scale, phone.height)
    // The page keeps it beside the plane.
    let page = try CairoCanvas.measuring { figure.layout(measure: $0, size: figure.size) }.panels[0]
    XCTAssertGreaterThan(try XCTUnwrap(page.colorBar).minX, page.plot.maxX)
  }
}
