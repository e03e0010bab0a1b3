import Neural
import XCTest

@testable import RCompat

/// Relative closeness for values R computed by a different (but equally exact) algorithm.
func assertClose(
  _ actual: Double, _ expected: Double, relative: Double = 1e-10, _ what: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  let error = abs(actual - expected) / max(abs(expected), .leastNormalMagnitude)
  XCTAssertTrue(
    error <= relative, "\(what): expected \(expected) (R), got \(actual), relative error \(error)",
    file: file, line: line)
}

final class LinearModelTests: XCTestCase {
  func lectureModel() throws -> LinearModel {
    let rows = try Fixture.lines("lecture_xy.txt").map(Fixture.row)
    return try LinearModel(x: rows.map { $0[0] }, y: rows.map { $0[1] })
  }

  func testLectureFitMatchesRFullPrecision() throws {
    let fit = try lectureModel()
    let r = try Fixture.keyed("lecture_lm.txt")
    func ref(_ key: String) -> Double { r[key] ?? .nan }
    let (a, b) = (fit.coefficients[0], fit.coefficients[1])
    assertClose(a.estimate, ref("intercept"), relative: 1e-13, "intercept")
    assertClose(b.estimate, ref("slope"), relative: 1e-13, "slope")
    assertClose(a.standardError, ref("intercept_se"), relative: 1e-12, "intercept SE")
    assertClose(b.standardError, ref("slope_se"), relative: 1e-12, "slope SE")
    assertClose(a.tValue, ref("intercept_t"), relative: 1e-12, "intercept t")
    assertClose(b.tValue, ref("slope_t"), relative: 1e-12, "slope t")
    assertClose(a.pValue, ref("intercept_p"), relative: 1e-9, "intercept p")
    assertClose(b.pValue, ref("slope_p"), relative: 1e-9, "slope p")
    assertClose(fit.residualStandardError, ref("sigma"), relative: 1e-13, "sigma")
    XCTAssertEqual(Double(fit.residualDegreesOfFreedom), ref("df"))
    assertClose(fit.rSquared, ref("r_squared"), relative: 1e-13, "R²")
    assertClose(fit.adjustedRSquared, ref("adj_r_squared"), relative: 1e-13, "adjusted R²")
    let f = try XCTUnwrap(fit.fStatistic)
    assertClose(f.value, ref("f"), relative: 1e-12, "F")
    XCTAssertEqual(Double(f.numeratorDF), ref("f_df1"))
    XCTAssertEqual(Double(f.denominatorDF), ref("f_df2"))
    assertClose(f.pValue, ref("f_p"), relative: 1e-9, "F p-value")
    let q = fit.residualQuantiles
    for (i, key) in ["q_min", "q_1q", "q_median", "q_3q", "q_max"].enumerated() {
      assertClose(q[i], ref(key), relative: 1e-12, "residual quantile \(key)")
    }
    let residuals = try Fixture.doubles("lecture_lm_residuals.txt")
    for (i, (got, want)) in zip(fit.residuals, residuals).enumerated() {
      XCTAssertEqual(got, want, accuracy: 1e-13, "residual \(i + 1)")
    }
  }

  func testLectureSummaryPrintsExactlyAsR() throws {
    XCTAssertEqual(try lectureModel().summary, try Fixture.text("lecture_lm_summary.txt"))
  }

  func testMultipleRegressionOnMtcarsMatchesR() throws {
    let rows = try Fixture.lines("mtcars_wt_hp_mpg.txt").map(Fixture.row)
    let fit = try LinearModel(
      regressors: [("wt", rows.map { $0[0] }), ("hp", rows.map { $0[1] })], response: rows.map { $0[2] },
      responseName: "mpg")
    XCTAssertEqual(fit.formula, "mpg ~ wt + hp")
    let expected = try Fixture.lines("mtcars_lm_coefficients.txt").map(Fixture.row)
    for (c, e) in zip(fit.coefficients, expected) {
      assertClose(c.estimate, e[0], relative: 1e-12, "\(c.name) estimate")
      assertClose(c.standardError, e[1], relative: 1e-12, "\(c.name) SE")
      assertClose(c.tValue, e[2], relative: 1e-12, "\(c.name) t")
      assertClose(c.pValue, e[3], relative: 1e-9, "\(c.name) p")
    }
    let r = try Fixture.keyed("mtcars_lm.txt")
    assertClose(fit.residualStandardError, r["sigma"] ?? .nan, "sigma")
    assertClose(fit.rSquared, r["r_squared"] ?? .nan, "R²")
    assertClose(fit.adjustedRSquared, r["adj_r_squared"] ?? .nan, "adjusted R²")
    assertClose(fit.fStatistic?.value ?? .nan, r["f"] ?? .nan, "F")
    XCTAssertEqual(
      fit.summary(call: "lm(formula = mpg ~ wt + hp, data = mtcars)"),
      try Fixture.text("mtcars_lm_summary.txt"))
  }

