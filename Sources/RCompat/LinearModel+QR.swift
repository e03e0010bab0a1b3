// The least-squares solve behind `LinearModel`: a Householder QR decomposition of the design, as
// R's `lm` computes one (LINPACK's dqrdc2), and what β̂ and its standard errors need from it.

import Foundation

/// X = QR for a design X given by its columns, with the same reflections applied to y (giving Qᵀy).
///
/// Column k is reflected by H = I − 2vvᵀ/(vᵀv), v = x_k[k…] − α·e₁, α = ∓‖x_k[k…]‖ (the sign
/// opposite to x_k[k], so nothing cancels). R is upper triangular: R[i][j] = `reflected[j][i]`, i ≤ j.
struct HouseholderQR {
  /// The design's columns after the reflections; column j holds R's column j in its first j + 1 rows.
  private var reflected: [[Double]]
  /// Qᵀy: the response after the same reflections.
  private var qty: [Double]

  /// Decomposes the design `columns` (each as long as `y`), named for the error a collinear one gives.
  ///
  /// - Throws: `LinearModelError.collinear` when a column keeps less than 1e−7 of its norm after
  ///   the earlier columns are projected out (R's default tolerance), or is zero.
  init(columns: [[Double]], response y: [Double], names: [String]) throws {
    let n = y.count
    let p = columns.count
    var a = columns
    var qty = y
    for k in 0..<p {
      let originalNorm = (a[k].map { $0 * $0 }.reduce(0, +)).squareRoot()
      var norm = 0.0
      for i in k..<n { norm += a[k][i] * a[k][i] }
      norm = norm.squareRoot()
      guard originalNorm > 0, norm > 1e-7 * originalNorm else {
        throw LinearModelError.collinear(variable: names[k])
      }
      let alpha = a[k][k] > 0 ? -norm : norm
      // v = a_k[k...] − alpha·e₁, reflection H = I − 2vvᵀ/(vᵀv).
      var v = Array(a[k][k..<n])
      v[0] -= alpha
      let vtv = v.map { $0 * $0 }.reduce(0, +)
      for j in (k + 1)..<max(p, k + 1) { Self.reflect(&a[j], from: k, by: v, vtv) }
      Self.reflect(&qty, from: k, by: v, vtv)
      a[k][k] = alpha
      for i in (k + 1)..<n { a[k][i] = 0 }
    }
    self.reflected = a
    self.qty = qty
  }

  /// `col[k…] ← H·col[k…]`, H = I − 2vvᵀ/(vᵀv).
  private static func reflect(_ col: inout [Double], from k: Int, by v: [Double], _ vtv: Double) {
    var dot = 0.0
    for i in 0..<v.count { dot += v[i] * col[k + i] }
    let scale = 2 * dot / vtv
    for i in 0..<v.count { col[k + i] -= scale * v[i] }
  }

  /// The number of columns p.
  var count: Int { reflected.count }

  /// R[i][j] (upper triangular, i ≤ j).
  func r(_ i: Int, _ j: Int) -> Double { reflected[j][i] }

  /// β̂ from Rβ̂ = (Qᵀy)₁..ₚ, by back substitution.
  var coefficients: [Double] {
    let p = count
    var beta = [Double](repeating: 0, count: p)
    for i in stride(from: p - 1, through: 0, by: -1) {
      var s = qty[i]
      for j in (i + 1)..<max(p, i + 1) { s -= r(i, j) * beta[j] }
      beta[i] = s / r(i, i)
    }
    return beta
  }

  /// diag((XᵀX)⁻¹): (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, so entry j is the sum of squares of row j of R⁻¹.
  var inverseGramDiagonal: [Double] {
    let p = count
    // R⁻¹ (upper triangular), column by column from the diagonal up.
    var rInverse = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
    for j in 0..<p {
      rInverse[j][j] = 1 / r(j, j)
      for i in stride(from: j - 1, through: 0, by: -1) {
        var s = 0.0
        for l in (i + 1)...j { s += r(i, l) * rInverse[l][j] }
        rInverse[i][j] = -s / r(i, i)
      }
    }
    return (0..<p).map { j in (j..<p).reduce(0.0) { $0 + rInverse[j][$1] * rInverse[j][$1] } }
  }
}
