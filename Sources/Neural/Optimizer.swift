import Foundation

/// An update rule for the weights, written as in the MLP lecture: `W` the weights, `∇` the
/// gradient of the loss on the current batch, `γ` the step size.
///
/// The batch size belongs to the rule because the lecture names the rules by it: gradient descent
/// uses all `n` samples per step, SGD one, mini-batch SGD `m`.
///
/// Every rule takes a weight decay `λ` (`weightDecay:`, 0 by default): L2 regularisation, the rule
/// sees `∇ + λW` (the gradient of the loss plus that of `(λ/2)‖W‖²`), for every trainable
/// parameter, biases included. Adam also has the decoupled form (AdamW). A penalty written
/// `α Σ w²` (micrograd's demo, Keras's `l2(α)`) is `λ = 2α`.
public protocol Optimizer: Sendable, CustomStringConvertible {
  /// Samples per update; nil means the whole training set (full-batch gradient descent).
  var batchSize: Int? { get }
  /// The step size `γ`, named in the error when training diverges, and set by a
  /// ``LearningRateSchedule`` before each epoch.
  var learningRate: Double { get set }
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

/// `∇ + λW`: the gradient of the loss plus that of the L2 penalty `(λ/2)‖W‖²` (coupled weight
/// decay). With `λ = 0` it is `∇` itself, untouched, so a rule without decay keeps its bits.
func decayed(_ g: [Double], _ W: [Double], _ lambda: Double) -> [Double] {
  guard lambda != 0 else { return g }
  var d = g
  for i in d.indices { d[i] += lambda * W[i] }
  return d
}

/// `, λ = 0.0001` for a description, or nothing without weight decay.
func decaySuffix(_ lambda: Double) -> String { lambda == 0 ? "" : ", λ = \(formatShort(lambda))" }

/// Per-parameter state (`M`, `V`), created as zeros on first use: `M₀ = V₀ = 0`.
struct OptimizerState: Sendable {
  private var slots: [[Double]] = []

  mutating func with<R>(_ slot: Int, count: Int, _ body: (inout [Double]) -> R) -> R {
    while slots.count <= slot { slots.append([]) }
    if slots[slot].count != count { slots[slot] = Array(repeating: 0, count: count) }
    return body(&slots[slot])
  }
}

/// Gradient descent, `W ← W − γ∇`, with `∇` the gradient on a batch of `m` samples: the lecture's
/// one update rule, whose three names say only how many samples each step sees.
///
/// - gradient descent: `m = n`, the whole training set each step (`batchSize: nil`, the default);
/// - SGD: `m = 1`, one sample at a time in a shuffled order (``SGD(gamma:weightDecay:)``);
/// - mini-batch SGD: shuffled batches of `m` samples (``MiniBatchSGD(gamma:batchSize:weightDecay:)``).
public struct GradientDescent: Optimizer {
  /// The step size `γ`.
  public var gamma: Double
  /// Samples per step, `m`; nil for the whole training set.
  public var batchSize: Int?
  /// The weight decay `λ` (0: none).
  public var weightDecay: Double

  /// Gradient descent with step size `γ` on batches of `m` samples, weight decay `λ` (0 by default).
  /// - Parameters:
  ///   - gamma: the step size `γ`.
  ///   - batchSize: `m`, samples per step; nil (the default) for the whole training set.
  ///   - weightDecay: `λ`: each step follows `∇ + λW` (L2 regularisation); 0 for none.
  /// - Precondition: `batchSize` is nil or positive.
  public init(gamma: Double, batchSize: Int? = nil, weightDecay: Double = 0) {
    precondition(batchSize.map { $0 > 0 } ?? true, "GradientDescent: batch size must be positive")
    self.gamma = gamma
    self.batchSize = batchSize
    self.weightDecay = weightDecay
  }
  /// `γ`.
  public var learningRate: Double {
    get { gamma }
    set { gamma = newValue }
  }

  /// `W ← W − γ(∇ + λW)`, each element `w − γ·g` (two roundings), on both cores for a large `W`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    precondition(g.count == W.count, "GradientDescent: \(g.count) gradients for \(W.count) parameters")
    let (g, gamma, count) = (decayed(g, W, weightDecay), gamma, W.count)
    guard count > 0 else { return }
    W.withUnsafeMutableBufferPointer { w in
      g.withUnsafeBufferPointer { g in
        let (w, g) = (w.baseAddress!, g.baseAddress!)
        // Elementwise: which thread has an element changes none of its bits. An element is two
        // loads and a store from memory (W6's 784 × 256 weights are 1.6 MB): counted as 8 multiply-adds.
        // Four parts a thread: a worker busy with the gradient norm (`train`) joins late.
        Parallel.forEachRange(count, granule: 8, costPerItem: 8, partsPerThread: 4) { range in
          for i in range { w[i] = w[i] - gamma * g[i] }
        }
      }
    }
  }

