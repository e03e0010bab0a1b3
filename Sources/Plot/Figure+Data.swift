// What a figure's data holds, for `show(…)` to say when points are not drawn or nothing is.
import Foundation

/// How many points a figure's lines, scatters and bars hold, and how many of them it does not draw.
public struct FigureData: Equatable, Sendable {
  /// Every point of its lines and scatters and every bar.
  public var points: Int
  /// Those not drawn for a NaN or infinite coordinate: a scatter's point, a bar's height, a line's
  /// infinite point and its NaN points before its first finite one or after its last. A NaN between
  /// finite points of a line is the break it is meant to make (a jump, a gap), not a dropped point.
  public var dropped: Int
  /// Whether it draws no data: no finite point or bar, and no heatmap, image, contour, shape or
  /// text (reference lines, a title or a legend entry alone draw none).
  public var isEmpty: Bool
}

extension Figure {
  /// What its panels' data marks hold (see `FigureData`).
  public var dataSummary: FigureData {
    var data = FigureData(points: 0, dropped: 0, isEmpty: true)
    for mark in panels.flatMap(\.marks) {
      switch mark {
      case .line(let m): data.add(line: Array(zip(m.xs, m.ys)))
      case .scatter(let m):
        for (x, y) in zip(m.xs, m.ys) { data.add(drawn: x.isFinite && y.isFinite) }
      case .bars(let m):
        for h in m.heights { data.add(drawn: h.isFinite) }
      case .heatmap, .image, .contour, .text, .shape: data.isEmpty = false
      case .reference, .legendOnly: break
      }
    }
    return data
  }
}

extension FigureData {
  fileprivate mutating func add(drawn: Bool) {
    points += 1
    if drawn { isEmpty = false } else { dropped += 1 }
  }

  fileprivate mutating func add(line: [(Double, Double)]) {
    let finite = line.indices.filter { line[$0].0.isFinite && line[$0].1.isFinite }
    for (i, (x, y)) in line.enumerated() {
      let inside = finite.first.map { i > $0 } == true && finite.last.map { i < $0 } == true
      let isBreak = inside && !x.isInfinite && !y.isInfinite
      add(drawn: (x.isFinite && y.isFinite) || isBreak)
    }
  }
}
