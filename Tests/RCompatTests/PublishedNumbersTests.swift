import Neural
import XCTest

@testable import RCompat

/// The numbers printed on the slides of ../shared/lectures/000_*.txt, reproduced end to end from
/// `set.seed(123)` in Swift and compared as the strings R printed.
final class PublishedNumbersTests: XCTestCase {
  /// The lecture's data: set.seed(123); n <- 100; x <- rnorm(n); y <- 3 + 2 * x + rnorm(n).
  static func lectureData() -> (x: [Double], y: [Double]) {
    var rng = RRandom(seed: 123)
    let x = rng.rnorm(100)
    let noise = rng.rnorm(100)
    return (x, zip(x, noise).map { 3 + 2 * $0 + $1 })
  }

  func testSummaryLmPrintsThePublishedFigures() throws {
    let (x, y) = Self.lectureData()
    let fit = try LinearModel(x: x, y: y)
    let lines = fit.summary.components(separatedBy: "\n")
    XCTAssertTrue(lines.contains("lm(formula = y ~ x)"))
    XCTAssertTrue(lines.contains("    Min      1Q  Median      3Q     Max "))
    XCTAssertTrue(lines.contains("-1.9073 -0.6835 -0.0875  0.5806  3.2904 "))
    XCTAssertTrue(lines.contains("            Estimate Std. Error t value Pr(>|t|)    "))
    XCTAssertTrue(lines.contains("(Intercept)  2.89720    0.09755   29.70   <2e-16 ***"))
    XCTAssertTrue(lines.contains("x            1.94753    0.10688   18.22   <2e-16 ***"))
    XCTAssertTrue(lines.contains("Residual standard error: 0.9707 on 98 degrees of freedom"))
    XCTAssertTrue(lines.contains("Multiple R-squared:  0.7721,\tAdjusted R-squared:  0.7698 "))
    XCTAssertTrue(lines.contains("F-statistic:   332 on 1 and 98 DF,  p-value: < 2.2e-16"))
    // The same figures one by one, at the slide's digits.
    XCTAssertEqual(
      RFormat.format(RFormat.zapsmall(fit.residualQuantiles, digits: 5), digits: 4),
      ["-1.9073", "-0.6835", "-0.0875", " 0.5806", " 3.2904"])
    XCTAssertEqual(RFormat.format(RFormat.signif(fit.residualStandardError, digits: 4)), "0.9707")
    XCTAssertEqual(fit.residualDegreesOfFreedom, 98)
    XCTAssertEqual(RFormat.formatC(fit.rSquared, digits: 4), "0.7721")
    XCTAssertEqual(RFormat.formatC(fit.adjustedRSquared, digits: 4), "0.7698")
    XCTAssertEqual(RFormat.formatC(fit.fStatistic?.value ?? .nan, digits: 4), "  332")
    XCTAssertEqual(fit.fStatistic?.numeratorDF, 1)
    XCTAssertEqual(fit.fStatistic?.denominatorDF, 98)
  }

  /// The slide's R loop, transcribed: E(α, β) = (1/n) Σ (yᵢ − α − βxᵢ)², 1000 steps of η = 0.01.
  /// R's `sum` accumulates in long double, hence `rSum`.
  func testGradientDescentPrintsThePublishedAlphaAndBeta() {
    let (x, y) = Self.lectureData()
    let n = Double(x.count)
    let eta = 0.01
    var alpha = 1.0
    var beta = 1.0
    for _ in 1...1000 {
      let residual = zip(x, y).map { xi, yi in yi - alpha - beta * xi }
      let dEdalpha = -rSum(residual.map { 2 * $0 }) / n
      let dEdbeta = -rSum(zip(x, residual).map { xi, ri in 2 * xi * ri }) / n
      alpha = alpha - eta * dEdalpha
      beta = beta - eta * dEdbeta
    }
    XCTAssertEqual(
      "alpha = \(RFormat.character(alpha)), beta = \(RFormat.character(beta))",
      "alpha = 2.89719694937354, beta = 1.94752837381973")
  }

  /// The slide's single sigmoid neuron with a fixed bias of −3, transcribed from the R loop.
  /// `y` is the forward pass of the last epoch, computed before that epoch's weight update.
  func testSingleNeuronPrintsThePublishedPredictions() {
    let d: [Double] = [0, 0, 1, 1]
    let x1: [Double] = [0, 0, 1, 1]
    let x2: [Double] = [0, 1, 0, 1]
    // exp is Neural's portable one, as in the notebook (HandoutKit gives it to notebook code).
    func phi(_ s: Double) -> Double { 1 / (1 + portableExp(-s)) }
    let mu = 0.1
    var w1 = 0.1
    var w2 = 0.5
    var y: [Double] = []
    var E: [Double] = []
    let N = Double(d.count)
    for _ in 1...10_000 {
      y = (0..<4).map { phi(w1 * x1[$0] + w2 * x2[$0] - 3) }
      let squaredErrors: [Double] = (0..<4).map { i -> Double in (d[i] - y[i]) * (d[i] - y[i]) }
      E.append((1 / (2 * N)) * rSum(squaredErrors))
      // R: (d - y) * y * (1 - y) * x1, evaluated left to right, element by element.
      let delta: [Double] = (0..<4).map { i -> Double in (d[i] - y[i]) * y[i] * (1 - y[i]) }
      let dEdw1 = -(1 / N) * rSum((0..<4).map { i -> Double in delta[i] * x1[i] })
      let dEdw2 = -(1 / N) * rSum((0..<4).map { i -> Double in delta[i] * x2[i] })
      w1 = w1 - mu * dEdw1
      w2 = w2 - mu * dEdw2
    }
    XCTAssertEqual(RFormat.print(y), "[1] 0.04742587 0.05752359 0.95730271 0.96489475")
    XCTAssertLessThan(E[9999], E[0])
    // A forward pass after the loop (one update later) is not what the slide shows.
    let after = (0..<4).map { phi(w1 * x1[$0] + w2 * x2[$0] - 3) }
    XCTAssertNotEqual(RFormat.print(after), "[1] 0.04742587 0.05752359 0.95730271 0.96489475")
  }
}