  /// The rule by the lecture's name for its batch size: `gradient descent (γ = 0.1)`,
  /// `SGD (γ = 0.1)`, `mini-batch SGD (γ = 0.1, m = 32)`; with `, λ = 0.0001` under weight decay.
  public var description: String {
    let decay = decaySuffix(weightDecay)
    switch batchSize {
    case nil: return "gradient descent (γ = \(formatShort(gamma))\(decay))"
    case 1: return "SGD (γ = \(formatShort(gamma))\(decay))"
    case let m?: return "mini-batch SGD (γ = \(formatShort(gamma)), m = \(m)\(decay))"
    }
  }
}

/// Stochastic gradient descent, the lecture's name for ``GradientDescent`` on one sample at a
/// time: `W ← W − γ∇` per sample, in a shuffled order.
/// - Parameters:
///   - gamma: the step size `γ`.
///   - weightDecay: `λ`: each step follows `∇ + λW` (L2 regularisation); 0 for none.
public func SGD(gamma: Double, weightDecay: Double = 0) -> GradientDescent {
  GradientDescent(gamma: gamma, batchSize: 1, weightDecay: weightDecay)
}

/// Mini-batch SGD, the lecture's name for ``GradientDescent`` on shuffled batches of `m` samples.
/// - Parameters:
///   - gamma: the step size `γ`.
///   - m: the batch size `m`.
///   - weightDecay: `λ`: each step follows `∇ + λW` (L2 regularisation); 0 for none.
/// - Precondition: `m > 0`.
public func MiniBatchSGD(gamma: Double, batchSize m: Int, weightDecay: Double = 0) -> GradientDescent {
  precondition(m > 0, "MiniBatchSGD: batch size must be positive")
  return GradientDescent(gamma: gamma, batchSize: m, weightDecay: weightDecay)
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
  /// The weight decay `λ` (0: none).
  public var weightDecay: Double
  var M = OptimizerState()

  /// Momentum with step size `γ`, momentum `β`, batch size (nil: full batch) and weight decay `λ`.
  /// - Parameters:
  ///   - gamma: the step size `γ`.
  ///   - beta: the momentum `β`.
  ///   - batchSize: samples per step; nil for the whole training set.
  ///   - weightDecay: `λ`: the velocity gathers `∇ + λW` (L2 regularisation); 0 for none.
  public init(gamma: Double, beta: Double = 0.9, batchSize: Int? = nil, weightDecay: Double = 0) {
    self.gamma = gamma
    self.beta = beta
    self.batchSize = batchSize
    self.weightDecay = weightDecay
  }
  /// `γ`.
  public var learningRate: Double {
    get { gamma }
    set { gamma = newValue }
  }

  /// `M ← βM + (∇ + λW)`, `W ← W − γM`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let g = decayed(g, W, weightDecay)
    let (gamma, beta) = (gamma, beta)
    M.with(slot, count: W.count) { M in
      for i in W.indices {
        M[i] = beta * M[i] + g[i]
        W[i] -= gamma * M[i]
      }
    }
  }
  /// `momentum (γ = 0.1, β = 0.9)`, with `, λ = 0.0001` under weight decay.
  public var description: String {
    "momentum (γ = \(formatShort(gamma)), β = \(formatShort(beta))\(decaySuffix(weightDecay)))"
  }
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
  /// The weight decay `λ` (0: none).
  public var weightDecay: Double
  var V = OptimizerState()

  /// RMSProp with step size `γ`, decay `β`, `ε`, batch size (nil: full batch) and weight decay `λ`.
  /// - Parameters:
  ///   - gamma: the step size `γ`.
  ///   - beta: the decay `β` of the squared-gradient average.
  ///   - epsilon: `ε` inside the root.
  ///   - batchSize: samples per step; nil for the whole training set.
  ///   - weightDecay: `λ`: the rule sees `∇ + λW` (L2 regularisation); 0 for none.
  public init(
    gamma: Double, beta: Double = 0.9, epsilon: Double = 1e-8, batchSize: Int? = nil, weightDecay: Double = 0
  ) {
    self.gamma = gamma
    self.beta = beta
    self.epsilon = epsilon
    self.batchSize = batchSize
    self.weightDecay = weightDecay
  }
  /// `γ`.
  public var learningRate: Double {
    get { gamma }
    set { gamma = newValue }
  }

  /// `V ← βV + (1 − β)∇²`, `W ← W − γ/√(V + ε) · ∇`, with `∇ + λW` for `∇`.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let g = decayed(g, W, weightDecay)
    let (gamma, beta, epsilon) = (gamma, beta, epsilon)
    V.with(slot, count: W.count) { V in
      for i in W.indices {
        V[i] = beta * V[i] + (1 - beta) * g[i] * g[i]
        W[i] -= gamma / (V[i] + epsilon).squareRoot() * g[i]
      }
    }
  }
  /// `RMSProp (γ = 0.1, β = 0.9)`, with `, λ = 0.0001` under weight decay.
  public var description: String {
    "RMSProp (γ = \(formatShort(gamma)), β = \(formatShort(beta))\(decaySuffix(weightDecay)))"
  }
}

