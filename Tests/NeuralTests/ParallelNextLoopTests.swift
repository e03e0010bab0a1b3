import Foundation
import Synchronization
import XCTest

@testable import Neural

/// Side work offered with the caller's next loop (`Parallel.beside(_:withNextLoop:main:)`, W6's next
/// batch copied in the serial stretch after the forward product), loops started from side work on a
/// worker, and training that copies its next batch beside the step with the plain loop's bits.
final class ParallelNextLoopTests: XCTestCase {
  /// A pool of one worker for these tests alone (kept for the process: its worker holds it unowned).
  static let pool = WorkerPool(workers: 1)

  func testSideWorkWithTheNextLoopWaitsForItThenRunsOnTheWorker() {
    let pool = Self.pool
    let caller = pthread_self()
    let lock = NSLock()
    var (sideStarted, sideOnCaller, workerParts) = (false, true, 0)
    var startedBeforeTheLoop = true
    let sideDone = DispatchSemaphore(value: 0)
    pool.runBeside(
      { _ in
        lock.withLock { (sideStarted, sideOnCaller) = (true, pthread_equal(pthread_self(), caller) != 0) }
        sideDone.signal()
      }, withNextLoop: true
    ) {
      // Offered with no loop yet: the worker has nothing to start, however long main takes.
      usleep(50_000)
      startedBeforeTheLoop = lock.withLock { sideStarted }
      XCTAssertTrue(pool.tryAcquire())
      pool.run(parts: 2) { _ in
        if pthread_equal(pthread_self(), caller) == 0 {
          lock.withLock { workerParts += 1 }
        } else {
          // The caller's part waits for the worker to take the other one (then the side work).
          let deadline = Date() + 20
          while lock.withLock({ workerParts }) == 0 && Date() < deadline { usleep(100) }
        }
      }
      // After the loop, the worker takes the side work while main still runs.
      XCTAssertEqual(sideDone.wait(timeout: .now() + 20), .success, "the side work did not run beside main")
    }
    XCTAssertFalse(startedBeforeTheLoop, "side work offered with the next loop started before it")
    XCTAssertGreaterThan(workerParts, 0, "the worker did not take a part of the loop")
    XCTAssertFalse(sideOnCaller)
  }

  func testSideWorkWithTheNextLoopRunsOnTheCallerWhenMainRunsNoLoop() {
    let caller = pthread_self()
    var order: [String] = []
    Self.pool.runBeside(
      { _ in
        XCTAssertNotEqual(pthread_equal(pthread_self(), caller), 0)
        order.append("side")
      }, withNextLoop: true
    ) {
      usleep(20_000)
      order.append("main")
    }
    XCTAssertEqual(order, ["main", "side"])
  }

  func testLoopsInSideWorkOnAWorkerRunOnThatWorker() throws {
    // Side work that starts a large loop must not take the shared pool: the caller's next loop
    // would then find it held and run alone (W6's backward product, on one core).
    try XCTSkipIf(Parallel.threads < 2, "one thread: no workers")
    let lock = NSLock()
    var threads: [pthread_t] = []
    let done = DispatchSemaphore(value: 0)
    Self.pool.runBeside({ _ in
      Parallel.forEachRange(1 << 12, costPerItem: 1 << 10) { _ in
        lock.withLock { threads.append(pthread_self()) }
        usleep(2_000)  // long enough for a free worker to take a part
      }
      done.signal()
    }) {
      XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the side work did not run beside main")
    }
    XCTAssertEqual(threads.count, Parallel.threads)
    XCTAssertTrue(threads.allSatisfy { pthread_equal($0, threads[0]) != 0 }, "the side work's loop was split")
  }

  func testTrainingCopiesTheNextBatchBesideTheStepWithTheLoopsBits() throws {
    // 64 × 600 doubles a batch: the next batch is copied beside the step. The network and the
    // history must have the bits of the plain loop (copy, step, record).
    let (n, q, k, m) = (192, 600, 4, 64)
    XCTAssertGreaterThanOrEqual(m * q, TrainingRun.fetchedBesideWork)
    var rng = SeededRandom(seed: 7)
    let X = Matrix(rows: n, cols: q, (0..<(n * q)).map { _ in rng.uniform() })
    let data = Dataset(X: X, labels: (0..<n).map { $0 % k }, classes: k)
    let net = Sequential(sizes: [q, 32, k], hidden: .relu, output: .softmax, initializer: .he, rng: &rng)
    var trained = net
    var sgd = MiniBatchSGD(gamma: 0.1, batchSize: m)
    let before = TrainingRun.fetchedBeside.load(ordering: .relaxed)
    let history = try trained.train(
      on: data, loss: .categoricalCrossEntropy, optimizer: &sgd, options: .init(epochs: 2, seed: 5))
    // Two of each epoch's three batches come beside the step before them.
    let fetched = TrainingRun.fetchedBeside.load(ordering: .relaxed) - before
    XCTAssertEqual(fetched, Parallel.threads > 1 ? 4 : 0)

    var manual = net
    var sgd2 = MiniBatchSGD(gamma: 0.1, batchSize: m)
    var order = Array(0..<n)
    var shuffle = SeededRandom(seed: 5)
    for epoch in history.epochs {
      shuffle.shuffle(&order)
      var (lossSum, correct) = (0.0, 0)
      for start in stride(from: 0, to: n, by: m) {
        let batch = Array(order[start..<(start + m)])
        let (x, y) = (data.X.rows(batch), data.Y.rows(batch))
        let g = manual.lossAndGradients(x, y, .categoricalCrossEntropy)
        sgd2.step(&manual, g.gradients)
        lossSum += g.loss * Double(m)
        correct += Dataset.correctCount(
          g.output, y, decision: CategoricalCrossEntropy.categoricalCrossEntropy.decision)
      }
      XCTAssertEqual(epoch.loss.bitPattern, (lossSum / Double(n)).bitPattern, "epoch \(epoch.epoch)")
      XCTAssertEqual(epoch.accuracy, Double(correct) / Double(n))
    }
    XCTAssertEqual(trained.layers[0].W.storage, manual.layers[0].W.storage)
    XCTAssertEqual(trained.layers[1].W.storage, manual.layers[1].W.storage)
  }
}
