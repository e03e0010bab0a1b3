// The data of a simple regression with its fitted line (the OLS lecture).
import Foundation

/// Points `(x, y)` with the fitted line `ŷ = intercept + slope·x` across the data's x range,
/// and with `residuals` a thin vertical segment from each point to the line.
///
/// Non-finite points are skipped. The legend names the line with its equation.
/// - Precondition: `x.count == y.count`.
public func regressionPlot(
  x: [Double], y: [Double], intercept: Double, slope: Double, residuals: Bool = false,
  xLabel: String = "x", yLabel: String = "y", title: String? = nil, width: Double = 560,
  height: Double = 420
) -> Figure {
  precondition(x.count == y.count, "regressionPlot: \(x.count) x values but \(y.count) y values")
  let figure = Figure(width: width, height: height)
  figure.title = title
  let ax = figure.axes
  ax.xLabel = xLabel
  ax.yLabel = yLabel
  let finite = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
  let lo = finite.map(\.0).min() ?? 0
  let hi = finite.map(\.0).max() ?? 1
  if residuals {
    let style = LineStyle(color: Palette.grey.withAlpha(0.7), width: 0.7)
    for (a, b) in finite { ax.segment(from: (a, b), to: (a, intercept + slope * a), style: style) }
  }
  ax.scatter(
    x: finite.map(\.0), y: finite.map(\.1), label: "data", marker: .circle,
    color: Palette.blue.withAlpha(0.75), edge: .white, radius: 3, edgeWidth: 0.6)
  let sign = slope < 0 ? "−" : "+"
  let equation =
    "ŷ = \(FigureText.number(intercept, digits: 4)) \(sign) \(FigureText.number(abs(slope), digits: 4))·\(xLabel)"
  ax.line(
    x: [lo, hi], y: [intercept + slope * lo, intercept + slope * hi], label: equation,
    color: Palette.vermillion, width: 2)
  if residuals { ax.legendEntry("residuals", line: LineStyle(color: Palette.grey, width: 0.7)) }
  ax.legend = slope >= 0 ? .topLeft : .topRight
  figure.altText =
    "Scatter plot of \(finite.count) points of \(yLabel) against \(xLabel) with the fitted line \(equation)"
    + (residuals ? " and each point's residual drawn to the line." : ".")
  return figure
}

/// The data and the least-squares line of a simple regression `y ~ x`.
/// - Precondition: `fit` has an intercept and one slope (`LinearModel(x:y:)`).
public func regressionPlot(
  x: [Double], y: [Double], fit: LinearModel, residuals: Bool = false, xLabel: String = "x",
  yLabel: String = "y", title: String? = nil, width: Double = 560, height: Double = 420
) -> Figure {
  precondition(
    fit.coefficients.count == 2 && fit.coefficients[0].name == "(Intercept)",
    "regressionPlot: the fit must be y ~ x with an intercept")
  return regressionPlot(
    x: x, y: y, intercept: fit.coefficients[0].estimate, slope: fit.coefficients[1].estimate,
    residuals: residuals, xLabel: xLabel, yLabel: yLabel, title: title, width: width, height: height)
}
