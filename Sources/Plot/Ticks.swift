import Foundation

/// Tick positions and their labels.
public enum Ticks {
  /// Nice step multipliers in order of preference (labeling::extended's default `Q`).
  static let niceSteps: [Double] = [1, 5, 2, 2.5, 4, 3]
  /// Weights of simplicity, coverage, density and legibility (labeling::extended's default `w`).
  static let weights = (simplicity: 0.25, coverage: 0.2, density: 0.5, legibility: 0.05)

  /// Tick positions from the extended Wilkinson algorithm (Talbot, Lin & Hanrahan 2010), a
  /// transcription of R's `labeling::extended(dmin, dmax, m)`, ggplot2's default.
  ///
  /// Scores every labelling `lmin, lmin + step, …, lmax` with step `j·q·10^z` (q from
  /// `1, 5, 2, 2.5, 4, 3`) by simplicity, coverage of the data, closeness to `count` labels and
  /// legibility, and returns the best; the search is pruned by upper bounds of each score.
  /// For 8.1…14.1 with 4 ticks wanted it gives 8, 10, 12, 14.
  ///
  /// - Parameters:
  ///   - dmin: one end of the data range (swapped with `dmax` if larger). If the two are equal
  ///     the result is `[dmin]`; if either is not finite, it is empty.
  ///   - dmax: the other end of the data range.
  ///   - count: the number of ticks wanted (`m`), at least 2.
  ///   - integer: only steps that are whole numbers (for epochs, counts).
  ///   - onlyLoose: only labellings that cover the whole data range.
  /// - Returns: ascending tick values, each rounded to the decimals its step needs, so
  ///   no value carries float noise (0.3, not 0.30000000000000004).
  public static func extended(
    _ dmin: Double, _ dmax: Double, count: Int = 5, integer: Bool = false,
    onlyLoose: Bool = false
  ) -> [Double] {
    guard dmin.isFinite, dmax.isFinite else { return [] }
    let m = Double(max(count, 2))
    let (lo, hi) = dmin <= dmax ? (dmin, dmax) : (dmax, dmin)
    let eps = Double.ulpOfOne * 100
    if hi - lo < eps { return [lo] }
    // As labeling::extended: ranges too wide to score get evenly spaced values.
    if hi - lo > Double.greatestFiniteMagnitude.squareRoot() {
      return (0..<Int(m)).map { lo + (hi - lo) / (m - 1) * Double($0) }
    }
    let w = weights
    let q = niceSteps
    var best: (lmin: Double, lmax: Double, step: Double, score: Double)? = nil
    var bestScore = -2.0

    var j = 1.0
    outer: while j < 1000 {
      for (index, qi) in q.enumerated() {
        let sm = simplicityMax(index: index, count: q.count, j: j)
        if w.simplicity * sm + w.coverage + w.density + w.legibility < bestScore { break outer }
        var k = 2.0
        while k < 1000 {
          let dm = densityMax(k: k, m: m)
          if w.simplicity * sm + w.coverage + w.density * dm + w.legibility < bestScore { break }
          let delta = (hi - lo) / (k + 1) / j / qi
          var z = Foundation.log10(delta).rounded(.up)
          while z < 400 {
            let step = j * qi * pow(10, z)
            let cm = coverageMax(lo, hi, span: step * (k - 1))
            if w.simplicity * sm + w.coverage * cm + w.density * dm + w.legibility < bestScore {
              break
            }
            if integer && (step < 1 || step.rounded() != step) {
              z += 1
              continue
            }
            let minStart = (hi / step).rounded(.down) * j - (k - 1) * j
            let maxStart = (lo / step).rounded(.up) * j
            if minStart > maxStart {
              z += 1
              continue
            }
            var start = minStart
            while start <= maxStart {
              let lmin = start * (step / j)
              let lmax = lmin + step * (k - 1)
              let s = simplicity(index: index, count: q.count, j: j, lmin: lmin, lmax: lmax, step: step)
              let c = coverage(lo, hi, lmin, lmax)
              let g = density(k: k, m: m, lo, hi, lmin, lmax)
              let score = w.simplicity * s + w.coverage * c + w.density * g + w.legibility
              if score > bestScore && (!onlyLoose || (lmin <= lo && lmax >= hi)) {
                best = (lmin, lmax, step, score)
                bestScore = score
              }
              start += 1
            }
            z += 1
          }
          k += 1
        }
      }
      j += 1
    }
    guard let best else { return [lo, hi] }
    let n = Int(((best.lmax - best.lmin) / best.step).rounded())
    let decimals = decimalsNeeded(step: best.step)
    return (0...n).map { i in round(best.lmin + Double(i) * best.step, decimals: decimals) }
  }

