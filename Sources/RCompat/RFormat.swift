// R's number formatting, so a handout prints numbers exactly as the R lecture printed them.
// Transcribed from R 4.2.2: src/main/format.c (scientific, formatReal), printutils.c (EncodeReal0,
// EncodeRealDrop0), printvector.c (printRealVector, printNamedVector), nmath/fprec.c (signif),
// nmath/fround.c (round) and the R functions format.pval, zapsmall, formatC. Checked against
// output R itself produced (Tests/RCompatTests/Fixtures/print_vectors.txt, as_character.txt).

import Foundation
import Neural

#if arch(x86_64)
  /// R computes the scaling in `scientific()` in C `long double`, which is x87 80-bit here.
  typealias RLongDouble = Float80
#else
  /// Without an extended type R (and we) fall back to double; results may differ from an x86 R
  /// in the last printed digit for a few inputs.
  typealias RLongDouble = Double
#endif

/// R-style formatting of doubles: `as.character`, `print`, `format`, `signif`, `round`,
/// `formatC`, `format.pval`, `zapsmall`, with R's defaults (digits = 7, width = 80).
///
/// NaN prints as "NaN" (Swift has no NA), ±∞ as "Inf" / "-Inf"; −0 prints as 0, as in R.
public enum RFormat {
  /// How R lays out a set of numbers: total width `w`, digits after the point (or in the
  /// mantissa) `d`, and `e` = 0 for fixed notation, 1 for a 2-digit exponent, 2 for a 3-digit one.
  public struct Layout: Equatable, Sendable {
    /// Field width every number is right-aligned in.
    public var width: Int
    /// Digits after the decimal point (fixed) or in the mantissa after the point (scientific).
    public var decimals: Int
    /// 0: fixed; 1: scientific with 2-digit exponent; 2: scientific with 3-digit exponent.
    public var exponentKind: Int
  }

  // MARK: - scientific(), formatReal()

  /// 10^k for k in 0...27, exact in long double (R's `tbl`).
  private static let powersOfTen: [RLongDouble] = {
    var t: [RLongDouble] = [1]
    for _ in 1...27 { t.append(t[t.count - 1] * 10) }
    return t
  }()
  private static let kpMax = 27

  /// R's `scientific()`: for x ≠ 0 finite, |x| = α·10^kpower with 1 ≤ α < 10 after rounding to
  /// `digits` significant digits; `nsig` = significant digits left once trailing zeros go;
  /// `roundingWidens` = rounding to `digits` pushed x up to the next power of ten although fixed
  /// notation would not (9996 with 3 digits is 1e+04 in scientific, 9996 in fixed).
  static func scientific(_ x: Double, digits R: Int) -> (
    negative: Bool, kpower: Int, nsig: Int, roundingWidens: Bool
  ) {
    if x == 0 { return (false, 0, 1, false) }
    let negative = x < 0
    let r = abs(x)
    var kp = Int(floor(log10(r))) - R + 1  // 10^(kp + R-1) <= r < 10^(kp + R)
    var rPrec = RLongDouble(r)
    if abs(kp) < 10 {
      if kp > 0 { rPrec /= powersOfTen[kp] } else if kp < 0 { rPrec *= powersOfTen[-kp] }
    } else if kp <= -308 {  // R_dec_min_exponent: avoid underflow of the scale factor
      rPrec = RLongDouble(r * 1e303) / power10(kp + 303)
    } else {
      rPrec /= power10(kp)
    }
    if rPrec < powersOfTen[R - 1] {
      rPrec *= 10
      kp -= 1
    }
    // alpha: r rounded to an R-digit integer, 10^(R-1) <= alpha <= 10^R.
    var alpha = Double(rPrec.rounded(.toNearestOrEven))
    var nsig = R
    for _ in 0..<R {
      alpha /= 10
      if alpha == floor(alpha) { nsig -= 1 } else { break }
    }
    if nsig == 0 && R > 0 {
      nsig = 1
      kp += 1
    }
    let kpower = kp + R - 1
    var rgt = R - kpower
    rgt = rgt < 0 ? 0 : (rgt > kpMax ? kpMax : rgt)
    let fuzz = 0.5 / Double(powersOfTen[rgt])
    let roundingWidens =
      kpower > 0 && kpower <= kpMax && RLongDouble(r) < powersOfTen[kpower] - RLongDouble(fuzz)
    return (negative, kpower, nsig, roundingWidens)
  }

  /// 10^k in long double (C's `powl(10, k)`).
  private static func power10(_ k: Int) -> RLongDouble {
    #if arch(x86_64)
      return powl(10, Float80(k))
    #else
      return pow(10, Double(k))
    #endif
  }

