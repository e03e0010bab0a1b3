import Foundation
import XCTest

@testable import Plot

/// Figures that exercise every kind of mark. `GalleryTests` renders them all; with the
/// environment variable `PLOT_GALLERY` set to a folder (or to `1` for /tmp/plot-gallery) it also
/// writes each as PNG and SVG there, for looking at.
enum Gallery {
  static func all() -> [(String, Figure)] {
    [
      ("lines", lines()), ("markers", markers()), ("field", field()), ("stepped", stepped()),
      ("log", logScale()), ("grid", smallMultiples()), ("histogram", histogram()),
      ("diagram", diagram()), ("activation", activation()), ("surface", surface()),
    ]
  }

  /// Two loss curves with a legend and integer epoch ticks.
  static func lines() -> Figure {
    let figure = Figure()
    let ax = figure.axes
    let epochs = (1...40).map(Double.init)
    ax.line(x: epochs, y: epochs.map { 0.08 + 0.9 * exp(-$0 / 6) }, label: "training")
    ax.line(
      x: epochs, y: epochs.map { 0.14 + 0.85 * exp(-$0 / 7) + 0.002 * $0 }, label: "validation",
      dash: Dash.dashed)
    ax.x.integerTicks = true
    ax.xLabel = "epoch"
    ax.yLabel = "cross-entropy loss"
    ax.title = "Loss per epoch"
    return figure
  }

  /// Every marker shape, with a legend.
  static func markers() -> Figure {
    let figure = Figure(width: 480, height: 360)
    let ax = figure.axes
    for (i, shape) in MarkerShape.allCases.enumerated() {
      let xs = (0..<8).map { Double($0) }
      let ys = xs.map { sin($0 * 0.7 + Double(i)) + Double(i) * 1.4 }
      ax.scatter(x: xs, y: ys, label: shape.rawValue, marker: shape, edge: .black)
    }
    ax.legend = .outsideRight
    ax.xLabel = "x"
    ax.yLabel = "y"
    ax.title = "Marker shapes"
    return figure
  }

  static func probability(_ x: Double, _ y: Double) -> Double {
    1 / (1 + exp(-(x * y * 1.2 + 0.3 * x)))
  }

  /// A probability field with its 0.5 contour, points of two classes, a colour bar.
  static func field() -> Figure {
    let figure = Figure(width: 560, height: 480)
    let ax = figure.axes
    let grid = ax.heatmap(
      x: -3...3, y: -3...3, samples: 250, map: .probability(), colorBarLabel: "P(class 1)",
      probability)
    ax.contour(grid, levels: [0.5], label: "p = 0.5")
    var rng = SplitMix(seed: 7)
    var x0: [Double] = []
    var y0: [Double] = []
    var x1: [Double] = []
    var y1: [Double] = []
    for _ in 0..<60 {
      let x = rng.uniform(-2.8, 2.8)
      let y = rng.uniform(-2.8, 2.8)
      if probability(x, y) > 0.5 {
        x1.append(x)
        y1.append(y)
      } else {
        x0.append(x)
        y0.append(y)
      }
    }
    ax.scatter(x: x0, y: y0, label: "class 0", marker: .circle, color: Palette.class0)
    ax.scatter(x: x1, y: y1, label: "class 1", marker: .cross, color: Palette.class1)
    ax.aspect = .equal
    ax.xLabel = "x₁"
    ax.yLabel = "x₂"
    ax.title = "Decision field"
    return figure
  }

  /// The same field discretised into 10 steps, viridis.
  static func stepped() -> Figure {
    let figure = Figure(width: 520, height: 440)
    let ax = figure.axes
    let grid = ax.heatmap(
      x: -3...3, y: -3...3, map: ColorMap.viridis().discretised(10), colorBarLabel: "P(class 1)",
      probability)
    ax.contour(grid, levels: [0.25, 0.5, 0.75], color: .white, width: 1)
    ax.aspect = .equal
    ax.xLabel = "x₁"
    ax.yLabel = "x₂"
    return figure
  }

  /// Log-scale loss curves of three learning rates.
  static func logScale() -> Figure {
    let figure = Figure()
    let ax = figure.axes
    let epochs = (1...200).map(Double.init)
    for (rate, k) in [("η = 0.1", 0.05), ("η = 0.01", 0.02), ("η = 0.001", 0.006)] {
      ax.line(x: epochs, y: epochs.map { 2 * exp(-k * $0) + 1e-4 }, label: rate)
    }
    ax.yScale = .log10
    ax.x.integerTicks = true
    ax.xLabel = "epoch"
    ax.yLabel = "MSE (log scale)"
    ax.title = "Learning rates"
    return figure
  }

  /// A 2×3 grid of small heatmaps with one shared colour bar.
  static func smallMultiples() -> Figure {
    let figure = Figure(width: 720, height: 460, rows: 2, columns: 3)
    figure.title = "Hidden layer 1"
    let map = ColorMap.redBlue(domain: -1...1)
    for (i, panel) in figure.panels.enumerated() {
      let a = Double(i) * 0.9
      panel.heatmap(x: -5...5, y: -5...5, samples: 120, map: map, showColorBar: false) { x, y in
        tanh(0.6 * (cos(a) * x + sin(a) * y) + 0.3)
      }
      panel.aspect = .equal
      panel.title = "L1·h\(i + 1)"
    }
    figure.colorBar(map, label: "tanh activation")
    return figure
  }

  /// A histogram with a zero line.
  static func histogram() -> Figure {
    let figure = Figure(width: 480, height: 320)
    var rng = SplitMix(seed: 3)
    let values = (0..<2000).map { _ in rng.normal() * 0.8 + 0.2 }
    figure.axes.histogram(values, bins: 30, label: "layer 1 gradients")
    figure.axes.verticalLine(x: 0)
    figure.axes.xLabel = "gradient"
    figure.axes.yLabel = "count"
    return figure
  }

