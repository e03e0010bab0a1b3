import XCTest

@testable import Plot

/// What the cheaper drawing of a figure's files must keep exactly: a stepped map's pixels (looked
/// up per bin), the `.best` legend's corner (segments far from every corner skipped).
final class FigureFileCostTests: XCTestCase {
  /// Every value's word from the bin table is `color(_:)`'s, rounded exactly as before: values
  /// on and around the bin edges, outside the domain, ±∞ and NaN, on maps of several domains.
  func testBinWordsAreTheColoursOfEveryValue() {
    let maps = [
      ColorMap.viridis(domain: -2...2).discretised(7),
      ColorMap.viridis().discretised(2),
      ColorMap.viridis(domain: 3...3).discretised(5),
      ColorMap(domain: 0...1, anchors: [.white, Color(red: 1, green: 0, blue: 0, alpha: 0.5)], steps: 10),
    ]
    for map in maps {
      let steps = map.steps!
      let table = map.binWords(steps: steps)
      XCTAssertEqual(table.count, steps + 1)
      var values = [-Double.infinity, .infinity, .nan, -1e300, 1e300, 0, -0.0]
      let span = map.domain.upperBound - map.domain.lowerBound
      for k in 0...steps {
        let edge = map.domain.lowerBound + span * Double(k) / Double(steps)
        values += [edge, edge.nextUp, edge.nextDown]
      }
      for i in 0..<2000 { values.append(map.domain.lowerBound - span + 3 * span * Double(i) / 2000) }
      for v in values {
        XCTAssertEqual(
          table[map.bin(v, steps: steps)], map.color(v).premultipliedARGB, "value \(v), \(steps) steps")
      }
    }
  }

  /// The `.best` corner is the one the exhaustive rule picks (every point and 4 samples along
  /// every segment counted in each corner), on random lines that wander across the plot and out
  /// of it, with few points (long segments, whose samples decide) and many.
  func testBestLegendIsTheExhaustiveRulesCorner() throws {
    var rng = SplitMix(seed: 7)
    for trial in 0..<60 {
      let figure = Figure(width: 400, height: 300)
      let ax = figure.axes
      ax.xLimits = 0...1
      ax.yLimits = 0...1
      for series in 0..<(1 + trial % 3) {
        let n = trial % 2 == 0 ? 3 + trial % 5 : 200
        let xs = (0..<n).map { _ in rng.next() * 1.6 - 0.3 }
        let ys = (0..<n).map { _ in rng.next() * 1.6 - 0.3 }
        ax.line(x: xs, y: ys, label: "series \(series)")
      }
      let (chosen, expected) = try CairoCanvas.measuring { canvas in
        let layout = figure.layout(measure: canvas).panels[0]
        let chosen = ax.legendBox(layout, measure: canvas)
        var best: (count: Int, rect: Rect?) = (Int.max, nil)
        for position in [LegendPosition.topRight, .topLeft, .bottomRight, .bottomLeft] {
          ax.legend = position
          let rect = try XCTUnwrap(ax.legendBox(layout, measure: canvas))
          let count = Self.exhaustiveCount(
            ax, layout, in: rect.inset(left: -4, top: -4, right: -4, bottom: -4))
          if count < best.count { best = (count, rect) }
        }
        ax.legend = .best
        return (chosen, best.rect)
      }
      XCTAssertEqual(chosen, expected, "trial \(trial)")
    }
  }

  /// The points of `ax`'s lines in `rect`, with 4 samples along every segment (the rule before
  /// segments far from every corner were skipped).
  private static func exhaustiveCount(_ ax: Axes, _ layout: PanelLayout, in rect: Rect) -> Int {
    var count = 0
    for case .line(let m) in ax.marks {
      var previous: Point?
      for (a, b) in zip(m.xs, m.ys) {
        let p = layout.point(a, b)
        if let q = previous {
          for k in 1...4 {
            let t = Double(k) / 5
            if rect.contains(Point(x: q.x + (p.x - q.x) * t, y: q.y + (p.y - q.y) * t)) { count += 1 }
          }
        }
        if rect.contains(p) { count += 1 }
        previous = p
      }
    }
    return count
  }

  struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
  }

  /// A heatmap's cell colours are computed once and shared by the figure's copies; a grid or map
  /// other than the kept one gets its own words, never the kept ones.
  func testHeatmapCellWordsAreKeptOnlyForTheirGridAndMap() throws {
    let grid = Grid(x: 0...1, y: 0...1, columns: 3, rows: 2, values: [0, 0.2, 0.4, 0.6, 0.8, 1])
    let map = ColorMap.viridis()
    let mark = HeatmapMark(grid: grid, map: map, smooth: true)
    var computed = 0
    func words(_ grid: Grid, _ map: ColorMap) -> [UInt32] {
      mark.cellWords.words(grid: grid, map: map) {
        computed += 1
        return grid.values.map { map.color($0).premultipliedARGB }
      }
    }
    let first = words(grid, map)
    XCTAssertEqual(words(grid, map), first)
    XCTAssertEqual(computed, 1, "the same grid and map reuse the kept words")
    let reversed = map.reversed
    XCTAssertEqual(words(grid, reversed), grid.values.map { reversed.color($0).premultipliedARGB })
    XCTAssertEqual(computed, 2, "another map computes its own")
    let other = Grid(x: 0...1, y: 0...1, columns: 3, rows: 2, values: [1, 0.8, 0.6, 0.4, 0.2, 0])
    XCTAssertEqual(words(other, reversed), other.values.map { reversed.color($0).premultipliedARGB })
    XCTAssertEqual(computed, 3, "another grid computes its own")

    // Through a figure: the copy draws the same bytes as the original, before and after either drew.
    let figure = Figure(width: 300, height: 240)
    figure.axes.heatmap(grid, map: map)
    let copy = figure.copy()
    let drawnCopy = try copy.data(.svg)
    XCTAssertEqual(try figure.data(.svg), drawnCopy)
    XCTAssertEqual(try figure.data(.pdf), try figure.copy().data(.pdf))
  }
}
