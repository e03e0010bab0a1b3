// What a panel holds: plain values recorded by the `Axes` API and drawn by `Axes+Render`.
import Foundation

enum Mark {
  case line(LineMark)
  case scatter(ScatterMark)
  case bars(BarMark)
  case heatmap(HeatmapMark)
  case image(ImageMark)
  case contour(ContourMark)
  case reference(ReferenceMark)
  case text(TextMark)
  case shape(ShapeMark)
  case legendOnly(LegendEntry)
}

struct LineMark {
  var xs: [Double]
  var ys: [Double]
  var style: LineStyle
  var label: String?
  var marker: MarkerStyle?
}

struct ScatterMark {
  var xs: [Double]
  var ys: [Double]
  var style: MarkerStyle
  var label: String?
}

struct BarMark {
  var edges: [Double]
  var heights: [Double]
  var baseline: Double
  var fill: Color
  var edge: Color?
  var edgeWidth: Double
  var label: String?
}

struct HeatmapMark {
  var grid: Grid
  var map: ColorMap
  var smooth: Bool
  /// The cells' colours, computed by the first file drawn and reused by the figure's other files
  /// and by its copies (`Figure.copy()`), which `show(…)` draws on other threads.
  let cellWords = CellWords()
}

/// A heatmap's cell colours as Cairo words (`Color.premultipliedARGB`), kept with the grid and
/// map they were computed from: a decision boundary is 90 000 cells, each a colour mixed and
/// rounded, once for each of a figure's four files. A mark whose grid or map differs from the
/// kept one computes its own.
final class CellWords: @unchecked Sendable {
  private let lock = NSLock()
  private var kept: (grid: Grid, map: ColorMap, words: [UInt32])?

  /// The kept words when `grid` and `map` are the ones they were computed from, else `compute()`'s
  /// (which are kept).
  func words(grid: Grid, map: ColorMap, compute: () -> [UInt32]) -> [UInt32] {
    if let kept = lock.withLock({ kept }), kept.map == map, kept.grid == grid { return kept.words }
    let words = compute()
    lock.withLock { kept = (grid, map, words) }
    return words
  }
}

struct ImageMark {
  var x: ClosedRange<Double>
  var y: ClosedRange<Double>
  var columns: Int
  var rows: Int
  /// Row 0 at the bottom.
  var colors: [Color]
  var smooth: Bool
}

struct ContourMark {
  var lines: [[(x: Double, y: Double)]]
  var style: LineStyle
  var label: String?
}

struct ReferenceMark {
  var value: Double
  var vertical: Bool
  var style: LineStyle
}

struct TextMark {
  var text: String
  var x: Double
  var y: Double
  var size: Double
  var color: Color
  var horizontal: HorizontalAlignment
  var vertical: VerticalAlignment
  var angle: Double
  var dx: Double
  var dy: Double
  var clip: Bool
}

struct ShapeMark {
  enum Kind {
    case circle(radius: Double)
    case polyline
    case polygon
    case arrow(head: Double, shorten: Double)
  }
  var kind: Kind
  var points: [(x: Double, y: Double)]
  var fill: Color?
  var stroke: LineStyle?
  var affectsLimits: Bool
}

/// A colour bar to draw beside a panel or a whole figure.
struct ColorBarSpec {
  var map: ColorMap
  var label: String?
  var ticks: [Double]?
}

/// One row of a legend: a line sample, a marker, a filled box, or a combination.
struct LegendEntry {
  var label: String
  var line: LineStyle? = nil
  var marker: MarkerStyle? = nil
  var fill: Color? = nil
}

extension Axes {
  /// Legend rows in the order the labelled marks were added.
  var legendEntries: [LegendEntry] {
    marks.compactMap { mark -> LegendEntry? in
      switch mark {
      case .line(let m): return m.label.map { LegendEntry(label: $0, line: m.style, marker: m.marker) }
      case .scatter(let m): return m.label.map { LegendEntry(label: $0, marker: m.style) }
      case .bars(let m): return m.label.map { LegendEntry(label: $0, fill: m.fill) }
      case .contour(let m): return m.label.map { LegendEntry(label: $0, line: m.style) }
      case .legendOnly(let entry): return entry
      default: return nil
      }
    }
  }
}
