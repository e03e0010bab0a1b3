/// Values sampled on a regular grid over a rectangle, for heatmaps and contours.
///
/// The rectangle `x × y` is cut into `columns × rows` equal cells; `values[row * columns + col]`
/// belongs to the cell centre `(x.lowerBound + (col + 0.5)·dx, y.lowerBound + (row + 0.5)·dy)`.
/// Row 0 is at the bottom (smallest y). NaN values are allowed: a heatmap paints them in the
/// map's `nanColor`, contours skip cells touching them.
public struct Grid: Sendable, Equatable {
  /// The horizontal extent of the grid's rectangle.
  public let x: ClosedRange<Double>
  /// The vertical extent of the grid's rectangle.
  public let y: ClosedRange<Double>
  /// Number of cells across.
  public let columns: Int
  /// Number of cells up.
  public let rows: Int
  /// The cell values, row-major from the bottom row: `values[row * columns + column]`.
  public private(set) var values: [Double]

  /// A grid from values (row 0 at the bottom).
  /// - Precondition: `values.count == columns * rows`, both at least 1.
  public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int, values: [Double]) {
    precondition(columns >= 1 && rows >= 1, "a grid needs at least one cell")
    precondition(values.count == columns * rows, "grid needs columns × rows values")
    self.x = x
    self.y = y
    self.columns = columns
    self.rows = rows
    self.values = values
  }

  /// Samples `function(x, y)` at the centre of each of `columns × rows` cells.
  /// - Complexity: `columns · rows` calls of `function`.
  public init(
    x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int = 200, rows: Int = 200,
    _ function: (Double, Double) throws -> Double
  ) rethrows {
    precondition(columns >= 1 && rows >= 1, "a grid needs at least one cell")
    var values = [Double]()
    values.reserveCapacity(columns * rows)
    let dx = (x.upperBound - x.lowerBound) / Double(columns)
    let dy = (y.upperBound - y.lowerBound) / Double(rows)
    for row in 0..<rows {
      let yv = y.lowerBound + (Double(row) + 0.5) * dy
      for col in 0..<columns {
        values.append(try function(x.lowerBound + (Double(col) + 0.5) * dx, yv))
      }
    }
    self.init(x: x, y: y, columns: columns, rows: rows, values: values)
  }

  /// The value of the cell at `column`, `row` (row 0 at the bottom).
  /// - Precondition: inside the grid.
  public subscript(column: Int, row: Int) -> Double {
    values[row * columns + column]
  }

  /// x of a column's cell centre.
  public func xCenter(_ column: Int) -> Double {
    x.lowerBound + (Double(column) + 0.5) * (x.upperBound - x.lowerBound) / Double(columns)
  }

  /// y of a row's cell centre.
  public func yCenter(_ row: Int) -> Double {
    y.lowerBound + (Double(row) + 0.5) * (y.upperBound - y.lowerBound) / Double(rows)
  }

  /// Smallest and largest non-NaN value, or nil if there is none.
  public var valueRange: ClosedRange<Double>? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in values where !v.isNaN {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    return lo <= hi ? lo...hi : nil
  }
}

/// Contour lines by marching squares.
public enum Contour {
  /// The polylines where the grid's interpolated value equals `level`, in data coordinates.
  ///
  /// Works on the cell-centre samples (so lines stop half a cell inside the rectangle).
  /// Saddle cells are resolved by the mean of the four corners. Segments are joined into
  /// polylines; a closed line repeats its first point at the end.
  /// - Complexity: O(columns · rows).
  public static func lines(_ grid: Grid, level: Double) -> [[(x: Double, y: Double)]] {
    let nx = grid.columns
    let ny = grid.rows
    guard nx >= 2, ny >= 2, level.isFinite else { return [] }
    func point(on edge: Int) -> (x: Double, y: Double) {
      let base = edge / 2
      let i = base % nx
      let j = base / nx
      let a = grid[i, j]
      let (i2, j2) = edge % 2 == 0 ? (i + 1, j) : (i, j + 1)
      let b = grid[i2, j2]
      let t = b == a ? 0.5 : (level - a) / (b - a)
      let x = grid.xCenter(i) + t * (grid.xCenter(i2) - grid.xCenter(i))
      let y = grid.yCenter(j) + t * (grid.yCenter(j2) - grid.yCenter(j))
      return (x, y)
    }
    return chains(crossings(grid, level: level)).map { $0.map(point(on:)) }
  }

  /// Marching squares: in each cell, the cell edges the line crosses, joined in pairs; returned as
  /// each crossed edge's neighbours. Edge ids: the horizontal edge (i,j)-(i+1,j) is 2·(j·nx + i),
  /// the vertical one (i,j)-(i,j+1) that plus 1.
  static func crossings(_ grid: Grid, level: Double) -> [Int: [Int]] {
    let (nx, ny) = (grid.columns, grid.rows)
    func hEdge(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) }
    func vEdge(_ i: Int, _ j: Int) -> Int { 2 * (j * nx + i) + 1 }
    var neighbours: [Int: [Int]] = [:]
    func connect(_ a: Int, _ b: Int) {
      neighbours[a, default: []].append(b)
      neighbours[b, default: []].append(a)
    }
    for j in 0..<(ny - 1) {
      for i in 0..<(nx - 1) {
        let v0 = grid[i, j]  // bottom-left
        let v1 = grid[i + 1, j]  // bottom-right
        let v2 = grid[i + 1, j + 1]  // top-right
        let v3 = grid[i, j + 1]  // top-left
        if v0.isNaN || v1.isNaN || v2.isNaN || v3.isNaN { continue }
        var code = 0
        if v0 >= level { code |= 1 }
        if v1 >= level { code |= 2 }
        if v2 >= level { code |= 4 }
        if v3 >= level { code |= 8 }
        let bottom = hEdge(i, j)
        let top = hEdge(i, j + 1)
        let left = vEdge(i, j)
        let right = vEdge(i + 1, j)
        switch code {
        case 0, 15: break
        case 1, 14: connect(left, bottom)
        case 2, 13: connect(bottom, right)
        case 3, 12: connect(left, right)
        case 4, 11: connect(right, top)
        case 6, 9: connect(bottom, top)
        case 7, 8: connect(left, top)
        case 5, 10:
          let centreHigh = (v0 + v1 + v2 + v3) / 4 >= level
          // code 5: bottom-left and top-right high.
          if (code == 5) == centreHigh {
            connect(left, top)
            connect(bottom, right)
          } else {
            connect(left, bottom)
            connect(right, top)
          }
        default: break
        }
      }
    }
    return neighbours
  }

  /// The crossed edges joined into chains of two or more: open chains first (from an edge with
  /// one neighbour, in edge order), then closed loops, which repeat their first edge at the end.
  static func chains(_ neighbours: [Int: [Int]]) -> [[Int]] {
    var visited = Set<Int>()
    var result: [[Int]] = []
    func walk(from start: Int) {
      var chain = [start]
      visited.insert(start)
      var current = start
      while let next = neighbours[current]?.first(where: { !visited.contains($0) }) {
        chain.append(next)
        visited.insert(next)
        current = next
      }
      if chain.count > 2, neighbours[current]?.contains(start) == true {
        chain.append(start)
      }
      if chain.count >= 2 { result.append(chain) }
    }
    let keys = neighbours.keys.sorted()
    for key in keys where !visited.contains(key) && neighbours[key]?.count == 1 {
      walk(from: key)
    }
    for key in keys where !visited.contains(key) {
      walk(from: key)
    }
    return result
  }
}