  /// R's `formatReal`: the common layout in which every finite element shows (up to) `digits`
  /// significant digits; fixed notation unless scientific is narrower (R's `scipen = 0`).
  /// `nsmall` is the minimum number of decimals in fixed notation (R's `format(nsmall=)`).
  ///
  /// - Precondition: 1 ≤ digits ≤ 22 (R's range).
  public static func layout(_ x: [Double], digits: Int = 7, nsmall: Int = 0) -> Layout {
    precondition((1...22).contains(digits), "digits must be in 1...22, got \(digits)")
    var nanFlag = false
    var posInf = false
    var negInf = false
    var neg = false
    var rgt = Int.min
    var mxl = Int.min
    var mxsl = Int.min
    var mxns = Int.min
    var mnl = Int.max
    for v in x {
      if v.isNaN {
        nanFlag = true
      } else if v.isInfinite {
        if v > 0 { posInf = true } else { negInf = true }
      } else {
        let s = scientific(v, digits: digits)
        var left = s.kpower + 1
        if s.roundingWidens { left -= 1 }
        let sleft = (s.negative ? 1 : 0) + (left <= 0 ? 1 : left)
        let right = s.nsig - left
        if s.negative { neg = true }
        rgt = max(rgt, right)
        mxl = max(mxl, left)
        mnl = min(mnl, left)
        mxsl = max(mxsl, sleft)
        mxns = max(mxns, s.nsig)
      }
    }
    var w = 0
    var d = 0
    var e = 0
    if mxl != Int.min {
      let negWidth = neg ? 1 : 0
      if mxl < 0 { mxsl = 1 + negWidth }
      if rgt < 0 { rgt = 0 }
      var wF = mxsl + rgt + (rgt != 0 ? 1 : 0)
      e = (mxl > 100 || mnl <= -99) ? 2 : 1
      d = mxns - 1
      w = negWidth + (d > 0 ? 1 : 0) + d + 4 + e
      if wF <= w {  // fixed notation when it needs no more room than scientific
        e = 0
        if nsmall > rgt {
          rgt = nsmall
          wF = mxsl + rgt + (rgt != 0 ? 1 : 0)
        }
        d = rgt
        w = wF
      }
    }
    if nanFlag { w = max(w, 3) }
    if posInf { w = max(w, 3) }
    if negInf { w = max(w, 4) }
    return Layout(width: w, decimals: d, exponentKind: e)
  }

  /// R's `EncodeReal0`: x in the given layout, right-aligned in `width` characters
  /// (`%w.df` fixed, `%#w.de` scientific).
  public static func encode(_ x: Double, _ layout: Layout) -> String {
    let w = layout.width
    let d = layout.decimals
    if x.isNaN { return pad("NaN", w) }
    if x.isInfinite { return pad(x > 0 ? "Inf" : "-Inf", w) }
    let v = x == 0 ? 0.0 : x  // no "-0"
    if layout.exponentKind != 0 {
      return String(format: d > 0 ? "%#\(w).\(d)e" : "%\(w).\(d)e", v)
    }
    return String(format: "%\(w).\(d)f", v)
  }

  /// R's `EncodeRealDrop0`: `encode` without trailing zeros after the decimal point
  /// ("1.50e+10" → "1.5e+10", "2.00" → "2").
  static func encodeDroppingZeros(_ x: Double, _ layout: Layout) -> String {
    let s = Array(encode(x, layout))
    guard let dot = s.firstIndex(of: ".") else { return String(s) }
    var end = dot + 1
    var keep = dot  // index after the last kept character
    while end < s.count, s[end].isASCII, s[end].isNumber {
      if s[end] != "0" { keep = end + 1 }
      end += 1
    }
    return String(s[..<keep] + s[end...])
  }

  private static func pad(_ s: String, _ w: Int) -> String {
    s.count >= w ? s : String(repeating: " ", count: w - s.count) + s
  }

  // MARK: - Public formatting

  /// `as.character(x)` / `paste(x)` for a double in R 4.2: 15 significant digits, fixed or
  /// scientific by R's width rule, trailing zeros dropped: 0.1 → "0.1", 1e5 → "1e+05",
  /// 2.897196949373540 → "2.89719694937354".
  public static func character(_ x: Double) -> String {
    encodeDroppingZeros(x, layout([x], digits: 15))
  }

  /// `format(x, digits = digits, nsmall = nsmall)`: every element in the common layout, all
  /// the same width (right-aligned).
  public static func format(_ x: [Double], digits: Int = 7, nsmall: Int = 0) -> [String] {
    let l = layout(x, digits: digits, nsmall: nsmall)
    return x.map { encode($0, l) }
  }

