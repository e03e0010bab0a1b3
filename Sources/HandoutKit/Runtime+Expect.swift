// `expect`: a number the notebook promises, checked where it stands.
//
// `#filePath`, `#line` and `#column` as default arguments name the caller's place; in a tangled
// notebook `#sourceLocation` makes that the notebook's own file and line.
import Foundation
import HandoutProtocol

/// Checks that `actual` is within `tolerance` of `expected`: `|actual − expected| ≤ tolerance`
/// (absolute). The default tolerance 0 asks for the exact double. NaN equals only NaN; an
/// infinity equals only the same infinity. A tolerance that is infinite, NaN or negative fails
/// the check (it would accept anything, or nothing but the exact value).
///
/// Under `handout` the result is recorded as a check at this notebook line (and `check --update`
/// can rewrite the `equals:` literal); run by hand, a failure is printed to stderr.
/// - Returns: whether it passed.
@discardableResult
public func expect(
  _ actual: Double, equals expected: Double, tolerance: Double = 0, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  let (passed, difference) = compare(actual, expected, tolerance: tolerance)
  return _Handout.recordCheck(
    passed: passed, expected: "\(expected)", actual: "\(actual)", difference: difference,
    literal: _Handout.literal(actual, tolerance: tolerance),
    message: message, file: file, line: line, column: column)
}

