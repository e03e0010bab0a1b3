// `summary(lm(...))` as R prints it: the residual quantiles, the coefficient table with
// significance stars, and the fit's figures, through R's own number formatting.

import Foundation
import Neural

extension LinearModel {
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
