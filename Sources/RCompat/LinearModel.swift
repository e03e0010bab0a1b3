// Ordinary least squares with the figures of R's `summary(lm(y ~ x))`.

import Foundation
import Neural

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
    let (names, columns) = try Self.design(
      regressors, response: y, responseName: responseName, intercept: intercept)
    let qr = try HouseholderQR(columns: columns, response: y, names: names)
    let beta = qr.coefficients
    let n = y.count
    let p = columns.count
    let fitted = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + columns[$1][i] * beta[$1] } }
    let residuals = (0..<n).map { y[$0] - fitted[$0] }
    let rdf = n - p
    let rss = rSum(residuals.map { $0 * $0 })
    let resvar = rss / Double(rdf)
    let mss = Self.modelSumOfSquares(fitted, intercept: intercept)
    let inverseGram = qr.inverseGramDiagonal
    self.coefficients = (0..<p).map { j in
      let se = (inverseGram[j] * resvar).squareRoot()
      let t = beta[j] / se
      return Coefficient(
        name: names[j], estimate: beta[j], standardError: se, tValue: t,
        pValue: 2 * RStats.pt(-abs(t), df: Double(rdf)))
    }
    let dfIntercept = intercept ? 1 : 0
    let r2 = mss / (mss + rss)
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

  /// The design matrix X by columns, with their names: a column of ones named "(Intercept)" first
  /// when `intercept`, then each regressor. Checks what `init` promises to throw for.
  private static func design(
    _ regressors: [(name: String, values: [Double])], response y: [Double], responseName: String,
    intercept: Bool
  ) throws -> (names: [String], columns: [[Double]]) {
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
    return (names, columns)
  }

  /// MSS: Σ(ŷ − mean ŷ)² with an intercept, Σŷ² without (R's `summary.lm`).
  private static func modelSumOfSquares(_ fitted: [Double], intercept: Bool) -> Double {
    guard intercept else { return rSum(fitted.map { $0 * $0 }) }
    let m = rMean(fitted)
    return rSum(fitted.map { ($0 - m) * ($0 - m) })
  }
}
