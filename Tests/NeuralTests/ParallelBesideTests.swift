import Foundation
import XCTest

@testable import Neural

/// `Parallel.beside` and finer parts: side work on a worker while the caller goes on, the worker
/// joining the caller's loops afterwards, the caller running it when no worker can, and training's
/// gradient norms computed beside the step with the serial loop's bits.
final class ParallelBesideTests: XCTestCase {
  /// A pool of one worker for these tests alone (kept for the process: its worker holds it unowned).
  static let pool = WorkerPool(workers: 1)

  func testSideWorkRunsOnAWorkerWhileMainRuns() {
    let pool = Self.pool
    let caller = pthread_self()
    let started = DispatchSemaphore(value: 0)
    var sideOnCaller = true
    var sideRanDuringMain = false
    pool.runBeside({ _ in
      sideOnCaller = pthread_equal(pthread_self(), caller) != 0
      started.signal()
    }) {
      // Main holds on until the side work has started: it can only start on another thread.
      sideRanDuringMain = started.wait(timeout: .now() + 20) == .success
    }
    XCTAssertTrue(sideRanDuringMain, "the side work did not start while main ran")
    XCTAssertFalse(sideOnCaller)
  }

  func testTheWorkerJoinsMainsLoopsAfterTheSideWork() {
    let pool = Self.pool
    let caller = pthread_self()
    let lock = NSLock()
    var seen = [Int](repeating: 0, count: 8)
    var workerParts = 0
    var sideDone = false
    pool.runBeside({ _ in
      lock.withLock { sideDone = true }
    }) {
      XCTAssertTrue(pool.tryAcquire())
      pool.run(parts: 8) { p in
        let onWorker = pthread_equal(pthread_self(), caller) == 0
        if !onWorker && p == 0 {
          // The caller's first part waits for the worker to take one of the others.
          let deadline = Date() + 20
          while lock.withLock({ workerParts }) == 0 && Date() < deadline { usleep(100) }
        }
        lock.withLock {
          seen[p] += 1
          if onWorker { workerParts += 1 }
        }
      }
    }
    XCTAssertTrue(sideDone)
    XCTAssertEqual(seen, [Int](repeating: 1, count: 8))
    XCTAssertGreaterThan(workerParts, 0, "the worker did not join the loop after its side work")
  }

  func testSideWorkRunsOnTheCallerAfterMainWhenThePoolIsHeld() {
    let pool = Self.pool
    let caller = pthread_self()
    var order: [String] = []
    XCTAssertTrue(pool.tryAcquire())  // another loop has the pool
    pool.runBeside({ _ in
      XCTAssertNotEqual(pthread_equal(pthread_self(), caller), 0)
      order.append("side")
    }) {
      order.append("main")
    }
    pool.run(parts: 1) { _ in }  // the held "loop" ends, releasing the pool
    XCTAssertEqual(order, ["main", "side"])
  }

  /// A pool for `testAWorkerThatSleepsIsCounted` alone: its worker's sleeps are counted from its start.
  static let sleepPool = WorkerPool(workers: 1)

  func testAWorkerThatSleepsIsCounted() {
    // `NEURAL_POOL_STATS`' "worker sleeps": a worker idle past its spin sleeps, and says so once.
    // The pool's own worker sleeps once after its start (no loop came); only then is it known to be
    // asleep (a worker still spinning after another test's loop would sleep once more in between).
    let pool = Self.sleepPool
    let started = Date() + 20
    while pool.statistics.workerSleeps == 0 && Date() < started { usleep(1000) }
    let before = pool.statistics.workerSleeps
    XCTAssertTrue(pool.tryAcquire())
    pool.run(parts: 2) { _ in }
    let deadline = Date() + 20
    while pool.statistics.workerSleeps == before && Date() < deadline { usleep(1000) }
    XCTAssertEqual(pool.statistics.workerSleeps, before + 1)
    usleep(20_000)
    XCTAssertEqual(pool.statistics.workerSleeps, before + 1, "a sleeping worker counted again")
  }

  func testBesideReturnsTheSideResult() {
    var mainRan = 0
    let x = (0..<100_000).map { Double($0).squareRoot() }
    let sum = Parallel.beside({ x.reduce(0, +) }) { mainRan += 1 }
    XCTAssertEqual(sum, x.reduce(0, +))
    XCTAssertEqual(mainRan, 1)
  }

  func testPartsPerThreadCutsASplitLoopFiner() {
    let lock = NSLock()
    var ranges: [Range<Int>] = []
    Parallel.forEachRange(1000, granule: 8, costPerItem: 1 << 20, partsPerThread: 4) { r in
      lock.withLock { ranges.append(r) }
    }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    XCTAssertEqual(ranges.count, Parallel.threads > 1 ? 4 * Parallel.threads : 1)
    XCTAssertEqual(ranges.first?.lowerBound, 0)
    XCTAssertEqual(ranges.last?.upperBound, 1000)
    for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
    for r in ranges.dropLast() { XCTAssertEqual(r.count % 8, 0) }
  }

  func testTrainingNormsBesideTheStepHaveTheSerialBits() throws {
    // 300 × 256 weights in the first layer: the norms are summed beside the step. The history must
    // hold the bits of the plain loop: step, then each layer's norm, summed over the epoch's steps.
    let (n, q, k) = (96, 300, 4)
    XCTAssertGreaterThanOrEqual(q * 256, EpochTally<CategoricalCrossEntropy>.besideWeights)
    var rng = SeededRandom(seed: 3)
    let X = Matrix(rows: n, cols: q, (0..<(n * q)).map { _ in rng.uniform() })
    let data = Dataset(X: X, labels: (0..<n).map { $0 % k }, classes: k)
    let net = Sequential(sizes: [q, 256, k], hidden: .relu, output: .softmax, initializer: .he, rng: &rng)
    var trained = net
    var sgd = MiniBatchSGD(gamma: 0.1, batchSize: 32)
    let history = try trained.train(
      on: data, loss: .categoricalCrossEntropy, optimizer: &sgd, options: .init(epochs: 2, seed: 5))

    var manual = net
    var sgd2 = MiniBatchSGD(gamma: 0.1, batchSize: 32)
    var order = Array(0..<n)
    var shuffle = SeededRandom(seed: 5)
    for epoch in history.epochs {
      shuffle.shuffle(&order)
      var sums = [0.0, 0.0]
      for start in stride(from: 0, to: n, by: 32) {
        let batch = Array(order[start..<(start + 32)])
        let g = manual.lossAndGradients(data.X.rows(batch), data.Y.rows(batch), .categoricalCrossEntropy)
        sgd2.step(&manual, g.gradients)
        for l in 0..<2 { sums[l] += g.gradients[l].dW.storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }
      }
      XCTAssertEqual(
        epoch.gradientNorms.map(\.bitPattern), sums.map { ($0 / 3).bitPattern }, "epoch \(epoch.epoch)")
    }
    XCTAssertEqual(trained.layers[0].W.storage, manual.layers[0].W.storage)
  }
}