  /// A 2-3-1 network drawn with shapes on a panel without axes.
  static func diagram() -> Figure {
    let figure = Figure(width: 420, height: 300)
    let ax = figure.axes
    ax.showAxes = false
    ax.title = "2–3–1 network"
    let layers: [[(Double, Double)]] = [
      [(0, 1), (0, 2)], [(1, 0.5), (1, 1.5), (1, 2.5)], [(2, 1.5)],
    ]
    var w = 0.7
    for l in 0..<(layers.count - 1) {
      for a in layers[l] {
        for b in layers[l + 1] {
          let color = w > 0 ? Color(hex: 0x0877BD) : Color(hex: 0xF59322)
          ax.arrow(from: a, to: b, style: LineStyle(color: color, width: 1 + 3 * abs(w)), shorten: 14)
          w = -w * 1.3 + 0.2
        }
      }
    }
    for layer in layers {
      for p in layer {
        ax.circle(x: p.0, y: p.1, radius: 12, fill: Color(hex: 0xF2F2F2), edge: Theme.frame)
      }
    }
    ax.text("x₁", x: 0, y: 1, horizontal: .center, vertical: .center)
    ax.text("ŷ", x: 2, y: 1.5, horizontal: .center, vertical: .center)
    ax.x.limits = -0.3...2.3
    ax.y.limits = 0.1...2.9
    return figure
  }

  /// Contours of a loss over two parameters with two optimiser paths drawn on top.
  static func surface() -> Figure {
    let figure = Figure(width: 560, height: 480)
    let ax = figure.axes
    func loss(_ a: Double, _ b: Double) -> Double { (a - 1) * (a - 1) + 8 * (b - 0.5) * (b - 0.5) }
    let grid = Grid(x: -2...3, y: -1.5...2, columns: 200, rows: 200, loss)
    let levels = [0.1, 0.3, 0.7, 1.5, 3, 6, 12, 20]
    ax.contour(grid, levels: levels, map: ColorMap.viridis(domain: 0...25))
    var gd: [(Double, Double)] = [(-1.5, 1.7)]
    var momentum: [(Double, Double)] = [(-1.5, 1.7)]
    var v = (0.0, 0.0)
    for _ in 0..<25 {
      let (a, b) = gd.last ?? (0, 0)
      gd.append((a - 0.05 * 2 * (a - 1), b - 0.05 * 16 * (b - 0.5)))
      let (c, d) = momentum.last ?? (0, 0)
      v = (0.8 * v.0 + 2 * (c - 1), 0.8 * v.1 + 16 * (d - 0.5))
      momentum.append((c - 0.03 * v.0, d - 0.03 * v.1))
    }
    ax.line(x: gd.map(\.0), y: gd.map(\.1), label: "GD", marker: .circle)
    ax.line(x: momentum.map(\.0), y: momentum.map(\.1), label: "momentum", marker: .square)
    ax.scatter(x: [1], y: [0.5], label: "minimum", marker: .cross, color: .black, edge: .white)
    ax.xLabel = "α"
    ax.yLabel = "β"
    ax.title = "Loss surface"
    return figure
  }

  /// ReLU and its derivative, the jump drawn as a break; zero lines.
  static func activation() -> Figure {
    let figure = Figure(width: 640, height: 300, rows: 1, columns: 2)
    let relu = figure.panel(row: 0, column: 0)
    relu.horizontalLine(y: 0)
    relu.verticalLine(x: 0)
    relu.line({ max(0, $0) }, over: -5...5, label: "f(x)")
    relu.line({ $0 == 0 ? .nan : ($0 > 0 ? 1 : 0) }, over: -5...5, label: "f′(x)", dash: Dash.dashed)
    relu.title = "ReLU"
    relu.xLabel = "x"
    let sigmoid = figure.panel(row: 0, column: 1)
    sigmoid.horizontalLine(y: 0)
    sigmoid.verticalLine(x: 0)
    sigmoid.line({ 1 / (1 + exp(-$0)) }, over: -5...5, label: "σ(x)")
    sigmoid.line(
      {
        let s = 1 / (1 + exp(-$0)); return s * (1 - s)
      }, over: -5...5, label: "σ′(x)",
      dash: Dash.dashed)
    sigmoid.title = "Sigmoid"
    sigmoid.xLabel = "x"
    return figure
  }
}

/// A tiny seeded generator for test data.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform(_ a: Double, _ b: Double) -> Double {
    a + (b - a) * Double(next() >> 11) / Double(1 << 53)
  }
  mutating func normal() -> Double {
    let u = max(uniform(0, 1), 1e-300)
    return sqrt(-2 * log(u)) * cos(2 * .pi * uniform(0, 1))
  }
}

final class GalleryTests: XCTestCase {
  func testEveryGalleryFigureRendersInEveryFormat() throws {
    let env = ProcessInfo.processInfo.environment["PLOT_GALLERY"]
    let folder = env.map { $0 == "1" || $0.isEmpty ? "/tmp/plot-gallery" : $0 }
    if let folder {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true)
    }
    for (name, figure) in Gallery.all() {
      for format in ImageFormat.allCases {
        let bytes = try figure.data(format)
        XCTAssertGreaterThan(bytes.count, 500, "\(name).\(format.rawValue)")
      }
      if let folder {
        for format in ImageFormat.allCases {
          try figure.write(to: URL(fileURLWithPath: "\(folder)/\(name).\(format.rawValue)"))
        }
      }
    }
  }
}
