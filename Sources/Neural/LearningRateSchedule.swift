import Foundation

/// How the step size `γ` changes over a training run: the rate of each epoch `e = 1…E`.
///
/// `train` sets the optimiser's ``Optimizer/learningRate`` to `rate(epoch:of:)` before each epoch
/// (every step of an epoch uses its rate) and gives the optimiser its own rate back at the end.
/// `t = (e − 1)/(E − 1)` runs from 0 at the first epoch to 1 at the last (0 when `E = 1`).
public enum LearningRateSchedule: Sendable, Equatable, CustomStringConvertible {
  /// `γₑ = from + (to − from)·t`: the first epoch at `from`, the last at `to`, evenly between.
  case linear(from: Double, to: Double)
  /// `γₑ = from · factor^⌊(e − 1)/every⌋`: the rate is multiplied by `factor` every `every` epochs.
  case step(from: Double, factor: Double, every: Int)
  /// `γₑ = to + (from − to)·½(1 + cos πt)`: slow at both ends, fastest in the middle (Loshchilov &
  /// Hutter's SGDR without restarts).
  case cosine(from: Double, to: Double)
  /// `γₑ = from · factor^(e − 1)`: the rate is multiplied by `factor` every epoch.
  case exponential(from: Double, factor: Double)

  /// The rate `γₑ` of epoch `e` (1-based) of a run of `epochs`.
  ///
  /// Powers are products of `factor` taken one at a time and the cosine is Neural's own, so a rate
  /// has the same bits on every machine.
  /// - Parameters:
  ///   - e: the epoch, 1-based.
  ///   - epochs: the number of epochs `E` of the run.
  public func rate(epoch e: Int, of epochs: Int) -> Double {
    let t = epochs > 1 ? Double(min(max(e, 1), epochs) - 1) / Double(epochs - 1) : 0
    func power(_ base: Double, _ factor: Double, _ k: Int) -> Double {
      var r = base
      for _ in 0..<max(k, 0) { r *= factor }
      return r
    }
    switch self {
    case .linear(let from, let to): return from + (to - from) * t
    case .step(let from, let factor, let every): return power(from, factor, (e - 1) / max(every, 1))
    case .cosine(let from, let to): return to + (from - to) * 0.5 * (1 + portableCos(Double.pi * t))
    case .exponential(let from, let factor): return power(from, factor, e - 1)
    }
  }

  /// `linear 1 → 0.1`, `step 0.1 ×0.5 every 10 epochs`, `cosine 1 → 0`, `exponential 0.1 ×0.9 per epoch`.
  public var description: String {
    switch self {
    case .linear(let from, let to): return "linear \(formatShort(from)) → \(formatShort(to))"
    case .step(let from, let factor, let every):
      return "step \(formatShort(from)) ×\(formatShort(factor)) every \(every) epoch\(every == 1 ? "" : "s")"
    case .cosine(let from, let to): return "cosine \(formatShort(from)) → \(formatShort(to))"
    case .exponential(let from, let factor):
      return "exponential \(formatShort(from)) ×\(formatShort(factor)) per epoch"
    }
  }
}
