// R's `sum` and `mean`: doubles added in extended precision, as R's C code adds them.

import Foundation

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
