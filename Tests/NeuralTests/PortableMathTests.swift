import Foundation
import Synchronization
import XCTest

@testable import Neural

/// `portableTanh` (PortableMath.swift) against an extended-precision reference, and `Parallel`'s
/// promise: ranges that cover the loop exactly once, and results that do not depend on the split.
final class PortableMathTests: XCTestCase {
  /// Distance from `x` to the reference in units of the reference's last place.
  static func ulps(_ x: Double, _ reference: Float80) -> Double {
    let r = Double(reference)
    return Double(abs(Float80(x) - reference) / Float80(r.ulp))
  }

  func testPortableTanhIsWithinThreeUlpOfTheExtendedPrecisionValue() {
    var rng = SeededRandom(seed: 11)
    var worst = (ulps: 0.0, x: 0.0)
    // Wide, near zero (where E/(E+2) has to keep its digits), tiny, and log-spread magnitudes.
    for i in 0..<400_000 {
      let u = rng.uniform()
      let x: Double
      switch i % 4 {
      case 0: x = (u - 0.5) * 50
      case 1: x = (u - 0.5) * 2
      case 2: x = (u - 0.5) * 2e-4
      default: x = (i % 8 == 3 ? -1 : 1) * pow(10, -300 * u)
      }
      let e = Self.ulps(portableTanh(x), tanhl(Float80(x)))
      if e > worst.ulps { worst = (e, x) }
    }
    XCTAssertLessThanOrEqual(worst.ulps, 3, "worst at x = \(worst.x)")
    // And it is a tanh (a wrong polynomial coefficient would be caught above; this names the cases).
    XCTAssertEqual(portableTanh(0.5493061443340548), 0.5, accuracy: 1e-16)  // atanh(1/2)
    XCTAssertEqual(portableTanh(1), 0.7615941559557649, accuracy: 2e-16)
  }

  func testPortableTanhSpecialValues() {
    XCTAssertEqual(portableTanh(0).bitPattern, (0.0).bitPattern)
    XCTAssertEqual(portableTanh(-0.0).bitPattern, (-0.0).bitPattern)
    XCTAssertEqual(portableTanh(.infinity), 1)
    XCTAssertEqual(portableTanh(-.infinity), -1)
    XCTAssertEqual(portableTanh(25), 1)
    XCTAssertEqual(portableTanh(-1e300), -1)
    XCTAssertTrue(portableTanh(.nan).isNaN)
    XCTAssertEqual(portableTanh(.leastNonzeroMagnitude), .leastNonzeroMagnitude)  // tanh x = x
    XCTAssertEqual(portableTanh(-1e-200), -1e-200)
    // Odd to the last bit, and never beyond ±1.
    var rng = SeededRandom(seed: 3)
    for _ in 0..<10_000 {
      let x = rng.uniform(-30, 30)
      XCTAssertEqual(portableTanh(-x).bitPattern, (-portableTanh(x)).bitPattern)
      XCTAssertLessThanOrEqual(abs(portableTanh(x)), 1)
    }
  }

  func testFastTanhChangesOnlyTheLastDigitsOfAShortTraining() throws {
    // The opt-in changes the last bits of each activation. Over a few plain gradient steps that
    // stays in the last digits. Adam divides by √V̂, which amplifies such differences in its first
    // steps: on these spirals the two runs differ by 1e-5 in loss after 4 epochs and end 10% apart
    // after 300, both trained. That is why the checked notebooks keep `Tanh`.
    var rng = SeededRandom(seed: 1)
    let data = Dataset.spirals(n: 200, noise: 0, rng: &rng)
    func run(_ hidden: some Activation) throws -> [Double] {
      var rng = SeededRandom(seed: 42)
      var net = Sequential(sizes: [2, 16, 16, 1], hidden: hidden, output: .sigmoid, rng: &rng)
      var gd = GradientDescent(gamma: 0.5)
      let history = try net.train(
        on: data, loss: .binaryCrossEntropy, optimizer: &gd, options: .init(epochs: 20))
      return history.epochs.map(\.loss)
    }
    let exact = try run(Tanh())
    let fast = try run(FastTanh())
    XCTAssertEqual(exact.count, 20)
    for (e, f) in zip(exact, fast) { XCTAssertEqual(f, e, accuracy: 1e-12) }
    XCTAssertLessThan(exact.last!, exact.first!)  // it did train
  }

  func testParallelRangesCoverTheLoopOnceOnGranuleBoundaries() {
    for count in [0, 1, 3, 4, 5, 17, 1000, 1001] {
      for granule in [1, 4] {
        let lock = NSLock()
        var seen = [Int](repeating: 0, count: count)
        var starts: [Int] = []
        Parallel.forEachRange(count, granule: granule, costPerItem: 1 << 20) { range in
          lock.lock()
          defer { lock.unlock() }
          starts.append(range.lowerBound)
          for i in range { seen[i] += 1 }
        }
        XCTAssertEqual(seen, [Int](repeating: 1, count: count), "count \(count) granule \(granule)")
        XCTAssertTrue(starts.allSatisfy { $0 % granule == 0 }, "\(starts)")
        if count >= 2 * granule {
          XCTAssertEqual(starts.count, min(Parallel.threads, count / granule + (count % granule > 0 ? 1 : 0)))
        }
      }
    }
  }

  func testSmallLoopsStayOnOneThread() {
    var calls = 0
    Parallel.forEachRange(1000, costPerItem: 1) { _ in calls += 1 }
    XCTAssertEqual(calls, 1)
  }

  func testParallelProductAndActivationMatchTheOneThreadLoops() throws {
    // Large enough to be split on a machine with more than one core (this one has two); each part
    // must produce exactly the bits the simple loop does.
    try XCTSkipIf(Parallel.threads < 2, "one core: nothing is split")
    var rng = SeededRandom(seed: 9)
    let a = MatrixKernelTests.random(203, 97, &rng)
    let b = MatrixKernelTests.random(97, 61, &rng)
    let fast = Matrix.product(a, b)
    let slow = MatrixKernelTests.reference(a, b, false, false)
    XCTAssertTrue(zip(fast.storage, slow.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
    let A = FastTanh().forward(fast)
    XCTAssertTrue(zip(A.storage, fast.storage).allSatisfy { $0.bitPattern == portableTanh($1).bitPattern })
  }

  func testProductsFromSeveralThreadsAtOnceKeepTheirBits() {
    // Four threads multiply at once: one gets the worker pool, the others run their parts
    // themselves; all four results must be the simple loop's, every time.
    var rng = SeededRandom(seed: 4)
    let a = MatrixKernelTests.random(300, 64, &rng)
    let b = MatrixKernelTests.random(64, 48, &rng)
    let expected = MatrixKernelTests.reference(a, b, false, false)
    let wrong = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<25 {
        let c = Matrix.product(a, b)
        if !zip(c.storage, expected.storage).allSatisfy({ $0.bitPattern == $1.bitPattern }) {
          wrong.add(1, ordering: .relaxed)
        }
      }
    }
    XCTAssertEqual(wrong.load(ordering: .relaxed), 0)
  }
}