  func testExactLineWithoutNoiseAndWithoutIntercept() throws {
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let noisy = x.enumerated().map { 2 * $0.element + ($0.offset % 2 == 0 ? 0.1 : -0.1) }
    let fit = try LinearModel(regressors: [("x", x)], response: noisy, intercept: false)
    XCTAssertEqual(fit.formula, "y ~ x - 1")
    XCTAssertEqual(fit.coefficients.count, 1)
    XCTAssertEqual(fit.coefficients[0].estimate, 2, accuracy: 0.01)
    XCTAssertEqual(fit.residualDegreesOfFreedom, 7)
    XCTAssertEqual(
      fit.description, "lm(y ~ x - 1): x = \(RFormat.format(fit.coefficients[0].estimate, digits: 6))")
  }

  func testBadDataThrowsTypedErrors() {
    XCTAssertThrowsError(try LinearModel(x: [1, 2, 3], y: [1, 2])) {
      XCTAssertEqual($0 as? LinearModelError, .lengthMismatch(variable: "x", count: 3, expected: 2))
    }
    XCTAssertThrowsError(try LinearModel(x: [1, 2], y: [1, 2])) {
      XCTAssertEqual($0 as? LinearModelError, .tooFewObservations(observations: 2, parameters: 2))
    }
    XCTAssertThrowsError(try LinearModel(x: [1, .nan, 3], y: [1, 2, 3])) {
      XCTAssertEqual($0 as? LinearModelError, .nonFinite(variable: "x", index: 1))
    }
    XCTAssertThrowsError(try LinearModel(x: [2, 2, 2, 2], y: [1, 2, 3, 4])) {
      XCTAssertEqual($0 as? LinearModelError, .collinear(variable: "x"))
    }
    XCTAssertTrue(LinearModelError.collinear(variable: "x").description.contains("collinear"))
  }

  func testQuantileType7MatchesR() throws {
    let probs = [0, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.75, 0.9, 1]
    for line in try Fixture.lines("quantile7.txt") {
      let halves = line.components(separatedBy: " | ")
      let got = RStats.quantile(Fixture.row(halves[0]), probs: probs)
      assertBitEqual(got, Fixture.row(halves[1]), "quantile(\(halves[0].prefix(40))…)")
    }
  }

  func testStudentTAndFTailsMatchR() throws {
    for line in try Fixture.lines("pt_two_sided.txt") {
      let v = Fixture.row(line)
      assertClose(2 * RStats.pt(-abs(v[0]), df: v[1]), v[2], relative: 1e-11, "2·pt(-|\(v[0])|, \(v[1]))")
    }
    for line in try Fixture.lines("pf_upper.txt") {
      let v = Fixture.row(line)
      assertClose(
        RStats.pf(v[0], df1: v[1], df2: v[2], lowerTail: false), v[3], relative: 1e-11,
        "pf(\(v[0]), \(v[1]), \(v[2]), lower.tail = FALSE)")
    }
    XCTAssertEqual(RStats.pt(0, df: 5), 0.5)
    XCTAssertEqual(RStats.pt(1.5, df: 4) + RStats.pt(1.5, df: 4, lowerTail: false), 1, accuracy: 1e-15)
    XCTAssertTrue(RStats.pt(1, df: 0).isNaN)
    XCTAssertEqual(RStats.pt(-.infinity, df: 3), 0)
    XCTAssertEqual(RStats.pf(0, df1: 1, df2: 2), 0)
  }

  func testRSumAccumulatesInExtendedPrecision() {
    // 1 + 1e-16 + 1e-16 … rounds away in double, survives in long double.
    let v = [1.0] + [Double](repeating: 1e-16, count: 10)
    XCTAssertEqual(rSum(v), 1.000000000000001)
    XCTAssertEqual(v.reduce(0, +), 1.0)
    XCTAssertEqual(rSum([]), 0)
    XCTAssertTrue(rSum([1, .nan]).isNaN)
    XCTAssertEqual(rMean([1, 2, 3, 4]), 2.5)
    XCTAssertTrue(rMean([]).isNaN)
  }
}
