import Neural
import XCTest

/// Central finite differences: `(f(x + h) − f(x − h)) / 2h` for each element of `x`.
func numericalGradient(_ x: Matrix, h: Double = 1e-6, _ f: (Matrix) -> Double) -> Matrix {
  var g = Matrix(rows: x.rows, cols: x.cols)
  for i in 0..<x.rows {
    for j in 0..<x.cols {
      var plus = x
      var minus = x
      plus[i, j] += h
      minus[i, j] -= h
      g[i, j] = (f(plus) - f(minus)) / (2 * h)
    }
  }
  return g
}

/// Asserts `analytic ≈ numeric` element by element with a relative tolerance, printing the worst
/// element's expected value, actual value and error.
func assertGradient(
  _ analytic: Matrix, _ numeric: Matrix, tolerance: Double = 1e-6, _ what: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(analytic.rows, numeric.rows, "\(what): shape", file: file, line: line)
  XCTAssertEqual(analytic.cols, numeric.cols, "\(what): shape", file: file, line: line)
  var worst = (index: -1, error: 0.0)
  for i in 0..<min(analytic.count, numeric.count) {
    let a = analytic.storage[i]
    let n = numeric.storage[i]
    let error = abs(a - n) / max(1, abs(a), abs(n))
    if !(error <= worst.error) { worst = (i, error) }
  }
  if worst.index >= 0, !(worst.error <= tolerance) {
    XCTFail(
      "\(what): gradient element \(worst.index): expected (finite difference) \(numeric.storage[worst.index]), "
        + "actual (analytic) \(analytic.storage[worst.index]), relative error \(worst.error) > \(tolerance)",
      file: file, line: line)
  }
}

/// A random matrix with entries in (−scale, scale).
func randomMatrix(_ rows: Int, _ cols: Int, scale: Double = 1, rng: inout SeededRandom) -> Matrix {
  Matrix(rows: rows, cols: cols, (0..<(rows * cols)).map { _ in rng.uniform(-scale, scale) })
}
