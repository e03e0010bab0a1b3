import Foundation
import XCTest

@testable import HandoutKit
@testable import Plot

final class FigureActivationTests: XCTestCase {
  func testReLUDerivativeJumpIsABreakNotAVerticalLine() {
    let relu = ReLU()
    let pieces = Piecewise({ relu.df($0, relu.f($0)) }, domain: -5...5)
    XCTAssertEqual(pieces.jumps.count, 1)
    let jump = pieces.jumps[0]
    XCTAssertEqual(jump.z, 0)
    XCTAssertEqual(jump.left, 0)
    XCTAssertEqual(jump.right, 1)
    XCTAssertEqual(jump.value, 0, "Neural's subgradient at 0")
    // The line is cut by a NaN exactly at the jump, so nothing joins (0, 0) to (0, 1).
    let cut = try? XCTUnwrap(pieces.ys.firstIndex(where: \.isNaN))
    XCTAssertNotNil(cut)
    if let cut {
      XCTAssertEqual(pieces.ys[cut - 1], 0)
      XCTAssertEqual(pieces.ys[cut + 1], 1)
    }
    for i in pieces.xs.indices.dropFirst() where !pieces.ys[i].isNaN && !pieces.ys[i - 1].isNaN {
      XCTAssertLessThan(abs(pieces.ys[i] - pieces.ys[i - 1]), 0.5, "no vertical segment at \(pieces.xs[i])")
    }
  }

  func testSmoothFunctionsHaveNoJumps() {
    for activation in [Sigmoid(), Tanh(), Softplus(), Identity()] as [any ElementwiseActivation] {
      let f = Piecewise({ activation.f($0) }, domain: -5...5)
      let df = Piecewise({ activation.df($0, activation.f($0)) }, domain: -5...5)
      XCTAssertTrue(f.jumps.isEmpty, "\(activation)")
      XCTAssertTrue(df.jumps.isEmpty, "\(activation)′")
      XCTAssertFalse(df.ys.contains(where: \.isNaN))
    }
    let leaky = LeakyReLU(slope: 0.1)
    let jumps = Piecewise({ leaky.df($0, leaky.f($0)) }, domain: -5...5).jumps
    XCTAssertEqual(jumps.count, 1)
    XCTAssertEqual(jumps.first?.left ?? .nan, 0.1, accuracy: 1e-12)
  }

  func testDefaultPanelsRender() throws {
    let figure = activationCurves()
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.rows * figure.columns, 6)
    XCTAssertEqual(
      figure.panels.map { $0.title ?? "" },
      ["sigmoid", "tanh", "ReLU", "LeakyReLU(0.1)", "softplus", "identity"])
    XCTAssertEqual(figure.panels[0].xLimits, -5...5)
  }

  func testFewerActivationsThanCells() throws {
    let figure = activationCurves([Sigmoid(), Tanh()], columns: 3)
    try assertRendersAllFormats(figure)
    XCTAssertEqual(figure.columns, 2)
  }

  /// The peak-slope note is asked of the activation (`outputRange`, `symbol`), not of its type: a
  /// bounded activation of the user's gets it too, signed ones on the left with headroom above.
  func testBoundedActivationsGetTheirPeakSlopeNoted() {
    func notes(_ activation: any ElementwiseActivation) -> (texts: [String], yLimits: ClosedRange<Double>?) {
      let panel = activationCurves([activation]).panels[0]
      let texts = panel.marks.compactMap { mark -> String? in
        if case .text(let t) = mark { return t.text }
        return nil
      }
      return (texts, panel.yLimits)
    }
    XCTAssertEqual(notes(Sigmoid()).texts, ["σ′(0) = 0.25"])
    XCTAssertNil(notes(Sigmoid()).yLimits)
    XCTAssertEqual(notes(Tanh()).texts, ["tanh′(0) = 1"])
    XCTAssertEqual(notes(Tanh()).yLimits, -1.1...1.3)
    XCTAssertEqual(notes(HardSigmoid()).texts, ["hardSigmoid′(0) = 0.167"])
    XCTAssertEqual(notes(ScaledTanh()).texts, ["g′(0) = 1.5"])
    XCTAssertEqual(notes(ScaledTanh()).yLimits, -1.65...1.95)
    XCTAssertEqual(notes(ReLU()).texts, [], "unbounded above: no peak to note")
  }

  /// Every note of the activation figures the course shows (all six panels on the page, three
  /// and three on the slides) stays clear of z = 0 and y = 0 (the grey axes) and of the curves:
  /// LeakyReLU's "slope 0.1 for z < 0" ran across z = 0 and f′'s jump there on both media.
  func testNotesCrossNeitherTheAxesNorTheCurves() throws {
    let six = activationCurves()
    let first = activationCurves([Sigmoid(), Tanh(), ReLU()], title: "Sigmoid, tanh, ReLU")
    let more = activationCurves(
      [LeakyReLU(slope: 0.1), Softplus(), Identity()], title: "LeakyReLU, softplus, identity")
    let shown = [
      (six, FigureSize.page(for: six)), (first, .page(for: first)), (first, .slide(for: first)),
      (more, .page(for: more)), (more, .slide(for: more)),
    ]
    for (figure, size) in shown {
      let crossings = try CairoCanvas.measuring { canvas in
        let layout = figure.layout(measure: canvas, size: size)
        var found: [String] = []
        for (panel, panelLayout) in zip(figure.panels, layout.panels) {
          let furniture = panel.furnitureBoxes(panelLayout, measure: canvas)
          let lines = panel.seriesSegments(panelLayout) + panel.referenceSegments(panelLayout)
          for t in panel.placeAnnotations(panelLayout, furniture: furniture, measure: canvas) {
            let box = Axes.textBox(
              t.mark.text, at: t.point, font: Font(size: t.mark.size), horizontal: t.horizontal,
              vertical: t.vertical, measure: canvas)
            let crossed = lines.reduce(0) { $0 + box.clippedLength(from: $1.0, to: $1.1) }
            if crossed > 0 {
              found.append("\(panel.title ?? ""): \(t.mark.text) at \(box) crosses \(crossed)")
            }
          }
        }
        return found
      }
      XCTAssertEqual(crossings, [], "at \(size.width)×\(size.height)")
    }
  }
}