/// Checks two vectors element by element, each within `tolerance` (see the scalar `expect`).
/// Different lengths fail. The difference names the first element that differs (1-based, as R).
@discardableResult
public func expect(
  _ actual: [Double], equals expected: [Double], tolerance: Double = 0, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  var difference = toleranceProblem(tolerance)
  var passed = difference == nil && actual.count == expected.count
  if difference == nil && !passed {
    difference = "length \(actual.count), expected \(expected.count)"
  } else if passed {
    var worst = 0.0
    for (i, (a, e)) in zip(actual, expected).enumerated() {
      let (ok, d) = compare(a, e, tolerance: tolerance)
      if !ok {
        if passed { difference = "element [\(i + 1)]: \(d ?? "")" }
        passed = false
      }
      worst = max(worst, abs(a - e))
    }
    if !passed, worst.isFinite { difference = (difference ?? "") + "; largest |Δ| = \(short(worst))" }
  }
  let list = { (v: [Double]) in "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }
  return _Handout.recordCheck(
    passed: passed, expected: list(expected), actual: list(actual), difference: difference,
    literal: "[" + actual.map { _Handout.literal($0, tolerance: tolerance) }.joined(separator: ", ") + "]",
    message: message, file: file, line: line, column: column)
}

/// Checks an integer exactly.
@discardableResult
public func expect(
  _ actual: Int, equals expected: Int, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  _Handout.recordCheck(
    passed: actual == expected, expected: "\(expected)", actual: "\(actual)",
    difference: actual == expected ? nil : "differs by \(actual - expected)", literal: "\(actual)",
    message: message, file: file, line: line, column: column)
}

/// Checks a truth value (`expect(norms.first! < norms.last!, equals: true)`).
@discardableResult
public func expect(
  _ actual: Bool, equals expected: Bool, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  _Handout.recordCheck(
    passed: actual == expected, expected: "\(expected)", actual: "\(actual)", difference: nil,
    literal: "\(actual)",
    message: message, file: file, line: line, column: column)
}

/// Checks any other equatable value; both sides are shown by `String(describing:)`.
@discardableResult
public func expect<T: Equatable>(
  _ actual: T, equals expected: T, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  _Handout.recordCheck(
    passed: actual == expected, expected: String(describing: expected), actual: String(describing: actual),
    difference: nil, literal: String(describing: actual), message: message, file: file, line: line,
    column: column)
}

/// Checks a text exactly; the difference names the first differing line.
@discardableResult
public func expect(
  _ actual: String, equals expected: String, _ message: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) -> Bool {
  var difference: String?
  if actual != expected {
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
    difference = "first difference in line \(first + 1)"
  }
  return _Handout.recordCheck(
    passed: actual == expected, expected: expected, actual: actual, difference: difference,
    literal: actual.debugDescription, message: message, file: file, line: line, column: column)
}

private func compare(_ a: Double, _ e: Double, tolerance: Double) -> (Bool, String?) {
  if let problem = toleranceProblem(tolerance) { return (false, problem) }
  if a.isNaN || e.isNaN { return (a.isNaN && e.isNaN, a.isNaN && e.isNaN ? nil : "one of them is NaN") }
  if a == e { return (true, nil) }
  let delta = abs(a - e)
  if delta <= tolerance { return (true, nil) }
  return (false, "|Δ| = \(short(delta)) > tolerance \(short(tolerance))")
}

/// Why `tolerance` checks nothing or cannot hold (infinite: any finite value passes; NaN or
/// negative: nothing but the exact value would), as an ```output block's `tolerance=` is refused.
private func toleranceProblem(_ tolerance: Double) -> String? {
  tolerance.isFinite && tolerance >= 0
    ? nil : "tolerance \(tolerance): expected a finite number ≥ 0, like tolerance: 1e-6"
}

private func short(_ x: Double) -> String { String(format: "%.3g", x) }

extension _Handout {
  /// `x` as a Swift literal with the digits `tolerance` warrants, for `check --update` to write:
  /// one decimal past the tolerance's first significant one (tolerance 1e-4 → 5 decimals), so the
  /// rounding moves the value by at most a twentieth of the tolerance and the rewritten check
  /// passes. Exact (shortest round-trip) digits for tolerance 0, or when those are no longer;
  /// `.nan`, `.infinity` and `-.infinity` for the values that have no digits.
  static func literal(_ x: Double, tolerance: Double) -> String {
    if x.isNaN { return ".nan" }
    if x.isInfinite { return x < 0 ? "-.infinity" : ".infinity" }
    let exact = "\(x)"
    guard tolerance > 0, tolerance.isFinite else { return exact }
    // The small margin keeps 1e-4 (whose log10 is not exactly −4 in binary) at 4, so 5 decimals.
    let decimals = max(0, Int((-log10(tolerance) - 1e-9).rounded(.up)) + 1)
    guard decimals <= 17 else { return exact }
    var rounded = String(format: "%.\(decimals)f", x)
    if rounded.contains(".") {
      while rounded.hasSuffix("0") { rounded.removeLast() }
      if rounded.hasSuffix(".") { rounded += "0" }
    }
    guard rounded.count <= exact.count, let value = Double(rounded), abs(value - x) <= tolerance else {
      return exact
    }
    return rounded
  }

  /// Records a verdict. `actual` and `literal` are formatted only for a failed check: a passed
  /// one carries them empty, since nothing reads them (the page lists a passed check by its
  /// `expected`; reports, the page's failure box and `check --update` use only failed checks),
  /// and a 10 000-element `expect` would spend ~20 ms formatting them.
  static func recordCheck(
    passed: Bool, expected: String, actual: @autoclosure () -> String, difference: String?,
    literal: @autoclosure () -> String, message: String?, file: String, line: Int, column: Int
  ) -> Bool {
    let why = [message, difference].compactMap { $0 }.joined(separator: ": ")
    let actual = passed ? "" : actual()
    let check = RuntimeEvent.Check(
      block: currentBlock, file: file, line: line, column: column, passed: passed, expected: expected,
      actual: actual, difference: why.isEmpty ? nil : why, literal: passed ? "" : literal())
    let standalone = state.eventsFD < 0
    emit(.check(check))
    if standalone, !passed {
      printError(
        "\(file):\(line):\(column): error: expected \(expected), got \(actual)\(difference.map { " (\($0))" } ?? "")"
      )
    }
    return passed
  }
}