  // R's `%%`: floored modulo (sign of the divisor).
  private static func floorMod(_ a: Double, _ b: Double) -> Double {
    a - (a / b).rounded(.down) * b
  }

  private static func simplicity(
    index: Int, count: Int, j: Double, lmin: Double, lmax: Double, step: Double
  ) -> Double {
    let eps = Double.ulpOfOne * 100
    let r = floorMod(lmin, step)
    let v: Double = ((r < eps || step - r < eps) && lmin <= 0 && lmax >= 0) ? 1 : 0
    return 1 - Double(index) / Double(count - 1) - j + v
  }

  private static func simplicityMax(index: Int, count: Int, j: Double) -> Double {
    2 - Double(index) / Double(count - 1) - j
  }

  private static func coverage(_ dmin: Double, _ dmax: Double, _ lmin: Double, _ lmax: Double)
    -> Double
  {
    let range = dmax - dmin
    return 1 - 0.5 * ((dmax - lmax) * (dmax - lmax) + (dmin - lmin) * (dmin - lmin))
      / ((0.1 * range) * (0.1 * range))
  }

  private static func coverageMax(_ dmin: Double, _ dmax: Double, span: Double) -> Double {
    let range = dmax - dmin
    guard span > range else { return 1 }
    let half = (span - range) / 2
    return 1 - 0.5 * (2 * half * half) / ((0.1 * range) * (0.1 * range))
  }

  private static func density(
    k: Double, m: Double, _ dmin: Double, _ dmax: Double, _ lmin: Double, _ lmax: Double
  ) -> Double {
    let r = (k - 1) / (lmax - lmin)
    let rt = (m - 1) / (max(lmax, dmax) - min(dmin, lmin))
    return 2 - max(r / rt, rt / r)
  }

  private static func densityMax(k: Double, m: Double) -> Double {
    k >= m ? 2 - (k - 1) / (m - 1) : 1
  }

  /// Decimals needed to write multiples of `step` exactly (2.5 → 1, 0.25 → 2, 20 → 0).
  static func decimalsNeeded(step: Double) -> Int {
    guard step.isFinite, step > 0 else { return 0 }
    for d in 0...15 {
      let scaled = step * pow(10, Double(d))
      if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { return d }
    }
    return 15
  }

  private static func round(_ value: Double, decimals: Int) -> Double {
    let text = fixed(value, decimals: decimals)
    let v = Double(text) ?? value
    return v == 0 ? 0 : v  // no negative zero
  }

  // MARK: - Log scale

