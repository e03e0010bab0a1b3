import Foundation

/// An update rule for the weights, written as in the MLP lecture: `W` the weights, `∇` the
/// gradient of the loss on the current batch, `γ` the step size.
///
/// The batch size belongs to the rule because the lecture names the rules by it: gradient descent
/// uses all `n` samples per step, SGD one, mini-batch SGD `m`.
public protocol Optimizer: Sendable, CustomStringConvertible {
  /// Samples per update; nil means the whole training set (full-batch gradient descent).
  var batchSize: Int? { get }
  /// The step size `γ`, named in the error when training diverges.
  var learningRate: Double { get }
  /// Called once before each step's updates (Adam counts `t` here).
  mutating func beginStep()
  /// Updates the parameter `slot` (a stable number per weight matrix) in place from its gradient.
  mutating func update(_ W: inout [Double], _ gradient: [Double], slot: Int)
}

extension Optimizer {
  /// Does nothing: rules without a step count need no preparation.
  public mutating func beginStep() {}

  /// One step on every trainable parameter of `network` (`W` of each layer, `b` where trainable).
  public mutating func step(_ network: inout Sequential, _ gradients: [(dW: Matrix, db: Matrix)]) {
    precondition(gradients.count == network.layers.count, "Optimizer: gradients for a different network")
    beginStep()
    for l in network.layers.indices {
      update(&network.layers[l].W.storage, gradients[l].dW.storage, slot: 2 * l)
      if network.layers[l].bias == .trainable {
        update(&network.layers[l].b.storage, gradients[l].db.storage, slot: 2 * l + 1)
      }
    }
  }
}

/// Per-parameter state (`M`, `V`), created as zeros on first use: `M₀ = V₀ = 0`.
struct OptimizerState: Sendable {
  private var slots: [[Double]] = []

  mutating func with<R>(_ slot: Int, count: Int, _ body: (inout [Double]) -> R) -> R {
    while slots.count <= slot { slots.append([]) }
    if slots[slot].count != count { slots[slot] = Array(repeating: 0, count: count) }
    return body(&slots[slot])
  }
}

/// Gradient descent: `W ← W − γ∇`, on the whole training set each step.
public struct GradientDescent: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// Full-batch gradient descent with step size `γ`.
  public init(gamma: Double) { self.gamma = gamma }
  /// `nil`: the whole training set each step.
  public var batchSize: Int? { nil }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `W ← W − γ∇`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    for i in W.indices { W[i] -= gamma * g[i] }
  }
  /// `gradient descent (γ = 0.1)`.
  public var description: String { "gradient descent (γ = \(formatShort(gamma)))" }
}

/// Stochastic gradient descent: `W ← W − γ∇` on one sample at a time, in a shuffled order.
public struct SGD: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// Stochastic gradient descent with step size `γ`.
  public init(gamma: Double) { self.gamma = gamma }
  /// `1`: one sample a step.
  public var batchSize: Int? { 1 }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `W ← W − γ∇`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    for i in W.indices { W[i] -= gamma * g[i] }
  }
  /// `SGD (γ = 0.1)`.
  public var description: String { "SGD (γ = \(formatShort(gamma)))" }
}

/// Mini-batch SGD: `W ← W − γ∇` on shuffled batches of `m` samples.
public struct MiniBatchSGD: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// The batch size `m`.
  public var m: Int
  /// Mini-batch SGD with step size `γ` on batches of `m` samples.
  /// - Precondition: `m > 0`.
  public init(gamma: Double, batchSize m: Int) {
    precondition(m > 0, "MiniBatchSGD: batch size must be positive")
    self.gamma = gamma
    self.m = m
  }
  /// `m`.
  public var batchSize: Int? { m }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `W ← W − γ∇`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    for i in W.indices { W[i] -= gamma * g[i] }
  }
  /// `mini-batch SGD (γ = 0.1, m = 32)`.
  public var description: String { "mini-batch SGD (γ = \(formatShort(gamma)), m = \(m))" }
}

/// Gradient descent with momentum: `M ← βM + ∇`, `W ← W − γM`. With `β = 0` it is plain
/// gradient descent; the velocity `M` carries the step through flat stretches and damps zig-zags.
public struct Momentum: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// The momentum `β` (0.9 by default): how much of the last velocity each step keeps.
  public var beta: Double
  /// Samples per step; nil for the whole training set.
  public var batchSize: Int?
  var M = OptimizerState()

  /// Momentum with step size `γ`, momentum `β` and batch size (nil: full batch).
  public init(gamma: Double, beta: Double = 0.9, batchSize: Int? = nil) {
    self.gamma = gamma
    self.beta = beta
    self.batchSize = batchSize
  }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `M ← βM + ∇`, `W ← W − γM`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let (gamma, beta) = (gamma, beta)
    M.with(slot, count: W.count) { M in
      for i in W.indices {
        M[i] = beta * M[i] + g[i]
        W[i] -= gamma * M[i]
      }
    }
  }
  /// `momentum (γ = 0.1, β = 0.9)`.
  public var description: String { "momentum (γ = \(formatShort(gamma)), β = \(formatShort(beta)))" }
}