/// Adam, exactly as the lecture writes it:
/// `M ← β₁M + (1 − β₁)∇` (momentum), `V ← β₂V + (1 − β₂)∇²` (adaptive γ),
/// `M̂ = M/(1 − β₁ᵗ)`, `V̂ = V/(1 − β₂ᵗ)` (bias correction, since `M₀ = V₀ = 0`),
/// `W ← W − γ/√(V̂ + ε) · M̂`.
///
/// Note `ε` sits inside the square root as on the slide (Kingma & Ba put it outside); the default
/// 1e-8 inside acts like 1e-4 outside.
///
/// Weight decay `λ` comes in two forms. Coupled (the default), `∇ + λW` goes through `M` and `V`
/// like the gradient, so the adaptive step divides the decay away where gradients are large.
/// Decoupled (AdamW, Loshchilov & Hutter 2019; `decoupled: true`), the weights shrink apart from
/// the gradient: `W ← W(1 − γλ)`, then Adam's step on `∇` alone.
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
  /// The weight decay `λ` (0: none).
  public var weightDecay: Double
  /// Whether the decay is decoupled from the gradient (AdamW) rather than added to it.
  public var decoupled: Bool
  /// Steps taken so far.
  public private(set) var t = 0
  var M = OptimizerState()
  var V = OptimizerState()

  /// Adam with step size `γ`, decays `β₁`, `β₂`, `ε`, batch size (nil: full batch) and weight
  /// decay `λ`, coupled or decoupled (AdamW).
  /// - Parameters:
  ///   - gamma: the step size `γ`.
  ///   - beta1: `β₁`, the decay of the gradient average `M`.
  ///   - beta2: `β₂`, the decay of the squared-gradient average `V`.
  ///   - epsilon: `ε` inside the root.
  ///   - batchSize: samples per step; nil for the whole training set.
  ///   - weightDecay: `λ`; 0 (the default) for none.
  ///   - decoupled: `false`: `M` and `V` see `∇ + λW`; `true` (AdamW): `W ← W(1 − γλ)` before the step.
  public init(
    gamma: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    batchSize: Int? = nil, weightDecay: Double = 0, decoupled: Bool = false
  ) {
    self.gamma = gamma
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.batchSize = batchSize
    self.weightDecay = weightDecay
    self.decoupled = decoupled
  }
  /// `γ`.
  public var learningRate: Double {
    get { gamma }
    set { gamma = newValue }
  }

  /// `t ← t + 1`, for the bias correction.
  public mutating func beginStep() { t += 1 }

  /// `M ← β₁M + (1 − β₁)∇`, `V ← β₂V + (1 − β₂)∇²`, `W ← W − γ/√(V/(1 − β₂ᵗ) + ε) · M/(1 − β₁ᵗ)`;
  /// with weight decay `∇ + λW` for `∇`, or (decoupled) `W ← W(1 − γλ)` first.
  public mutating func update(_ W: inout [Double], _ g: [Double], slot: Int) {
    let (gamma, beta1, beta2, epsilon) = (gamma, beta1, beta2, epsilon)
    let g = decoupled ? g : decayed(g, W, weightDecay)
    if decoupled && weightDecay != 0 {
      let shrink = 1 - gamma * weightDecay
      for i in W.indices { W[i] *= shrink }
    }
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
  /// `Adam (γ = 0.001, β₁ = 0.9, β₂ = 0.999)`; `AdamW` when decoupled, and `, λ = 0.01` under weight decay.
  public var description: String {
    "\(decoupled ? "AdamW" : "Adam") (γ = \(formatShort(gamma)), β₁ = \(formatShort(beta1)), "
      + "β₂ = \(formatShort(beta2))\(decaySuffix(weightDecay)))"
  }
}
