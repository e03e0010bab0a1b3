import Foundation
import XCTest

@testable import HandoutKit
@testable import Plot

/// The course's multi-panel figures, drawn for the page and for the slide (the `.talk` style in
/// the 1280×720 frame: the same text in about half the room), draw no text into other text: no
/// annotation into the legend or over a tick label, no tick label into a neighbour's (issue 22).
final class FigureLabelOverlapTests: XCTestCase {
  /// The course's multi-panel figures, built as the notebooks build them.
  static func courseFigures() throws -> [(name: String, figure: Figure)] {
    var rng = SeededRandom(seed: 1)
    var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.05)
    try net.train(on: .xor, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 300))
    // Notebook 03's fits: six small panels with titles, a shared title, labels on the outer ones.
    let fits = Figure(width: 720, height: 430, rows: 2, columns: 3)
    for k in 0..<6 {
      let ax = fits.panel(row: k / 3, column: k % 3)
      ax.title = "h = \(k + 1) hidden neuron\(k == 0 ? "" : "s")"
      ax.line({ sin($0) }, over: -Double.pi...Double.pi, color: Palette.black, width: 1, dash: Dash.dashed)
      ax.xLimits = -3.3...3.3
      ax.yLimits = -1.6...1.6
      ax.y.ticks = [-1, 0, 1]
      if k / 3 == 1 { ax.xLabel = "x" }
      if k % 3 == 0 { ax.yLabel = "y" }
    }
    fits.title = "Noisy sine (dots), true sin x (dashed) and the network's fit (red)"
    return [
      (
        "04 activations",
        activationCurves(title: "Activation functions (solid) and their derivatives (dashed)")
      ),
      ("02 activations", activationCurves()),
      ("04 neuron maps", neuronMaps(network: net, data: .xor, title: "Inside the XOR network")),
      ("03 fits", fits),
    ]
  }

  /// Each pair of text boxes that share area, as a readable line.
  static func overlaps(_ boxes: [LabelBox]) -> [String] {
    var found: [String] = []
    for i in boxes.indices {
      for j in boxes.indices where j > i && boxes[i].rect.intersects(boxes[j].rect) {
        found.append("\(boxes[i].kind) “\(boxes[i].text)” overlaps \(boxes[j].kind) “\(boxes[j].text)”")
      }
    }
    return found
  }

  func testNoTextRunsIntoOtherTextOnThePageOrTheSlide() throws {
    for (name, figure) in try Self.courseFigures() {
      for (medium, size) in [
        ("page", FigureSize.page(for: figure)), ("slide", FigureSize.slide(for: figure)),
      ] {
        let boxes = try figure.labelBoxes(as: size)
        // HANDOUT_LOOK=<folder>: the pictures, to look at.
        if let folder = ProcessInfo.processInfo.environment["HANDOUT_LOOK"] {
          let file = "\(folder)/\(name.replacingOccurrences(of: " ", with: "-"))-\(medium).png"
          try Data(figure.data(.png, scale: 1, as: size)).write(to: URL(fileURLWithPath: file))
        }
        XCTAssertGreaterThan(boxes.count, 6, "\(name), \(medium)")
        XCTAssertEqual(Self.overlaps(boxes), [], "\(name) on the \(medium)")
      }
    }
  }

  /// A decision boundary (one square plane, a colour bar and a legend beside it) is drawn for the
  /// slide full height and no wider than it needs, so its plane is larger than in the 1152×500 box.
  func testASquarePlanesSlideVariantIsFullHeightAndNoWiderThanItNeeds() throws {
    var rng = SeededRandom(seed: 1)
    let net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    let figure = decisionBoundary(network: net, data: .xor, title: "XOR")
    let slide = FigureSize.slide(for: figure)
    XCTAssertEqual(slide.height, FigureSize.slideSideHeight)
    XCTAssertLessThan(slide.width, FigureSize.slideBox.width)
    let panel = try CairoCanvas.measuring { figure.layout(measure: $0, size: slide).panels[0] }
    let boxed = try CairoCanvas.measuring {
      figure.layout(measure: $0, size: FigureSize(width: 889, height: 500, style: .talk)).panels[0]
    }
    XCTAssertGreaterThanOrEqual(panel.plot.height * slide.style.scale, 370, "the plane, in px of the frame")
    XCTAssertGreaterThan(panel.plot.height, 1.15 * boxed.plot.height, "than in the 16:9 box")
    XCTAssertEqual(panel.available.width, panel.plot.width, accuracy: 1, "no room left beside the plane")
    XCTAssertEqual(try figure.labelBoxes(as: slide).count { $0.kind == .legend }, 1)
    // A line chart keeps the 16:9 box.
    XCTAssertEqual(FigureSize.slide(for: Figure(width: 600, height: 480)).height, FigureSize.slideBox.height)
  }

  /// Every annotation of the activation figure stays inside its panel's plot area on the slide.
  func testActivationAnnotationsStayOnTheirPanels() throws {
    let figure = activationCurves(title: "Activation functions (solid) and their derivatives (dashed)")
    let boxes = try figure.labelBoxes(as: FigureSize.slide(for: figure))
    let annotations = boxes.filter { $0.kind == .annotation }
    XCTAssertEqual(annotations.count, 5)
    let frames = try CairoCanvas.measuring { canvas in
      figure.layout(measure: canvas, size: FigureSize.slide(for: figure)).panels.map(\.plot)
    }
    for a in annotations {
      XCTAssertTrue(
        frames.contains {
          $0.minX <= a.rect.minX && $0.maxX >= a.rect.maxX && $0.minY <= a.rect.minY && $0.maxY >= a.rect.maxY
        },
        "“\(a.text)” at \(a.rect) is not inside a plot area")
    }
  }

  /// A figure of several panels is laid out for the slide in the grid that gives its panels the
  /// most room in the 1152×500 box (text at the `.talk` style's 20 px): two panels stacked for a
  /// page column stand side by side on the slide. Notebook 04's six activation panels keep their
  /// 2×3 grid, the best there is, and stay under the readable size: the deck warns about them.
  func testAMultiPanelSlideVariantTakesTheGridWithTheLargestPanels() throws {
    func side(_ p: (width: Double, height: Double)) -> Double { min(p.width, p.height) }
    let two = activationCurves(Array(defaultActivations.prefix(2)), columns: 1)
    let slide = FigureSize.slide(for: two)
    XCTAssertGreaterThanOrEqual(slide.style.scale * FigureStyle.smallestText, 20)
    XCTAssertEqual(slide.grid, PanelGrid(rows: 1, columns: 2))
    XCTAssertEqual(slide.width, FigureSize.slideBox.width)
    XCTAssertEqual(slide.height, FigureSize.slideBox.height)
    // As before: the page's 2×1 grid in a 16:9 box, 889×500.
    let before = try two.smallestPanel(as: FigureSize(width: 889, height: 500, style: .talk))
    let chosen = try two.smallestPanel(as: slide)
    XCTAssertGreaterThan(side(chosen), FigureSize.slidePanelReadable, "chosen \(chosen)")
    XCTAssertGreaterThan(side(chosen), 2 * side(before), "chosen \(chosen), before \(before)")
    XCTAssertNil(FigureSize.page(for: two).grid, "the page figure keeps its own grid and size")

    let six = activationCurves(title: "Activation functions (solid) and their derivatives (dashed)")
    let sixSlide = FigureSize.slide(for: six)
    let grid = try XCTUnwrap(sixSlide.grid)
    let best = try six.smallestPanel(as: sixSlide)
    // Every other grid of the same box and style gives smaller panels, or draws text into text.
    for columns in 1...6 {
      let other = PanelGrid(rows: (6 + columns - 1) / columns, columns: columns)
      guard other != grid else { continue }
      var size = sixSlide
      size.grid = other
      let overlaps = LabelBox.overlapArea(try six.labelBoxes(as: size))
      let panel = try six.smallestPanel(as: size)
      XCTAssertTrue(
        overlaps > 0 || side(panel) <= side(best),
        "\(other.rows)×\(other.columns) has larger panels than \(grid.rows)×\(grid.columns)")
    }
    XCTAssertLessThan(side(best), FigureSize.slidePanelReadable, "\(best)")
    XCTAssertEqual(side(try six.smallestPanel(as: sixSlide, charts: true)), side(best))
  }

  /// A grid of pictures without axes (neuron maps, digits) is meant small: it has no chart for
  /// the deck's readable-size warning to measure.
  func testAGridOfPicturesHasNoChartToMeasure() throws {
    let figure = try Self.courseFigures().first { $0.name == "04 neuron maps" }!.figure
    let slide = FigureSize.slide(for: figure)
    XCTAssertGreaterThan(try figure.smallestPanel(as: slide).width, 0)
    XCTAssertEqual(try figure.smallestPanel(as: slide, charts: true).width, 0)
  }

  /// An annotation clears the lines and markers of its panel: “slope 0.1 for z < 0” used to
  /// cross LeakyReLU's markers at z = 0 on the slide. On the page every annotation of the
  /// activation figures is clear of lines (the axes too), and all but LeakyReLU's stay where they
  /// were asked. (On the slide the six panels are too small for that: the course shows them three
  /// and three, `FigureActivationTests.testNotesCrossNeitherTheAxesNorTheCurves`.)
  func testAnnotationsClearTheirPanelsLinesAndMarkers() throws {
    for figure in [activationCurves(title: "Activation functions"), activationCurves()] {
      for (medium, size) in [
        ("page", FigureSize.page(for: figure)), ("slide", FigureSize.slide(for: figure)),
      ] {
        let found = try CairoCanvas.measuring { canvas -> [String] in
          let layout = figure.layout(measure: canvas, size: size)
          var found: [String] = []
          for (panel, panelLayout) in zip(figure.panels, layout.panels) {
            let furniture = panel.furnitureBoxes(panelLayout, measure: canvas)
            let lines = panel.seriesSegments(panelLayout) + panel.referenceSegments(panelLayout)
            let markers = panel.markerBoxes(panelLayout)
            for t in panel.placeAnnotations(panelLayout, furniture: furniture, measure: canvas) {
              let box = Axes.textBox(
                t.mark.text, at: t.point, font: Font(size: t.mark.size), horizontal: t.horizontal,
                vertical: t.vertical, measure: canvas)
              let crossed = lines.reduce(0) { $0 + box.clippedLength(from: $1.0, to: $1.1) }
              if crossed > 0, medium == "page" {
                found.append("“\(t.mark.text)” crosses \(crossed) pt of line")
              }
              if markers.contains(where: { $0.intersects(box) }) {
                found.append("“\(t.mark.text)” covers a marker")
              }
              let asked = Point(
                x: panelLayout.xMap(t.mark.x) + t.mark.dx, y: panelLayout.yMap(t.mark.y) - t.mark.dy)
              // On the page only the LeakyReLU notes move (one is placed above the other).
              let leaky = t.mark.text.hasPrefix("slope") || t.mark.text.hasPrefix("for z")
              if medium == "page", t.point != asked, !leaky {
                found.append("“\(t.mark.text)” moved on the page")
              }
            }
          }
          return found
        }
        XCTAssertEqual(found, [], "\(medium): \(size)")
      }
    }
  }
}