  /// Ticks for a base-10 log axis over `lo...hi` (both > 0): powers of ten, with 2 and 5 (or
  /// every integer multiple) between them when the range spans few decades. Returns the major
  /// ticks (labelled) and the minor ticks (unlabelled marks).
  public static func log10(_ lo: Double, _ hi: Double, count: Int = 5) -> (
    major: [Double], minor: [Double]
  ) {
    guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return ([], []) }
    let a = Foundation.log10(min(lo, hi))
    let b = Foundation.log10(max(lo, hi))
    let tol = 1e-9
    let firstDecade = Int((a - tol).rounded(.down))
    let lastDecade = Int((b + tol).rounded(.up))
    let decades = b - a
    var major: [Double] = []
    var minor: [Double] = []
    let multipliers: [Double]
    if decades < 0.7 {
      // Too narrow for decades: fall back to extended ticks on the values themselves.
      return (extended(min(lo, hi), max(lo, hi), count: count).filter { $0 > 0 }, [])
    } else if decades < 2.2 {
      multipliers = [1, 2, 5]
    } else {
      multipliers = [1]
    }
    let every = max(1, Int((decades / Double(max(count, 2))).rounded(.up)))
    for e in firstDecade...lastDecade {
      let base = pow(10, Double(e))
      for k in 1...9 {
        let v = cleanPower(Double(k) * base, exponent: e)
        guard Foundation.log10(v) >= a - tol, Foundation.log10(v) <= b + tol else { continue }
        if multipliers.contains(Double(k)) && (k != 1 || (e - firstDecade) % every == 0) {
          major.append(v)
        } else {
          minor.append(v)
        }
      }
    }
    return (major, minor)
  }

  private static func cleanPower(_ v: Double, exponent: Int) -> Double {
    let decimals = max(0, -exponent)
    return decimals > 15 ? v : (Double(fixed(v, decimals: decimals)) ?? v)
  }

  // MARK: - Labels

  /// Labels for linear ticks: the fewest decimals (0…15) that write every tick exactly, the same
  /// number for all of them; negative values use the minus sign U+2212; never "−0".
  public static func labels(for ticks: [Double]) -> [String] {
    guard !ticks.isEmpty else { return [] }
    let span = (ticks.max() ?? 0) - (ticks.min() ?? 0)
    let magnitude = max(abs(ticks.max() ?? 0), abs(ticks.min() ?? 0))
    let tolerance = max(span, magnitude) * 1e-9
    var decimals = 15
    for d in 0...15 {
      let ok = ticks.allSatisfy { t in
        let text = fixed(t, decimals: d)
        return abs((Double(text) ?? .infinity) - t) <= tolerance
      }
      if ok {
        decimals = d
        break
      }
    }
    return ticks.map { format($0, decimals: decimals) }
  }

  /// `value` with `decimals` digits after the point, U+2212 for negatives, no "−0".
  public static func format(_ value: Double, decimals: Int) -> String {
    var text = fixed(value, decimals: max(0, decimals))
    if text.hasPrefix("-") {
      let digits = text.dropFirst()
      if digits.allSatisfy({ $0 == "0" || $0 == "." }) {
        text = String(digits)
      } else {
        text = "\u{2212}" + digits
      }
    }
    return text
  }

  /// Labels for log-axis ticks: plain decimals from 0.001 to 100 000, powers of ten written
  /// `10⁻⁴`-style beyond that (multiples as `2×10⁻⁴`).
  public static func logLabels(for ticks: [Double]) -> [String] {
    let plain = ticks.allSatisfy { $0 >= 0.001 - 1e-12 && $0 <= 100_000 + 1e-6 }
    if plain { return ticks.map { t in labels(for: [t])[0] } }
    return ticks.map { t in
      let e = Int((Foundation.log10(t) + 1e-9).rounded(.down))
      let mantissa = t / pow(10, Double(e))
      let power = "10" + superscript(e)
      let m = Int(mantissa.rounded())
      return m == 1 ? power : "\(m)×" + power
    }
  }

  private static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(abs(n)).compactMap { c in c.wholeNumberValue.map { digits[$0] } }
    return (n < 0 ? "⁻" : "") + String(body)
  }
}

extension Ticks {
  /// `String(format: "%.<decimals>f", value)`, the same text at a fraction of the cost: C's
  /// `vsnprintf`, which Foundation's formatter calls for a double (in the C locale), without the
  /// CFString it builds and bridges for each call. An axis is labelled for every layout a figure
  /// is measured in (each slide grid tried, each file drawn), and `String(format:)` was 7% of
  /// the notebook's main thread. Anything else — a negative count, more than 63 characters, a
  /// text that is not digits, `-` and `.` (NaN, ∞, a numeric locale a program set) — goes through
  /// `String(format:)` as before.
  static func fixed(_ value: Double, decimals: Int) -> String {
    let text =
      decimals < 0
      ? nil
      : withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> String? in
        guard let start = buffer.baseAddress else { return nil }
        let n = withVaList([Int32(decimals), value]) { vsnprintf(start, buffer.count, "%.*f", $0) }
        guard n > 0, Int(n) < buffer.count else { return nil }
        let bytes = UnsafeRawBufferPointer(start: start, count: Int(n))
        let plain = bytes.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || ($0 &- 48) < 10 }
        return plain ? String(decoding: bytes, as: UTF8.self) : nil
      }
    return text ?? String(format: "%.\(decimals)f", value)
  }
}
