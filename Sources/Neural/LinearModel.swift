// Ordinary least squares with the figures of R's `summary(lm(y ~ x))`, and the pieces of R's
// arithmetic it needs: `sum` in extended precision, type-7 quantiles, Student t and F tails.

import Foundation

// MARK: - R's sum

/// `sum(v)` as R computes it, accumulating in extended precision: R adds doubles into a C
/// `long double` (x87 80-bit on x86_64) and rounds once at the end. Notebooks that transcribe R
/// loops need this to reproduce R's printed digits (the lecture's gradient descent does).
///
/// On x86_64 the accumulator is `Float80`, as in R. Elsewhere (no extended type) it is a
/// Neumaier-compensated double sum, which is at least as accurate but may differ from R in the
/// last bit. Returns ±∞ when the exact-ish sum overflows, NaN if any element is NaN; 0 for [].
public func rSum(_ v: [Double]) -> Double {
  #if arch(x86_64)
    var s: Float80 = 0
    for x in v { s += Float80(x) }
    return Double(s)
  #else
    var s = 0.0
    var c = 0.0
    for x in v {
      let t = s + x
      c += abs(s) >= abs(x) ? (s - t) + x : (x - t) + s
      s = t
    }
    return s + c
  #endif
}

/// `mean(v)` as R computes it: the extended-precision sum divided by n, then refined by the
/// mean of the deviations, `m + Σ(xᵢ − m)/n`. NaN for [] (R gives NaN too).
public func rMean(_ v: [Double]) -> Double {
  guard !v.isEmpty else { return .nan }
  let n = Double(v.count)
  #if arch(x86_64)
    var s: Float80 = 0
    for x in v { s += Float80(x) }
    s /= Float80(n)
    if Double(s).isFinite {
      var t: Float80 = 0
      for x in v { t += Float80(x) - s }
      s += t / Float80(n)
    }
    return Double(s)
  #else
    let m = rSum(v) / n
    guard m.isFinite else { return m }
    return m + rSum(v.map { $0 - m }) / n
  #endif
}

// MARK: - Quantiles and distributions

extension RStats {
  /// R's `quantile(x, probs, type = 7)` (R's default): with the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎,
  /// h = 1 + (n − 1)·p, Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌈h⌉₎ − x₍⌊h⌋₎), written as R writes it,
  /// `(1 − γ)·x₍⌊h⌋₎ + γ·x₍⌈h⌉₎`.
  ///
  /// - Precondition: x is non-empty without NaN, every p in [0, 1] (programmer errors; R stops too).
  public static func quantile(_ x: [Double], probs: [Double] = [0, 0.25, 0.5, 0.75, 1]) -> [Double] {
    precondition(!x.isEmpty, "quantile of an empty sample")
    precondition(!x.contains(where: \.isNaN), "quantile: NaN in the sample")
    precondition(probs.allSatisfy { (0...1).contains($0) }, "quantile: probs outside [0, 1]")
    let sorted = x.sorted()
    let n = sorted.count
    return probs.map { p in
      let index = 1 + Double(n - 1) * p
      let lo = Int(floor(index))
      let hi = Int(ceil(index))
      let qs = sorted[lo - 1]
      guard index > Double(lo) && sorted[hi - 1] != qs else { return qs }
      let h = index - Double(lo)
      return (1 - h) * qs + h * sorted[hi - 1]
    }
  }

  /// The regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b) and its complement
  /// 1 − I_x(a, b), given both x and y = 1 − x (so a caller that knows y exactly loses nothing).
  ///
  /// Evaluated by the continued fraction of Numerical Recipes §6.4 (modified Lentz) on whichever
  /// side converges fast — x < (a + 1)/(a + b + 2) directly, otherwise through
  /// I_x(a, b) = 1 − I_y(b, a) — with the prefactor xᵃ yᵇ / (a B(a, b)) from `lgamma`.
  /// Relative accuracy about 1e−13 for a, b up to a few hundred.
  static func incompleteBeta(x: Double, y: Double, a: Double, b: Double) -> (lower: Double, upper: Double) {
    if x <= 0 { return (0, 1) }
    if y <= 0 { return (1, 0) }
    let logFront = a * portableLog(x) + b * portableLog(y) - (lgamma(a) + lgamma(b) - lgamma(a + b))
    if x < (a + 1) / (a + b + 2) {
      let lower = portableExp(logFront) * continuedFraction(x: x, a: a, b: b) / a
      return (lower, 1 - lower)
    }
    let upper = portableExp(logFront) * continuedFraction(x: y, a: b, b: a) / b
    return (1 - upper, upper)
  }

