import Foundation
import Neural
import XCTest

final class OptimizerTests: XCTestCase {
  /// `f(w) = ½ Σ aᵢ (wᵢ − cᵢ)²` has its minimum at `c`; the gradient is `aᵢ (wᵢ − cᵢ)`.
  let a: [Double] = [1, 4, 0.5]
  let c: [Double] = [3, -2, 0.5]

  func minimize(_ optimizer: inout some Optimizer, steps: Int) -> [Double] {
    var w: [Double] = [0, 0, 0]
    for _ in 0..<steps {
      let g = (0..<3).map { a[$0] * (w[$0] - c[$0]) }
      optimizer.beginStep()
      optimizer.update(&w, g, slot: 0)
    }
    return w
  }

  func assertAtMinimum(_ w: [Double], tolerance: Double, _ name: String, line: UInt = #line) {
    for i in 0..<3 { XCTAssertEqual(w[i], c[i], accuracy: tolerance, "\(name) w[\(i)]", line: line) }
  }

  func testEveryOptimizerFindsTheMinimumOfAQuadratic() {
    var gd = GradientDescent(gamma: 0.2)
    assertAtMinimum(minimize(&gd, steps: 500), tolerance: 1e-9, "gradient descent")
    var sgd = SGD(gamma: 0.2)
    assertAtMinimum(minimize(&sgd, steps: 500), tolerance: 1e-9, "SGD")
    var mini = MiniBatchSGD(gamma: 0.2, batchSize: 8)
    assertAtMinimum(minimize(&mini, steps: 500), tolerance: 1e-9, "mini-batch SGD")
    var momentum = Momentum(gamma: 0.05, beta: 0.9)
    assertAtMinimum(minimize(&momentum, steps: 1000), tolerance: 1e-8, "momentum")
    var rmsprop = RMSProp(gamma: 0.001, beta: 0.9)
    assertAtMinimum(minimize(&rmsprop, steps: 20000), tolerance: 1e-2, "RMSProp")
    var adam = Adam(gamma: 0.05)
    assertAtMinimum(minimize(&adam, steps: 5000), tolerance: 1e-4, "Adam")
  }

  func testUpdateRulesAsTheLectureWritesThem() {
    // Momentum: M ← βM + ∇; W ← W − γM. Two steps with constant gradient 1: M = 1, then 1.5.
    var m = Momentum(gamma: 0.1, beta: 0.5)
    var w: [Double] = [0]
    m.update(&w, [1], slot: 0)
    XCTAssertEqual(w[0], -0.1, accuracy: 1e-15)
    m.update(&w, [1], slot: 0)
    XCTAssertEqual(w[0], -0.1 - 0.15, accuracy: 1e-15)
    // RMSProp with β = 0 moves by γ in the gradient's sign (up to ε).
    var r = RMSProp(gamma: 0.01, beta: 0, epsilon: 0)
    var v: [Double] = [1, 1]
    r.update(&v, [250, -0.003], slot: 0)
    XCTAssertEqual(v[0], 0.99, accuracy: 1e-15)
    XCTAssertEqual(v[1], 1.01, accuracy: 1e-15)
    // Adam's bias correction makes the first step γ·∇/√(∇² + ε) ≈ γ·sign(∇).
    var adam = Adam(gamma: 0.1, epsilon: 0)
    var x: [Double] = [0]
    adam.beginStep()
    adam.update(&x, [-7], slot: 0)
    XCTAssertEqual(x[0], 0.1, accuracy: 1e-12)
    XCTAssertEqual(adam.t, 1)
  }

  /// One step from `w` with gradient `g`.
  func step(_ optimizer: inout some Optimizer, from w: Double, gradient g: Double) -> Double {
    var W = [w]
    optimizer.beginStep()
    optimizer.update(&W, [g], slot: 0)
    return W[0]
  }

