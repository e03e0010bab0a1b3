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

  /// SplitMix64: the test inputs come from integer arithmetic only, so they are the same everywhere.
  struct Inputs {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9e37_79b9_7f4a_7c15
      var z = state
      z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
      z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
      return z ^ (z >> 31)
    }
    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    /// Spread over the function's interesting ranges: wide, near 0, tiny, log-spread magnitudes.
    mutating func value(_ i: Int, wide: Double) -> Double {
      let u = unit()
      switch i % 4 {
      case 0: return (u - 0.5) * 2 * wide
      case 1: return (u - 0.5) * 2
      case 2: return (u - 0.5) * 2e-6
      // 10^(−300…10) by portableExp: glibc's pow could differ on another CPU, and so the inputs.
      default: return (i % 8 == 3 ? -1 : 1) * portableExp((-300 + 310 * u) * 2.302585092994046)
      }
    }
  }

  /// Each portable function with its `Float80` reference, the widest useful input range, and the
  /// error bound its doc comment promises.
  static var functions:
    [(name: String, f: (Double) -> Double, reference: (Float80) -> Float80, wide: Double, ulps: Double)]
  {
    [
      ("exp", portableExp, { Foundation.exp($0) }, 720, 1),
      ("expm1", portableExpm1, { Foundation.expm1($0) }, 720, 2),
      ("log", portableLog, { Foundation.log($0) }, 1e6, 1),
      ("log1p", portableLog1p, { Foundation.log1p($0) }, 1e3, 1),
      ("log1p small", portableLog1p, { Foundation.log1p($0) }, 0.999, 1),
      ("tanh", portableTanh, { Foundation.tanh($0) }, 25, 3),
      ("sin", portableSin, { Foundation.sin($0) }, 1e5, 1),
      ("cos", portableCos, { Foundation.cos($0) }, 1e5, 1),
    ]
  }

  /// `log` takes |x|, `log1p` |x| − 0.999 (so that it sees arguments close to −1 too), `sin` and
  /// `cos` |x| < 10⁶ (past 2²⁰·π/2 they are glibc's, see `portableSin`).
  static func argument(_ name: String, _ x: Double) -> Double {
    switch name {
    case "log": return Swift.abs(x)
    case "log1p": return Swift.abs(x) - 0.999
    case "sin", "cos": return x.truncatingRemainder(dividingBy: 1e6)
    default: return x
    }
  }

  func testPortableFunctionsAreWithinTheirUlpsOfTheExtendedPrecisionValue() {
    for (name, f, reference, wide, bound) in Self.functions {
      var inputs = Inputs(state: 17)
      var worst = (ulps: 0.0, x: 0.0)
      for i in 0..<200_000 {
        let x = Self.argument(name, inputs.value(i, wide: wide))
        let exact = reference(Float80(x))
        let y = f(x)
        if exact.isFinite && Double(exact).isFinite && Double(exact) != 0 {
          let e = Self.ulps(y, exact)
          if e > worst.ulps { worst = (e, x) }
        } else if exact.isNaN {
          XCTAssertTrue(y.isNaN, "\(name)(\(x)) = \(y), not NaN")
        } else {
          XCTAssertEqual(y.bitPattern, Double(exact).bitPattern, "\(name)(\(x))")
        }
      }
      XCTAssertLessThanOrEqual(worst.ulps, bound, "\(name): worst at x = \(worst.x)")
    }
  }

  func testPortableFunctionsSpecialValues() {
    let bits = { (x: Double) in x.bitPattern }
    XCTAssertEqual(portableExp(0), 1)
    XCTAssertEqual(portableExp(1), 2.718281828459045, accuracy: 4.5e-16)
    XCTAssertEqual(portableExp(-.infinity), 0)
    XCTAssertEqual(portableExp(.infinity), .infinity)
    XCTAssertEqual(portableExp(709.78), Foundation.exp(709.78), accuracy: Foundation.exp(709.78).ulp)
    XCTAssertEqual(portableExp(709.8), .infinity)
    XCTAssertEqual(portableExp(-745.2), 0)
    XCTAssertEqual(portableExp(-745), .leastNonzeroMagnitude)
    XCTAssertTrue(portableExp(.nan).isNaN)
    XCTAssertEqual(bits(portableExpm1(-0.0)), bits(-0.0))
    XCTAssertEqual(bits(portableExpm1(0)), bits(0))
    XCTAssertEqual(portableExpm1(1e-300), 1e-300)
    XCTAssertEqual(portableExpm1(-.infinity), -1)
    XCTAssertEqual(portableExpm1(-50), -1)
    XCTAssertEqual(portableExpm1(.infinity), .infinity)
    XCTAssertEqual(portableExpm1(710), .infinity)
    XCTAssertTrue(portableExpm1(.nan).isNaN)
    XCTAssertEqual(bits(portableLog(1)), bits(0))
    XCTAssertEqual(portableLog(0), -.infinity)
    XCTAssertEqual(portableLog(-0.0), -.infinity)
    XCTAssertEqual(portableLog(.infinity), .infinity)
    XCTAssertEqual(portableLog(.leastNonzeroMagnitude), -744.4400719213812)
    XCTAssertEqual(portableLog(.greatestFiniteMagnitude), 709.782712893384)
    XCTAssertTrue(portableLog(-1).isNaN)
    XCTAssertTrue(portableLog(.nan).isNaN)
    XCTAssertEqual(bits(portableLog1p(-0.0)), bits(-0.0))
    XCTAssertEqual(portableLog1p(-1), -.infinity)
    XCTAssertEqual(portableLog1p(.infinity), .infinity)
    XCTAssertEqual(portableLog1p(.greatestFiniteMagnitude), 709.782712893384)
    XCTAssertTrue(portableLog1p(-1.5).isNaN)
    XCTAssertTrue(portableLog1p(.nan).isNaN)
    XCTAssertEqual(bits(portableSin(-0.0)), bits(-0.0))
    XCTAssertEqual(portableCos(0), 1)
    XCTAssertEqual(portableSin(.pi), 1.2246467991473532e-16)
    XCTAssertEqual(portableCos(.pi), -1)
    XCTAssertTrue(portableSin(.infinity).isNaN)
    XCTAssertTrue(portableCos(.nan).isNaN)
  }

  /// FNV-1a over the bit patterns of every function on 10⁵ fixed inputs each.
  static func bitsDigest() -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for (index, (name, f, _, wide, _)) in functions.enumerated() {
      var inputs = Inputs(state: 1000 + UInt64(index))
      for i in 0..<100_000 {
        var v = f(argument(name, inputs.value(i, wide: wide))).bitPattern
        for _ in 0..<8 {
          hash = (hash ^ (v & 0xff)) &* 0x100_0000_01b3
          v >>= 8
        }
      }
    }
    return hash
  }

  func testPortableFunctionsKeepTheirBits() {
    // Pinned: any change to a coefficient, the reduction or the order of an operation changes it;
    // the CPU, the compiler's vector width and the thread count must not.
    XCTAssertEqual(String(Self.bitsDigest(), radix: 16), "9f7a39510a87d8fc")
  }

  /// glibc's tanh as an activation: what `Tanh` was before it became portable.
  struct GlibcTanh: ElementwiseActivation {
    func f(_ z: Double) -> Double { Foundation.tanh(z) }
    func df(_ z: Double, _ a: Double) -> Double { 1 - a * a }
    var description: String { "tanh" }
  }

  func testTanhIsThePortableOneAndATrainingKeepsItsBits() throws {
    // `Tanh` and `FastTanh` are now one function, so a training gives the same bits with either;
    // glibc's tanh differs in last bits, and a training amplifies that (this is what used to make
    // the handouts depend on the CPU): the comparison could fail.
    var rng = SeededRandom(seed: 1)
    let data = Dataset.spirals(n: 200, noise: 0, rng: &rng)
    func run(_ hidden: some Activation) throws -> [Double] {
      var rng = SeededRandom(seed: 42)
      var net = Sequential(sizes: [2, 16, 16, 1], hidden: hidden, output: .sigmoid, rng: &rng)
      var adam = Adam(gamma: 0.01)
      let history = try net.train(
        on: data, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 30))
      return history.epochs.map(\.loss)
    }
    let tanh = try run(Tanh())
    XCTAssertEqual(tanh.map(\.bitPattern), try run(FastTanh()).map(\.bitPattern))
    XCTAssertNotEqual(tanh.map(\.bitPattern), try run(GlibcTanh()).map(\.bitPattern))
    XCTAssertLessThan(tanh.last!, tanh.first!)  // it did train
    for x in stride(from: -5.0, through: 5, by: 0.37) {
      XCTAssertEqual(Tanh().f(x).bitPattern, portableTanh(x).bitPattern)
    }
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

  /// A clock that moves 1 µs each time it is read: the caller's own part takes no time, and a wait
  /// for a worker takes as long as the caller polls.
  final class TickingClock: Sendable {
    let ns = Atomic<UInt64>(0)
    func read() -> UInt64 { ns.add(1_000, ordering: .relaxed).newValue }
  }
  static let clock = TickingClock()
  /// A pool of one worker for the test alone: no back-off left over by other tests' loops. (Kept for
  /// the process: its worker thread holds it unowned.)
  static let latePool = WorkerPool(workers: 1, clock: { clock.read() })

  func testALateWorkerMakesTheCallerSleepThenRunLoopsAlone() throws {
    // A worker that is descheduled while it holds a part must not make the caller spin: the caller
    // sleeps until the part is done, then runs the next loops alone (the back-off), and every loop
    // still runs each part once. No race is hoped for: the caller's part holds on until the worker
    // has the other one, and the worker's part holds on until the caller has gone to sleep.
    let pool = Self.latePool
    let caller = pthread_self()
    let lock = NSLock()
    let workerHasPart = DispatchSemaphore(value: 0)
    var callerSlept = true
    func loop(lateWorker: Bool) -> (seen: [Int], workerParts: Int) {
      var seen = [0, 0]
      var workerParts = 0
      let sleeps = pool.statistics.sleeps
      XCTAssertTrue(pool.tryAcquire())
      pool.run(parts: 2) { p in
        let onWorker = pthread_equal(pthread_self(), caller) == 0
        if lateWorker && onWorker {
          workerHasPart.signal()
          let deadline = Date() + 30
          while pool.statistics.sleeps == sleeps && Date() < deadline { usleep(200) }
          if pool.statistics.sleeps == sleeps { callerSlept = false }
        } else if lateWorker {
          XCTAssertEqual(workerHasPart.wait(timeout: .now() + 30), .success, "no worker took a part in 30 s")
        }
        lock.lock()
        defer { lock.unlock() }
        if onWorker { workerParts += 1 }
        seen[p] += 1
      }
      return (seen, workerParts)
    }
    let before = pool.statistics
    let late = loop(lateWorker: true)
    XCTAssertEqual(late.seen, [1, 1])
    XCTAssertEqual(late.workerParts, 1)
    XCTAssertTrue(callerSlept, "the caller spun for 30 s instead of sleeping")
    XCTAssertEqual(pool.statistics.sleeps, before.sleeps + 1)
    XCTAssertTrue(pool.isBackingOff, "a wait longer than the caller's own work backs off")
    let next = loop(lateWorker: false)
    XCTAssertEqual(next.seen, [1, 1])
    XCTAssertEqual(next.workerParts, 0, "the loop after a wait runs on the caller alone")
    XCTAssertEqual(pool.statistics.backedOff, before.backedOff + 1)
    XCTAssertEqual(pool.statistics.loops, before.loops + 2)
  }

  func testLoopsBelowTheSplitSizeNeverTouchThePool() throws {
    // W3's loops (1000 × 16 layers) are below the split size: a training of W3's shape must not run
    // one loop through the pool (the pool is not even created if nothing else needed it), so two
    // threads cost W3 nothing over one.
    try XCTSkipIf(Parallel.threads < 2, "one core: there is no pool")
    let before = Parallel.poolStatistics
    var rng = SeededRandom(seed: 1)
    let data = Dataset.spirals(n: 1000, noise: 0, rng: &rng)
    var net = Sequential(sizes: [2, 16, 16, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
    var adam = Adam(gamma: 0.01)
    _ = try net.train(on: data, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 20))
    XCTAssertEqual(Parallel.poolStatistics?.loops, before?.loops)
    // A loop above it does go through the pool (so the counter above can see one).
    Parallel.forEachRange(64, costPerItem: 1 << 20) { _ in }
    XCTAssertEqual(Parallel.poolStatistics?.loops, (before?.loops ?? 0) + 1)
  }

  func testOnlyAWaitLongerThanTheWorkSavedMeansTheSecondCoreIsMissing() {
    // W6's products: the caller's half takes ~2 ms and the worker's ends 0.3 ms later. The caller
    // slept past its 30 µs spin, yet both cores did work (2.3 ms against ~4 ms alone): keep both.
    XCTAssertFalse(
      WorkerPool.secondCoreMissing(
        callerWork: 2_000_000, callerParts: 1, parts: 2, slept: true, waited: 300_000))
    // A worker on a shared core, half as fast: 1.8 ms against 2 ms alone is still a gain.
    XCTAssertFalse(
      WorkerPool.secondCoreMissing(
        callerWork: 1_000_000, callerParts: 1, parts: 2, slept: true, waited: 800_000))
    // W3 with a core busy: a 5 µs half, and the worker descheduled for a time slice (3 ms).
    XCTAssertTrue(
      WorkerPool.secondCoreMissing(
        callerWork: 5_000, callerParts: 1, parts: 2, slept: true, waited: 3_000_000))
    // Longer than the caller alone would have taken (2 ms): no gain, back off.
    XCTAssertTrue(
      WorkerPool.secondCoreMissing(
        callerWork: 1_000_000, callerParts: 1, parts: 2, slept: true, waited: 1_200_000))
    // Three of four parts on the caller (3 ms, 1 ms a part) and a 0.5 ms wait: 3.5 < 4 ms.
    XCTAssertFalse(
      WorkerPool.secondCoreMissing(
        callerWork: 3_000_000, callerParts: 3, parts: 4, slept: true, waited: 500_000))
    // No sleep (the spin was enough), or the workers ran every part: nothing says a core is missing.
    XCTAssertFalse(
      WorkerPool.secondCoreMissing(callerWork: 5_000, callerParts: 1, parts: 2, slept: false, waited: 0))
    XCTAssertFalse(
      WorkerPool.secondCoreMissing(callerWork: 0, callerParts: 0, parts: 2, slept: true, waited: 2_000_000))
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