/// RMSProp: `V ← βV + (1 − β)∇²`, `W ← W − γ/√(V + ε) · ∇`.
///
/// The lecture writes `γ/√V`; `ε` (default 1e-8) inside the root only keeps a zero gradient from
/// dividing by zero. With `β = 0` each step moves by `γ` in the direction of the gradient's sign.
public struct RMSProp: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// The decay `β` of the squared-gradient average (0.9 by default).
  public var beta: Double
  /// `ε` inside the root (1e-8 by default), against division by zero.
  public var epsilon: Double
  /// Samples per step; nil for the whole training set.
  public var batchSize: Int?
  var V = OptimizerState()

  /// RMSProp with step size `γ`, decay `β`, `ε` and batch size (nil: full batch).
  public init(gamma: Double, beta: Double = 0.9, epsilon: Double = 1e-8, batchSize: Int? = nil) {
    self.gamma = gamma
    self.beta = beta
    self.epsilon = epsilon
    self.batchSize = batchSize
  }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `V ← βV + (1 − β)∇²`, `W ← W − γ/√(V + ε) · ∇`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let (gamma, beta, epsilon) = (gamma, beta, epsilon)
    V.with(slot, count: W.count) { V in
      for i in W.indices {
        V[i] = beta * V[i] + (1 - beta) * g[i] * g[i]
        W[i] -= gamma / (V[i] + epsilon).squareRoot() * g[i]
      }
    }
  }
  /// `RMSProp (γ = 0.1, β = 0.9)`.
  public var description: String { "RMSProp (γ = \(formatShort(gamma)), β = \(formatShort(beta)))" }
}

/// Adam, exactly as the lecture writes it:
/// `M ← β₁M + (1 − β₁)∇` (momentum), `V ← β₂V + (1 − β₂)∇²` (adaptive γ),
/// `M̂ = M/(1 − β₁ᵗ)`, `V̂ = V/(1 − β₂ᵗ)` (bias correction, since `M₀ = V₀ = 0`),
/// `W ← W − γ/√(V̂ + ε) · M̂`.
///
/// Note `ε` sits inside the square root as on the slide (Kingma & Ba put it outside); the default
/// 1e-8 inside acts like 1e-4 outside.
public struct Adam: Optimizer {
  /// The step size `γ` (0.001 by default).
  public var gamma: Double
  /// `β₁`, the decay of the gradient average `M` (0.9 by default).
  public var beta1: Double
  /// `β₂`, the decay of the squared-gradient average `V` (0.999 by default).
  public var beta2: Double
  /// `ε` inside the root (1e-8 by default).
  public var epsilon: Double
  /// Samples per step; nil for the whole training set.
  public var batchSize: Int?
  /// Steps taken so far.
  public private(set) var t = 0
  var M = OptimizerState()
  var V = OptimizerState()

  /// Adam with step size `γ`, decays `β₁`, `β₂`, `ε` and batch size (nil: full batch).
  public init(
    gamma: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    batchSize: Int? = nil
  ) {
    self.gamma = gamma
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.batchSize = batchSize
  }
  /// `γ`.
  public var learningRate: Double { gamma }

  /// `t ← t + 1`, for the bias correction.
  public mutating func beginStep() { t += 1 }

  /// `M ← β₁M + (1 − β₁)∇`, `V ← β₂V + (1 − β₂)∇²`, `W ← W − γ/√(V/(1 − β₂ᵗ) + ε) · M/(1 − β₁ᵗ)`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let (gamma, beta1, beta2, epsilon) = (gamma, beta1, beta2, epsilon)
    // βᵗ = e^{t·log β} by Neural's own exp and log (glibc's `pow` differs between CPUs in its last
    // bit): within a few ulp of βᵗ, and 1 − βᵗ within 2 ulp of exact.
    let steps = Double(max(t, 1))
    let c1 = 1 - portableExp(steps * portableLog(beta1))
    let c2 = 1 - portableExp(steps * portableLog(beta2))
    M.with(slot, count: W.count) { M in
      V.with(slot, count: W.count) { V in
        for i in W.indices {
          M[i] = beta1 * M[i] + (1 - beta1) * g[i]
          V[i] = beta2 * V[i] + (1 - beta2) * g[i] * g[i]
          let mhat = M[i] / c1
          let vhat = V[i] / c2
          W[i] -= gamma / (vhat + epsilon).squareRoot() * mhat
        }
      }
    }
  }
  /// `Adam (γ = 0.001, β₁ = 0.9, β₂ = 0.999)`.
  public var description: String {
    "Adam (γ = \(formatShort(gamma)), β₁ = \(formatShort(beta1)), β₂ = \(formatShort(beta2)))"
  }
}