  func testWeightDecayAddsLambdaWToTheGradientOfEveryRule() {
    // W = 2, ∇ = 1, λ = 0.5: the rule sees ∇ + λW = 2.
    var gd = GradientDescent(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&gd, from: 2, gradient: 1), 2 - 0.1 * 2, accuracy: 1e-15)
    var sgd = SGD(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&sgd, from: 2, gradient: 1), 1.8, accuracy: 1e-15)
    var mini = MiniBatchSGD(gamma: 0.1, batchSize: 4, weightDecay: 0.5)
    XCTAssertEqual(step(&mini, from: 2, gradient: 1), 1.8, accuracy: 1e-15)
    // Momentum β = 0.5: M = 2, W = 1.8; then ∇ + λW = 1 + 0.9 = 1.9, M = 1 + 1.9 = 2.9, W = 1.8 − 0.29.
    var momentum = Momentum(gamma: 0.1, beta: 0.5, weightDecay: 0.5)
    let w1 = step(&momentum, from: 2, gradient: 1)
    XCTAssertEqual(w1, 1.8, accuracy: 1e-15)
    XCTAssertEqual(step(&momentum, from: w1, gradient: 1), 1.51, accuracy: 1e-15)
    // RMSProp β = 0.5, ε = 0: V = 0.5·2² = 2, W = 2 − 0.01/√2·2.
    var rms = RMSProp(gamma: 0.01, beta: 0.5, epsilon: 0, weightDecay: 0.5)
    XCTAssertEqual(step(&rms, from: 2, gradient: 1), 2 - 0.02 / 2.0.squareRoot(), accuracy: 1e-15)
    // Adam (coupled): ∇ = 0 still moves W, since the rule sees λW = 1: the first step is γ·sign = 0.1.
    var adam = Adam(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&adam, from: 2, gradient: 0), 1.9, accuracy: 1e-9)
    // ... but Adam normalises the decay away in its first step: ∇ + λW = −2 moves W by +0.1, as ∇ = −3 alone would.
    var adam2 = Adam(gamma: 0.1, weightDecay: 0.5)
    XCTAssertEqual(step(&adam2, from: 2, gradient: -3), 2.1, accuracy: 1e-9)
    // λ = 0 (the default) is the rule without decay.
    var plain = SGD(gamma: 0.1)
    XCTAssertEqual(step(&plain, from: 2, gradient: 1), 1.9, accuracy: 1e-15)
    XCTAssertEqual("\(SGD(gamma: 0.1, weightDecay: 1e-4))", "SGD (γ = 0.1, λ = 0.0001)")
    XCTAssertEqual("\(SGD(gamma: 0.1))", "SGD (γ = 0.1)")
  }

  func testDecoupledWeightDecayShrinksWApartFromAdamsStep() {
    // AdamW: W ← W(1 − γλ) = 2·0.95 = 1.9, then Adam's first step on ∇ = −3 alone: +0.1.
    var adamW = Adam(gamma: 0.1, weightDecay: 0.5, decoupled: true)
    XCTAssertEqual(step(&adamW, from: 2, gradient: -3), 2.0, accuracy: 1e-9)
    // With ∇ = 0, only the decay moves W: M = 0, so Adam's step is 0.
    var still = Adam(gamma: 0.1, weightDecay: 0.5, decoupled: true)
    XCTAssertEqual(step(&still, from: 2, gradient: 0), 1.9, accuracy: 1e-15)
    XCTAssertEqual(
      "\(Adam(gamma: 0.001, weightDecay: 0.01, decoupled: true))",
      "AdamW (γ = 0.001, β₁ = 0.9, β₂ = 0.999, λ = 0.01)")
  }

  func testSeparateSlotsKeepSeparateState() {
    var m = Momentum(gamma: 1, beta: 1)
    var w0: [Double] = [0]
    var w1: [Double] = [0]
    m.update(&w0, [1], slot: 0)
    m.update(&w1, [10], slot: 1)
    m.update(&w0, [1], slot: 0)
    XCTAssertEqual(w0[0], -3)  // M: 1, then 2
    XCTAssertEqual(w1[0], -10)
  }
}