  /// `format(x, digits = digits)` for one number (no padding needed).
  public static func format(_ x: Double, digits: Int = 7) -> String {
    format([x], digits: digits)[0]
  }

  /// `print(x)` of a numeric vector, as `capture.output(print(x))` joined by "\n" (no final
  /// newline): `[1] 0.04742587 0.05752359 …`, a common layout for all elements, lines wrapped
  /// before `width` columns, each line starting with its first element's index right-aligned
  /// in brackets. An empty vector prints as `numeric(0)`.
  public static func print(_ v: [Double], digits: Int = 7, width: Int = 80) -> String {
    if v.isEmpty { return "numeric(0)" }
    let l = layout(v, digits: digits)
    let labelWidth = indexWidth(v.count) + 2
    var lines: [String] = []
    var line = vectorIndex(1, labelWidth)
    var used = labelWidth
    for (i, x) in v.enumerated() {
      if i > 0 && used + l.width + 1 > width {
        lines.append(line)
        line = vectorIndex(i + 1, labelWidth)
        used = labelWidth
      }
      line += " " + encode(x, l)
      used += l.width + 1
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }

  /// `print(x)` of a named numeric vector (R's `printNamedVector`): rows of right-aligned names
  /// over right-aligned values, each field `max(value width, name width)` wide plus one trailing
  /// space, as many fields per row as fit in `width`. Joined by "\n", no final newline.
  /// - Precondition: `names.count == v.count`.
  public static func print(_ v: [Double], names: [String], digits: Int = 7, width: Int = 80) -> String {
    precondition(names.count == v.count, "print(_:names:): \(names.count) names for \(v.count) values")
    if v.isEmpty { return "named numeric(0)" }
    let l = layout(v, digits: digits)
    let w = max(l.width, names.map(\.count).max() ?? 0)
    let perLine = max(1, width / (w + 1))
    var lines: [String] = []
    for start in stride(from: 0, to: v.count, by: perLine) {
      let range = start..<min(start + perLine, v.count)
      lines.append(range.map { pad(names[$0], w) + " " }.joined())
      lines.append(range.map { pad(encode(v[$0], l), w) + " " }.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// R's `IndexWidth(n)`: digits of n.
  private static func indexWidth(_ n: Int) -> Int { Int(log10(Double(n) + 0.5) + 1) }

  /// R's `VectorIndex(i, w)`: "[i]" right-aligned in w characters.
  private static func vectorIndex(_ i: Int, _ w: Int) -> String { pad("[\(i)]", w) }

  // MARK: - Rounding

  /// 10^n by repeated squaring, R's `R_pow_di(10., n)`.
  private static func powDi(_ x: Double, _ n: Int) -> Double {
    var xn = 1.0
    var x = x
    var k = abs(n)
    while k != 0 {
      if k & 1 == 1 { xn *= x }
      k >>= 1
      if k != 0 { x *= x }
    }
    return n < 0 ? 1 / xn : xn
  }

  /// `signif(x, digits)` (R's `fprec`): x rounded to `digits` significant digits,
  /// `nearbyint(x·10^e)/10^e` with e = digits − 1 − ⌊log₁₀|x|⌋ (digits clamped to 1...22;
  /// above 22 x is returned unchanged). NaN and ±∞ pass through.
  public static func signif(_ x: Double, digits: Int) -> Double {
    if x.isNaN || !x.isFinite || x == 0 { return x }
    if digits > 22 { return x }
    let dig = max(1, digits)
    let maxExponent10 = 308
    let sgn: Double = x < 0 ? -1 : 1
    let ax = abs(x)
    let l10 = log10(ax)
    var e10 = dig - 1 - Int(floor(l10))
    if abs(l10) < Double(maxExponent10 - 2) {
      var p10 = 1.0
      if e10 > maxExponent10 {
        p10 = powDi(10, e10 - maxExponent10)
        e10 = maxExponent10
      }
      if e10 > 0 {
        let pow10 = powDi(10, e10)
        return sgn * ((ax * pow10 * p10).rounded(.toNearestOrEven) / pow10) / p10
      }
      let pow10 = powDi(10, -e10)
      return sgn * ((ax / pow10).rounded(.toNearestOrEven) * pow10)
    }
    // Very large or very small |x|.
    let doRound = Double(maxExponent10) - l10 >= powDi(10, -dig)
    let e2 = dig + (e10 > 0 ? 1 : 6)
    let p10 = powDi(10, e2)
    let bigP10 = powDi(10, e10 - e2)
    var y = ax * p10 * bigP10
    if doRound { y += 0.5 }
    y = floor(y) / p10
    return sgn * y / bigP10
  }

  /// `round(x, digits)` as R ≥ 4.0 does it: of the two decimal neighbours ⌊x·10ᵈ⌋/10ᵈ and
  /// ⌈x·10ᵈ⌉/10ᵈ take the one nearer to x (ties: the one with an even last digit); digits < 0
  /// rounds to tens, hundreds, …; when x already has fewer than `digits` decimals within double
  /// precision (log₁₀|x| + digits > 15) x is returned unchanged.
  public static func round(_ x: Double, digits: Int = 0) -> Double {
    if x.isNaN || !x.isFinite || x == 0 { return x }
    if digits > 308 + 15 { return x }
    if digits < -308 { return 0 }
    let sgn: Double = x < 0 ? -1 : 1
    let ax = abs(x)
    if digits == 0 { return sgn * ax.rounded(.toNearestOrEven) }
    if digits > 0 {
      let l10x = 0.30102999566398119521 * (0.5 + Double(ax.exponent))  // ≈ log10(x), R uses logb
      if l10x + Double(digits) > 15 { return sgn * ax }
      let pow10 = powDi(10, digits)
      let x10 = pow10 * ax
      let i10 = floor(x10)
      let xd = i10 / pow10
      let xu = ceil(x10) / pow10
      let du = xu - ax
      let dd = ax - xd
      let up = du < dd || (du == dd && fmod(i10, 2) == 1)
      return sgn * (up ? xu : xd)
    }
    let pow10 = powDi(10, -digits)
    return sgn * (ax / pow10).rounded(.toNearestOrEven) * pow10
  }

  /// R's `zapsmall(x, digits)`: `round(x, max(0, digits − log₁₀ max|x|))` (R rounds a fractional
  /// digits argument to the nearest integer), so values tiny relative to the largest become 0.
  public static func zapsmall(_ x: [Double], digits: Int = 7) -> [Double] {
    let finite = x.filter { !$0.isNaN }
    guard let mx = finite.map({ abs($0) }).max() else { return x }
    let dig: Int
    if mx > 0 {
      let raw = max(0, Double(digits) - log10(mx))
      dig = Int(floor(raw + 0.5))
    } else {
      dig = digits
    }
    return x.map { round($0, digits: dig) }
  }

  /// `formatC(x, digits = digits)` for a double: C's `%*.*g` with width digits + 1
  /// (332 → "  332", 0.77211 → "0.7721").
  public static func formatC(_ x: Double, digits: Int) -> String {
    precondition(digits >= 0, "formatC: digits must be >= 0")
    if x.isNaN { return pad("NaN", digits + 1) }
    if x.isInfinite { return pad(x > 0 ? "Inf" : "-Inf", digits + 1) }
    return String(format: "%\(digits + 1).\(digits)g", x)
  }

  /// R's `format.pval(pv, digits, eps)`: p-values ≥ eps formatted with `digits` significant
  /// digits (those ≥ 1e-4-ish jointly in fixed notation, the smaller ones jointly in
  /// scientific); p-values < eps as "<" + eps ("<2e-16", or "< 2e-16" next to wider entries).
  public static func formatPValue(
    _ pv: [Double], digits: Int = 5, eps: Double = Double.ulpOfOne
  ) -> [String] {
    var result = [String](repeating: "", count: pv.count)
    let is0 = pv.map { $0 < eps }
    let others = pv.indices.filter { !is0[$0] && !pv[$0].isNaN }
    for i in pv.indices where pv[i].isNaN { result[i] = "NaN" }
    if !others.isEmpty {
      let fixp = others.filter { i in
        let expo = floor(log10(pv[i] > 0 ? pv[i] : 1e-50))
        return expo >= -3 || (expo == -4 && digits > 1)
      }
      let sci = others.filter { !fixp.contains($0) }
      for group in [fixp, sci] where !group.isEmpty {
        let strings = format(group.map { pv[$0] }, digits: digits)
        for (k, i) in group.enumerated() { result[i] = strings[k] }
      }
    }
    if is0.contains(true) {
      var dig = max(1, digits - 2)
      let sep: String
      if !others.isEmpty {
        let nc = others.map { result[$0].count }.max() ?? 0
        if dig > 1 && dig + 6 > nc { dig = max(1, nc - 7) }
        sep = (dig == 1 && nc <= 6) ? "" : " "
      } else {
        sep = dig == 1 ? "" : " "
      }
      let bound = "<" + sep + format(eps, digits: dig)
      for i in pv.indices where is0[i] { result[i] = bound }
    }
    return result
  }
}
