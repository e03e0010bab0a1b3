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

  /// A line whose points lie outside the plot but whose segment crosses both top corners: only
  /// the samples along the segment put data there, so the legend must go to the bottom right
  /// (the first corner without data after top right and top left).
  func testBestLegendCountsSamplesAlongSegmentsThatCrossACorner() throws {
    let figure = Figure(width: 400, height: 300)
    let ax = figure.axes
    ax.xLimits = 0...1
    ax.yLimits = 0...1
    ax.line(x: [-0.25, 1.25], y: [0.97, 0.97], label: "across the top")
    let (layout, box) = try CairoCanvas.measuring { canvas in
      let layout = figure.layout(measure: canvas).panels[0]
      return (layout, ax.legendBox(layout, measure: canvas))
    }
    let legend = try XCTUnwrap(box)
    XCTAssertGreaterThan(legend.midX, layout.plot.midX, "legend on the right")
    XCTAssertGreaterThan(legend.midY, layout.plot.midY, "legend at the bottom")
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
