/// A point in figure coordinates (points, origin top-left, y down).
struct Point: Equatable {
  var x: Double
  var y: Double
}

/// A rectangle in figure coordinates (points, origin top-left, y down).
struct Rect: Equatable {
  var x: Double
  var y: Double
  var width: Double
  var height: Double

  var minX: Double { x }
  var maxX: Double { x + width }
  var minY: Double { y }
  var maxY: Double { y + height }
  var midX: Double { x + width / 2 }
  var midY: Double { y + height / 2 }

  /// The rectangle shrunk by the given amounts (never below zero size).
  func inset(left: Double = 0, top: Double = 0, right: Double = 0, bottom: Double = 0) -> Rect {
    Rect(
      x: x + left, y: y + top, width: max(0, width - left - right),
      height: max(0, height - top - bottom))
  }

  func contains(_ p: Point) -> Bool {
    p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
  }

  func intersects(_ other: Rect) -> Bool {
    minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
  }

  /// The area the two rectangles share (0 when they do not intersect).
  func overlap(_ other: Rect) -> Double {
    let w = min(maxX, other.maxX) - max(minX, other.minX)
    let h = min(maxY, other.maxY) - max(minY, other.minY)
    return w > 0 && h > 0 ? w * h : 0
  }

  /// The length of the segment from `a` to `b` that lies inside the rectangle (Liang–Barsky).
  func clippedLength(from a: Point, to b: Point) -> Double {
    let (dx, dy) = (b.x - a.x, b.y - a.y)
    var (t0, t1) = (0.0, 1.0)
    for (p, q) in [(-dx, a.x - minX), (dx, maxX - a.x), (-dy, a.y - minY), (dy, maxY - a.y)] {
      if p == 0 {
        if q < 0 { return 0 }
        continue
      }
      let t = q / p
      if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
      if t0 > t1 { return 0 }
    }
    return (t1 - t0) * (dx * dx + dy * dy).squareRoot()
  }
}

/// Dense polylines drawn with fewer vertices and the same look.
///
/// A loss curve of 10 000 epochs puts about 20 vertices on every point of the plot's width, and
/// Cairo strokes, rasterises and writes every one of them (the SVG of a two-run curve was 430 KB,
/// its three files 150 ms). Like matplotlib's path simplification, a line of more than
/// `minimumCount` vertices loses the vertices that lie within `tolerance` points of the line
/// kept around them (Ramer–Douglas–Peucker on segments, so spikes and turning points stay). 0.05
/// points is a tenth of a pixel of the PNG at 2×.
enum PolylineSimplification {
  static let tolerance = 0.05
  static let minimumCount = 256

  /// The kept vertices of `points`, first and last always among them, in order. Every dropped
  /// vertex is within `tolerance` of the segment between the kept vertices on either side of it.
  static func simplify(_ points: [Point], tolerance: Double = tolerance) -> [Point] {
    guard points.count > 2 else { return points }
    let limit = tolerance * tolerance
    var keep = [Bool](repeating: false, count: points.count)
    keep[0] = true
    keep[points.count - 1] = true
    var spans = [(points.startIndex, points.count - 1)]
    while let (a, b) = spans.popLast() {
      guard b - a > 1 else { continue }
      let start = points[a]
      let dx = points[b].x - start.x
      let dy = points[b].y - start.y
      let length2 = dx * dx + dy * dy
      var worst = -1.0
      var worstIndex = a
      for i in (a + 1)..<b {
        let p = points[i]
        var t = length2 > 0 ? ((p.x - start.x) * dx + (p.y - start.y) * dy) / length2 : 0
        t = min(1, max(0, t))
        let ex = start.x + t * dx - p.x
        let ey = start.y + t * dy - p.y
        let d2 = ex * ex + ey * ey
        if d2 > worst {
          worst = d2
          worstIndex = i
        }
      }
      if worst > limit {
        keep[worstIndex] = true
        spans.append((a, worstIndex))
        spans.append((worstIndex, b))
      }
    }
    var kept: [Point] = []
    for (i, p) in points.enumerated() where keep[i] { kept.append(p) }
    return kept
  }
}
