// What a figure's data holds, for `show(…)` to say when points are not drawn or nothing is.
import Foundation

/// How many points a figure's lines, scatters and bars hold, and how many of them it does not draw.
public struct FigureData: Equatable, Sendable {
  /// Every point of its lines and scatters and every bar.
  public var points: Int
  /// Those not drawn, for any of the reasons below.
  public var dropped: Int {
    nonFinite + notPositive + isolated
  }
  /// Those not drawn for a NaN or infinite coordinate: a scatter's point, a bar's height, a line's
  /// infinite point and its NaN points before its first finite one or after its last. A NaN between
  /// finite points of a line is the break it is meant to make (a jump, a gap), not a dropped point.
  public var nonFinite: Int
  /// Those not drawn for a coordinate of 0 or less on a log axis (a loss of exactly 0 on
  /// `lossCurve(…, logScale: true)`); on a line such a point lifts the pen as a NaN does.
  public var notPositive: Int
  /// Finite points of a line without markers that stand alone between its gaps (`[1, .nan, 2,
  /// .nan, 3]`'s `2`), or a line's only drawable point: a line of one point has no length, and
  /// draws nothing.
  public var isolated: Int
  /// Whether it draws no data: no point, segment or bar drawn, and no heatmap, image, contour,
  /// shape or text (reference lines, a title or a legend entry alone draw none).
  public var isEmpty: Bool

  /// A summary of nothing: no points, nothing drawn.
  public init() {
    (points, nonFinite, notPositive, isolated, isEmpty) = (0, 0, 0, 0, true)
  }
}

extension Figure {
  /// What its panels' data marks hold (see `FigureData`).
  public var dataSummary: FigureData {
    var data = FigureData()
    for panel in panels {
      let logs = (x: panel.x.scale == .log10, y: panel.y.scale == .log10)
      for mark in panel.marks {
        switch mark {
        case .line(let m):
          data.add(line: Array(zip(m.xs, m.ys)), logs: logs, markers: m.marker != nil)
        case .scatter(let m):
          for (x, y) in zip(m.xs, m.ys) { data.add(FigureData.why(x, y, logs: logs)) }
        case .bars(let m):
          // A bar stands on its baseline: on a log y axis a baseline of 0 or less draws no bar.
          for h in m.heights {
            data.add(FigureData.why(1, h, logs: logs) ?? FigureData.why(1, m.baseline, logs: logs))
          }
        case .heatmap, .image, .contour, .text, .shape: data.isEmpty = false
        case .reference, .legendOnly: break
        }
      }
    }
    return data
  }
}

extension FigureData {
  /// Why a point is not drawn: nil when it is drawn (both coordinates finite, positive on a log axis).
  enum Gap { case nonFinite, notPositive }

  static func why(_ x: Double, _ y: Double, logs: (x: Bool, y: Bool)) -> Gap? {
    guard x.isFinite, y.isFinite else { return .nonFinite }
    return (logs.x && x <= 0) || (logs.y && y <= 0) ? .notPositive : nil
  }

  fileprivate mutating func add(_ gap: Gap?) {
    points += 1
    switch gap {
    case nil: isEmpty = false
    case .nonFinite: nonFinite += 1
    case .notPositive: notPositive += 1
    }
  }

  /// A line: every point that cannot be placed lifts the pen (`Axes.drawLine`); a NaN between
  /// placed points is the break it asks for, and a placed point with no placed neighbour draws
  /// nothing unless the line has markers.
  fileprivate mutating func add(line: [(Double, Double)], logs: (x: Bool, y: Bool), markers: Bool) {
    let gaps = line.map { Self.why($0.0, $0.1, logs: logs) }
    let placed = gaps.indices.filter { gaps[$0] == nil }
    for (i, gap) in gaps.enumerated() {
      points += 1
      switch gap {
      case nil:
        let neighbour = (i > 0 && gaps[i - 1] == nil) || (i + 1 < gaps.count && gaps[i + 1] == nil)
        if neighbour || markers { isEmpty = false } else { isolated += 1 }
      case .notPositive: notPositive += 1
      case .nonFinite:
        let (x, y) = line[i]
        let inside = placed.first.map { i > $0 } == true && placed.last.map { i < $0 } == true
        if !(inside && !x.isInfinite && !y.isInfinite) { nonFinite += 1 }
      }
    }
  }

  /// What is not drawn, in words: `2 are NaN or infinite, 1 stands alone between gaps of its line`.
  public var reasons: String {
    var parts: [String] = []
    if nonFinite > 0 { parts.append("\(nonFinite) \(nonFinite == 1 ? "is" : "are") NaN or infinite") }
    if notPositive > 0 {
      parts.append("\(notPositive) \(notPositive == 1 ? "is" : "are") 0 or less on a log axis")
    }
    if isolated > 0 {
      parts.append(
        "\(isolated) \(isolated == 1 ? "stands" : "stand") alone between gaps of a line without markers")
    }
    return parts.count <= 1
      ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
  }
}