  /// The continued fraction for I_x(a, b) (modified Lentz's method, relative tolerance 1e−16).
  private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
      let m = Double(m)
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return h
  }

  /// R's `pt(t, df, lower.tail)`: the Student t distribution function with `df` degrees of
  /// freedom. P(|T| > |t|) = I_{df/(df+t²)}(df/2, ½) (computed from the complementary side when
  /// t² < df), halved and reflected for the requested tail.
  ///
  /// - Returns: NaN for NaN input or df ≤ 0.
  public static func pt(_ t: Double, df: Double, lowerTail: Bool = true) -> Double {
    if t.isNaN || df.isNaN || df <= 0 { return .nan }
    if t.isInfinite { return (t < 0) == lowerTail ? 0 : 1 }
    let t2 = t * t
    // Two-sided tail P(|T| > |t|).
    let twoSided: Double
    if df > t2 {
      twoSided = incompleteBeta(x: t2 / (df + t2), y: df / (df + t2), a: 0.5, b: df / 2).upper
    } else {
      twoSided = incompleteBeta(x: df / (df + t2), y: t2 / (df + t2), a: df / 2, b: 0.5).lower
    }
    let tail = twoSided / 2  // P(T > |t|)
    let wantUpperOfAbs = (t > 0) == !lowerTail  // upper tail for t > 0, lower tail for t <= 0
    return wantUpperOfAbs ? tail : 0.5 - tail + 0.5
  }

  /// R's `pf(f, df1, df2, lower.tail)`: the F distribution function,
  /// P(F ≤ f) = I_{d₁f/(d₂+d₁f)}(d₁/2, d₂/2) (through the complementary form when d₁f > d₂).
  ///
  /// - Returns: NaN for NaN input or non-positive degrees of freedom; 0 (lower) for f ≤ 0.
  public static func pf(_ f: Double, df1: Double, df2: Double, lowerTail: Bool = true) -> Double {
    if f.isNaN || df1.isNaN || df2.isNaN || df1 <= 0 || df2 <= 0 { return .nan }
    if f <= 0 { return lowerTail ? 0 : 1 }
    if f.isInfinite { return lowerTail ? 1 : 0 }
    let denominator = df2 + df1 * f
    let ib: (lower: Double, upper: Double)
    if df1 * f > df2 {
      let swapped = incompleteBeta(x: df2 / denominator, y: df1 * f / denominator, a: df2 / 2, b: df1 / 2)
      ib = (swapped.upper, swapped.lower)
    } else {
      ib = incompleteBeta(x: df1 * f / denominator, y: df2 / denominator, a: df1 / 2, b: df2 / 2)
    }
    return lowerTail ? ib.lower : ib.upper
  }
}

// MARK: - Linear model

/// Why a linear model could not be fitted; the data, not the program, is at fault.
public enum LinearModelError: Error, Equatable, CustomStringConvertible {
  /// A regressor has a different number of observations than the response.
  case lengthMismatch(variable: String, count: Int, expected: Int)
  /// Fewer observations than parameters + 1: no residual degrees of freedom.
  case tooFewObservations(observations: Int, parameters: Int)
  /// A value is NaN or infinite.
  case nonFinite(variable: String, index: Int)
  /// A column of the design matrix is (numerically) a linear combination of the earlier ones.
  case collinear(variable: String)

  /// The message a person reads, in R's words where R has them (`lm: …`).
  public var description: String {
    switch self {
    case let .lengthMismatch(variable, count, expected):
      return "lm: '\(variable)' has \(count) values but the response has \(expected)"
    case let .tooFewObservations(observations, parameters):
      return "lm: \(observations) observations cannot estimate \(parameters) coefficients with residual "
        + "degrees of freedom left; add data or drop regressors"
    case let .nonFinite(variable, index):
      return "lm: '\(variable)' has a NaN or infinite value at position \(index + 1)"
    case let .collinear(variable):
      return "lm: '\(variable)' is collinear with the preceding columns (R would report it as NA, "
        + "not defined because of singularities); drop it"
    }
  }
}

