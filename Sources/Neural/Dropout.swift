import Foundation

/// Inverted dropout (Srivastava et al. 2014) on a layer's output: while training, each unit of
/// each sample is dropped (set to 0) with probability `p` and kept, scaled by `1/(1 − p)`, otherwise.
///
/// The scaling keeps every unit's expectation, `E[out] = (1 − p)·a/(1 − p) = a`, so `predict`
/// uses the whole network unchanged (dropout is off there). Backward, the same mask multiplies
/// `∂L/∂A`: a dropped unit passes no gradient. Masks are drawn from a `RandomSource`; `train`
/// draws them from a stream seeded by `TrainingOptions.seed`, so a seed fixes every mask.
public struct Dropout: Sendable, Equatable, CustomStringConvertible {
  /// The probability `p` that a unit is dropped.
  public var rate: Double

  /// Dropout of each unit with probability `p`.
  /// - Parameter rate: `p`, in `[0, 1)`.
  /// - Precondition: `0 ≤ p < 1`.
  public init(_ rate: Double) {
    precondition(rate >= 0 && rate < 1, "Dropout: the rate must be in [0, 1), got \(rate)")
    self.rate = rate
  }

  /// A `rows × cols` mask: each entry 0 when its uniform deviate `u < p`, else `1/(1 − p)`
  /// (one deviate per entry, row by row).
  /// - Parameters:
  ///   - rows: the number of samples.
  ///   - cols: the number of units.
  ///   - rng: where the deviates come from.
  public func mask(rows: Int, cols: Int, rng: inout some RandomSource) -> Matrix {
    let keep = 1 / (1 - rate)
    return Matrix(rows: rows, cols: cols, (0..<(rows * cols)).map { _ in rng.uniform() < rate ? 0 : keep })
  }

  /// `A ⊙ mask`: the layer's output with dropped units at 0 and kept ones scaled.
  /// - Parameters:
  ///   - A: the layer's output.
  ///   - mask: a mask from ``mask(rows:cols:rng:)``, same shape.
  public func forward(_ A: Matrix, mask: Matrix) -> Matrix { A .* mask }

  /// `∂L/∂A ⊙ mask`: the gradient reaches kept units only.
  /// - Parameters:
  ///   - dA: the gradient with respect to the dropped-out output.
  ///   - mask: the mask of the forward pass.
  public func backward(_ dA: Matrix, mask: Matrix) -> Matrix { dA .* mask }

  /// `dropout 0.5`.
  public var description: String { "dropout \(formatShort(rate))" }
}
