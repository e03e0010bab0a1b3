// The data extents a panel's automatic limits are fitted to.
import Foundation

/// Finite data extents of a panel's marks along both axes.
struct DataExtent {
  var xLo = Double.infinity
  var xHi = -Double.infinity
  var yLo = Double.infinity
  var yHi = -Double.infinity
  /// Sides that must not be padded (heatmap edges, bar baselines).
  var tightX = false
  var tightY = false
  var yBaseline: Double?

  mutating func add(x: Double, y: Double, xLog: Bool, yLog: Bool) {
    if x.isFinite && (!xLog || x > 0) {
      xLo = min(xLo, x)
      xHi = max(xHi, x)
    }
    if y.isFinite && (!yLog || y > 0) {
      yLo = min(yLo, y)
      yHi = max(yHi, y)
    }
  }
}

extension Axes {
  func dataExtent() -> DataExtent {
    var e = DataExtent()
    let xl = x.scale == .log10
    let yl = y.scale == .log10
    for mark in marks {
      switch mark {
      case .line(let m):
        for (a, b) in zip(m.xs, m.ys) where a.isFinite && b.isFinite { e.add(x: a, y: b, xLog: xl, yLog: yl) }
      case .scatter(let m):
        for (a, b) in zip(m.xs, m.ys) where a.isFinite && b.isFinite { e.add(x: a, y: b, xLog: xl, yLog: yl) }
      case .bars(let m):
        for (i, h) in m.heights.enumerated() {
          e.add(x: m.edges[i], y: h, xLog: xl, yLog: yl)
          e.add(x: m.edges[i + 1], y: m.baseline, xLog: xl, yLog: yl)
        }
        e.yBaseline = m.baseline
      case .heatmap(let m):
        e.add(x: m.grid.x.lowerBound, y: m.grid.y.lowerBound, xLog: xl, yLog: yl)
        e.add(x: m.grid.x.upperBound, y: m.grid.y.upperBound, xLog: xl, yLog: yl)
        e.tightX = true
        e.tightY = true
      case .image(let m):
        e.add(x: m.x.lowerBound, y: m.y.lowerBound, xLog: xl, yLog: yl)
        e.add(x: m.x.upperBound, y: m.y.upperBound, xLog: xl, yLog: yl)
        e.tightX = true
        e.tightY = true
      case .contour(let m):
        for line in m.lines { for p in line { e.add(x: p.x, y: p.y, xLog: xl, yLog: yl) } }
      case .shape(let m) where m.affectsLimits:
        for p in m.points { e.add(x: p.x, y: p.y, xLog: xl, yLog: yl) }
      default:
        break
      }
    }
    return e
  }
}