/// An ordinary least squares fit y = Xβ + ε, with the figures R's `summary(lm(...))` reports.
///
/// - β̂ minimises ‖y − Xβ‖², computed from a Householder QR decomposition X = QR (as R's `lm`
///   does): Rβ̂ = (Qᵀy)₁..ₚ. The design X has a leading column of ones when `intercept` is true.
/// - residuals e = y − Xβ̂; residual df = n − p; σ̂² = Σe²/(n − p) ("residual standard error" σ̂).
/// - standard errors: SE(β̂ⱼ) = σ̂ √[(XᵀX)⁻¹]ⱼⱼ with (XᵀX)⁻¹ = R⁻¹R⁻ᵀ; t = β̂ⱼ/SE;
///   p = 2·P(T_{n−p} > |t|).
/// - R² = MSS/(MSS + RSS), MSS = Σ(ŷ − mean ŷ)² (Σŷ² without intercept);
///   adjusted R² = 1 − (1 − R²)(n − k)/(n − p), k = 1 with intercept else 0;
///   F = (MSS/(p − k))/σ̂² on (p − k, n − p) df, reported when p > k.
public struct LinearModel: Sendable, CustomStringConvertible {
  /// One row of the coefficient table.
  public struct Coefficient: Sendable, Equatable {
    /// "(Intercept)" or the regressor's name.
    public var name: String
    /// β̂ⱼ.
    public var estimate: Double
    /// SE(β̂ⱼ) = σ̂ √[(XᵀX)⁻¹]ⱼⱼ.
    public var standardError: Double
    /// t = β̂ⱼ / SE(β̂ⱼ).
    public var tValue: Double
    /// Two-sided p = 2·P(T_{n−p} > |t|).
    public var pValue: Double
  }

  /// The overall F test of all slopes being zero.
  public struct FStatistic: Sendable, Equatable {
    /// F = (MSS/(p − k)) / σ̂².
    public var value: Double
    /// p − k.
    public var numeratorDF: Int
    /// n − p.
    public var denominatorDF: Int
    /// P(F_{p−k, n−p} > F).
    public var pValue: Double
  }

  /// The model as R writes it: "y ~ x", "mpg ~ wt + hp", "y ~ x - 1" without intercept.
  public let formula: String
  /// The coefficient table, intercept first.
  public let coefficients: [Coefficient]
  /// ŷ = Xβ̂.
  public let fitted: [Double]
  /// e = y − ŷ.
  public let residuals: [Double]
  /// σ̂ = √(Σe² / (n − p)).
  public let residualStandardError: Double
  /// n − p.
  public let residualDegreesOfFreedom: Int
  /// R² = MSS/(MSS + RSS).
  public let rSquared: Double
  /// 1 − (1 − R²)(n − k)/(n − p).
  public let adjustedRSquared: Double
  /// The F test; nil when the model has no slope (only an intercept).
  public let fStatistic: FStatistic?

  /// Simple regression y ~ x (with intercept), R's `lm(y ~ x)`.
  public init(x: [Double], y: [Double], xName: String = "x", yName: String = "y") throws {
    try self.init(regressors: [(xName, x)], response: y, responseName: yName)
  }

  /// Multiple regression of `response` on the named regressors, R's `lm(y ~ x1 + x2 + …)`.
  ///
  /// - Throws: `LinearModelError` when lengths differ, a value is not finite, there are no
  ///   residual degrees of freedom, or a column is collinear with earlier ones (tolerance 1e−7
  ///   relative to the column's norm, R's default).
  public init(
    regressors: [(name: String, values: [Double])], response y: [Double], responseName: String = "y",
    intercept: Bool = true
  ) throws {
    let n = y.count
    for (i, v) in y.enumerated() where !v.isFinite {
      throw LinearModelError.nonFinite(variable: responseName, index: i)
    }
    var names: [String] = intercept ? ["(Intercept)"] : []
    var columns: [[Double]] = intercept ? [[Double](repeating: 1, count: n)] : []
    for (name, values) in regressors {
      guard values.count == n else {
        throw LinearModelError.lengthMismatch(variable: name, count: values.count, expected: n)
      }
      for (i, v) in values.enumerated() where !v.isFinite {
        throw LinearModelError.nonFinite(variable: name, index: i)
      }
      names.append(name)
      columns.append(values)
    }
    let p = columns.count
    guard p > 0, n > p else { throw LinearModelError.tooFewObservations(observations: n, parameters: p) }

    // Householder QR of X (columns), applying the same reflections to y.
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
      func reflect(_ col: inout [Double]) {
        var dot = 0.0
        for i in 0..<v.count { dot += v[i] * col[k + i] }
        let scale = 2 * dot / vtv
        for i in 0..<v.count { col[k + i] -= scale * v[i] }
      }
      for j in (k + 1)..<max(p, k + 1) { reflect(&a[j]) }
      reflect(&qty)
      a[k][k] = alpha
      for i in (k + 1)..<n { a[k][i] = 0 }
    }
    // R (upper triangular): R[i][j] = a[j][i] for i <= j.
    func r(_ i: Int, _ j: Int) -> Double { a[j][i] }
    // β̂ by back substitution.
    var beta = [Double](repeating: 0, count: p)
    for i in stride(from: p - 1, through: 0, by: -1) {
      var s = qty[i]
      for j in (i + 1)..<max(p, i + 1) { s -= r(i, j) * beta[j] }
      beta[i] = s / r(i, i)
    }
    // R⁻¹ (upper triangular), then diag((XᵀX)⁻¹) = row sums of squares of R⁻¹.
    var rInverse = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
    for j in 0..<p {
      rInverse[j][j] = 1 / r(j, j)
      for i in stride(from: j - 1, through: 0, by: -1) {
        var s = 0.0
        for l in (i + 1)...j { s += r(i, l) * rInverse[l][j] }
        rInverse[i][j] = -s / r(i, i)
      }
    }

    let fitted = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + columns[$1][i] * beta[$1] } }
    let residuals = (0..<n).map { y[$0] - fitted[$0] }
    let rdf = n - p
    let rss = rSum(residuals.map { $0 * $0 })
    let resvar = rss / Double(rdf)
    let mss: Double
    if intercept {
      let m = rMean(fitted)
      mss = rSum(fitted.map { ($0 - m) * ($0 - m) })
    } else {
      mss = rSum(fitted.map { $0 * $0 })
    }
    var table: [Coefficient] = []
    for j in 0..<p {
      let xtxInverse = (j..<p).reduce(0.0) { $0 + rInverse[j][$1] * rInverse[j][$1] }
      let se = (xtxInverse * resvar).squareRoot()
      let t = beta[j] / se
      table.append(
        Coefficient(
          name: names[j], estimate: beta[j], standardError: se, tValue: t,
          pValue: 2 * RStats.pt(-abs(t), df: Double(rdf))))
    }
    let dfIntercept = intercept ? 1 : 0
    let r2 = mss / (mss + rss)
    self.coefficients = table
    self.fitted = fitted
    self.residuals = residuals
    self.residualStandardError = resvar.squareRoot()
    self.residualDegreesOfFreedom = rdf
    self.rSquared = r2
    self.adjustedRSquared = 1 - (1 - r2) * (Double(n - dfIntercept) / Double(rdf))
    if p > dfIntercept {
      let numeratorDF = p - dfIntercept
      let f = (mss / Double(numeratorDF)) / resvar
      self.fStatistic = FStatistic(
        value: f, numeratorDF: numeratorDF, denominatorDF: rdf,
        pValue: RStats.pf(f, df1: Double(numeratorDF), df2: Double(rdf), lowerTail: false))
    } else {
      self.fStatistic = nil
    }
    let terms = regressors.map(\.name)
    let rhs = terms.isEmpty ? "1" : terms.joined(separator: " + ")
    self.formula = "\(responseName) ~ \(rhs)" + (intercept ? "" : " - 1")
  }

  /// Residual quantiles Min, 1Q, Median, 3Q, Max (type 7, R's default).
  public var residualQuantiles: [Double] { RStats.quantile(residuals) }

  /// One line: `lm(y ~ x): (Intercept) = 2.8972, x = 1.94753`, estimates to 6 significant digits.
  public var description: String {
    "lm(\(formula)): "
      + coefficients.map { "\($0.name) = \(RFormat.format($0.estimate, digits: 6))" }
      .joined(separator: ", ")
  }

  /// What R's `print(summary(lm(formula)))` writes to the console, byte for byte for ordinary
  /// fits (UTF-8 quotes in the significance legend, as R in a UTF-8 locale; a tab before
  /// "Adjusted R-squared"; ends with a blank line).
  public var summary: String { summary(call: "lm(formula = \(formula))") }

  /// `summary`, with the "Call:" line given (e.g. `lm(formula = mpg ~ wt + hp, data = mtcars)`).
  public func summary(call: String) -> String {
    let digits = 4  // print.summary.lm: max(3, getOption("digits") - 3)
    var out = "\nCall:\n\(call)\n\n"
    out += "Residuals:\n"
    if residualDegreesOfFreedom > 5 {
      let q = RFormat.zapsmall(residualQuantiles, digits: digits + 1)
      out += RFormat.print(q, names: ["Min", "1Q", "Median", "3Q", "Max"], digits: digits) + "\n"
    } else {
      let names = residuals.indices.map { String($0 + 1) }
      out += RFormat.print(residuals, names: names, digits: digits) + "\n"
    }
    out += "\nCoefficients:\n"
    out += coefficientTable(digits: digits)
    out +=
      "\nResidual standard error: "
      + RFormat.format(RFormat.signif(residualStandardError, digits: digits))
      + " on \(residualDegreesOfFreedom) degrees of freedom\n"
    if let f = fStatistic {
      out += "Multiple R-squared:  " + RFormat.formatC(rSquared, digits: digits)
      out += ",\tAdjusted R-squared:  " + RFormat.formatC(adjustedRSquared, digits: digits) + " \n"
      out +=
        "F-statistic: " + RFormat.formatC(f.value, digits: digits)
        + " on \(f.numeratorDF) and \(f.denominatorDF) DF,  p-value: "
        + RFormat.formatPValue([f.pValue], digits: digits)[0] + "\n"
    }
    return out + "\n"
  }

  /// R's `printCoefmat` with print.summary.lm's arguments (digits 4, dig.tst 3, stars).
  private func coefficientTable(digits: Int) -> String {
    let k = coefficients.count
    let estimatesAndErrors = coefficients.map(\.estimate) + coefficients.map(\.standardError)
    // Decimals from the smallest non-zero |estimate| or SE: max(1, digits − (1 + ⌊log₁₀ min⌋)).
    let nonZero = estimatesAndErrors.map { abs($0) }.filter { $0 != 0 && $0.isFinite }
    var columnsES: [String]
    if let smallest = nonZero.min(), let largest = nonZero.max() {
      let digmin = [smallest, largest].map { 1 + Int(floor(log10($0))) }
      let decimals = max(1, digits - digmin[0], digits - digmin[1])
      let rounded = estimatesAndErrors.map { RFormat.round($0, digits: decimals) }
      columnsES = RFormat.format(rounded, digits: digits)
      // Entries that rounded to zero but are not zero (or vice versa) get digits − 1 digits.
      let notBoth0 = estimatesAndErrors.indices.filter {
        (estimatesAndErrors[$0] == 0)
          != ((Double(columnsES[$0].trimmingCharacters(in: .whitespaces)) ?? 0) == 0)
      }
      if !notBoth0.isEmpty {
        let redone = RFormat.format(notBoth0.map { estimatesAndErrors[$0] }, digits: max(1, digits - 1))
        for (m, i) in notBoth0.enumerated() { columnsES[i] = redone[m] }
      }
    } else {
      columnsES = RFormat.format(estimatesAndErrors, digits: digits)
    }
    let digTst = max(1, min(5, digits - 1))
    let tStrings = RFormat.format(
      coefficients.map { RFormat.round($0.tValue, digits: digTst) }, digits: digits)
    let pValues = coefficients.map(\.pValue)
    let pStrings = RFormat.formatPValue(pValues, digits: digTst)
    let showStars = pValues.contains { $0 < 0.1 }

    var header = ["Estimate", "Std. Error", "t value", "Pr(>|t|)"]
    var cells: [[String]] = (0..<k).map { i in [columnsES[i], columnsES[k + i], tStrings[i], pStrings[i]] }
    if showStars {
      header.append("")
      let stars = pValues.map(Self.significanceStars)
      let width = stars.map(\.count).max() ?? 0
      for i in 0..<k { cells[i].append(stars[i].padding(toLength: width, withPad: " ", startingAt: 0)) }
    }
    let rowNames = coefficients.map(\.name)
    let rowNameWidth = rowNames.map(\.count).max() ?? 0
    let widths = header.indices.map { j in max(header[j].count, cells.map { $0[j].count }.max() ?? 0) }
    func rightAligned(_ s: String, _ w: Int) -> String {
      String(repeating: " ", count: max(0, w - s.count)) + s
    }
    var lines = [
      String(repeating: " ", count: rowNameWidth)
        + header.indices.map { " " + rightAligned(header[$0], widths[$0]) }.joined()
    ]
    for i in 0..<k {
      lines.append(
        rowNames[i].padding(toLength: rowNameWidth, withPad: " ", startingAt: 0)
          + cells[i].indices.map { " " + rightAligned(cells[i][$0], widths[$0]) }.joined())
    }
    var text = lines.joined(separator: "\n") + "\n"
    if showStars {
      text +=
        "---\nSignif. codes:  0 \u{2018}***\u{2019} 0.001 \u{2018}**\u{2019} 0.01 \u{2018}*\u{2019} 0.05 "
        + "\u{2018}.\u{2019} 0.1 \u{2018} \u{2019} 1\n"
    }
    return text
  }

  /// R's significance codes (symnum with cutpoints 0, .001, .01, .05, .1, 1, right-closed).
  static func significanceStars(_ p: Double) -> String {
    if p.isNaN { return "" }
    if p <= 0.001 { return "***" }
    if p <= 0.01 { return "**" }
    if p <= 0.05 { return "*" }
    if p <= 0.1 { return "." }
    return " "
  }
}
