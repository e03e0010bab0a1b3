import Foundation
import Synchronization
import XCTest

@testable import Neural

/// A worker that waits on its run queue (another process has its core) makes the caller run the next
/// loops alone, and keeps doing so until loops go by without such waits (bench/README.md 49.). The
/// pools here read a run-queue wait the test moves by hand; the last test reads the kernel's.
final class WorkerContentionTests: XCTestCase {
  /// The run-queue wait the pools' workers read, in ns: a worker's part moves it to say "I waited".
  static let wait = Atomic<UInt64>(0)
  /// Pools of one worker for each test alone (kept for the process: the worker holds its pool unowned).
  static let pool = WorkerPool(workers: 1, runQueueWait: { { handWait() } })
  static let calmPool = WorkerPool(workers: 1, runQueueWait: { { handWait() } })
  @Sendable static func handWait() -> UInt64 { wait.load(ordering: .relaxed) }

  /// Runs one two-part loop on `pool` and returns how many parts the worker ran (with `needWorker`,
  /// 1, or 2 when a spinning worker took both before the caller took one). `workerWaits`: the
  /// worker's part adds that many ns to the run-queue wait. `needWorker`: the caller's part holds on
  /// until the worker has the other one, then 5 ms (the loop is meant to use the worker).
  func loop(_ pool: WorkerPool, workerWaits: UInt64 = 0, needWorker: Bool) -> Int {
    let caller = pthread_self()
    let workerTook = DispatchSemaphore(value: 0)
    let workerParts = Atomic<Int>(0)
    let waitAdded = Atomic<Bool>(false)
    XCTAssertTrue(pool.tryAcquire())
    pool.run(parts: 2) { _ in
      if pthread_equal(pthread_self(), caller) == 0 {
        // Once a loop: a worker that is already spinning may take both parts before the caller.
        if !waitAdded.exchange(true, ordering: .relaxed) { Self.wait.add(workerWaits, ordering: .relaxed) }
        workerParts.add(1, ordering: .relaxed)
        workerTook.signal()
      } else if needWorker {
        XCTAssertEqual(workerTook.wait(timeout: .now() + 30), .success, "no worker took a part in 30 s")
        // Longer than the caller's wait for the worker's last step could be: the old rule (a wait
        // longer than the caller's own work) must not back off in these loops.
        usleep(5_000)
      }
    }
    return workerParts.load(ordering: .relaxed)
  }

  /// Waits (up to 30 s) until the pool's worker has reported `count` waits for its core: it reads the
  /// run-queue wait after its parts, when the caller may already have left the loop.
  func awaitContended(_ pool: WorkerPool, _ count: Int) {
    let deadline = Date() + 30
    while pool.statistics.contended < count && Date() < deadline { usleep(200) }
    XCTAssertEqual(pool.statistics.contended, count, "the worker's wait for its core was not reported")
  }

  func testAWorkerThatWaitedForItsCoreMakesTheNextLoopsRunOnTheCaller() {
    let pool = Self.pool
    // A wait shorter than a time slice (a wake-up, a kernel thread) says nothing.
    XCTAssertGreaterThan(loop(pool, workerWaits: WorkerPool.contendedWait / 2, needWorker: true), 0)
    XCTAssertGreaterThan(loop(pool, needWorker: true), 0, "a short wait made the pool back off")
    XCTAssertEqual(pool.statistics.contended, 0)
    // A slice's wait: the next loops run on the caller, though this loop's wait was no longer than
    // the caller's own work (the old rule alone would not back off).
    let before = pool.statistics
    XCTAssertGreaterThan(loop(pool, workerWaits: WorkerPool.contendedWait, needWorker: true), 0)
    awaitContended(pool, 1)
    XCTAssertEqual(loop(pool, needWorker: false), 0, "the loop after a wait for the core used the worker")
    XCTAssertTrue(pool.isBackingOff)
    XCTAssertEqual(pool.statistics.backedOff, before.backedOff + 1)
    while pool.isBackingOff { _ = loop(pool, needWorker: false) }
  }

  func testTheBackOffForAContendedCoreShrinksOnlyAfterCalmLoops() {
    // Another process on the worker's core lets the worker run for a slice, then takes the core
    // for one: a few loops without a wait come between the waits. The back-off must grow from one
    // wait to the next all the same (8, then 16 loops), and shrink only after `contendedCalm`
    // loops without one.
    let pool = Self.calmPool
    func stretch(afterWaitFollowedBy goodLoops: Int) -> Int {
      for _ in 0..<goodLoops { XCTAssertGreaterThan(loop(pool, needWorker: true), 0) }
      let contended = pool.statistics.contended
      XCTAssertGreaterThan(loop(pool, workerWaits: 2 * WorkerPool.contendedWait, needWorker: true), 0)
      awaitContended(pool, contended + 1)
      var serial = 0
      repeat {
        XCTAssertEqual(loop(pool, needWorker: false), 0)
        serial += 1
      } while pool.isBackingOff
      return serial
    }
    XCTAssertEqual(stretch(afterWaitFollowedBy: 0), 8)
    XCTAssertEqual(stretch(afterWaitFollowedBy: 3), 16, "loops between two waits shrank the back-off")
    XCTAssertEqual(
      stretch(afterWaitFollowedBy: WorkerPool.contendedCalm + 1), 16, "calm loops did not shrink it")
  }

  func testTheRunQueueWaitIsReadFromTheKernel() throws {
    XCTAssertEqual(parse("5125 330117 21\n"), 330117)
    XCTAssertEqual(parse("5125 330117"), 330117)
    XCTAssertNil(parse("5125\n"))
    #if os(Linux)
      let reader = try XCTUnwrap(RunQueueWait(), "no /proc/thread-self/schedstat")
      // More busy threads than cores: this thread, busy too, must wait on a run queue.
      let stop = Atomic<Bool>(false)
      let busy = 2 * ProcessInfo.processInfo.activeProcessorCount
      let stopped = DispatchGroup()
      for _ in 0..<busy {
        stopped.enter()
        Thread {
          while !stop.load(ordering: .relaxed) {}
          stopped.leave()
        }.start()
      }
      let start = reader.read()
      let deadline = Date() + 30
      while reader.read() &- start < WorkerPool.contendedWait && Date() < deadline {}
      stop.store(true, ordering: .relaxed)
      stopped.wait()
      XCTAssertGreaterThanOrEqual(reader.read() &- start, WorkerPool.contendedWait)
    #endif
  }

  func parse(_ text: String) -> UInt64? {
    Array(text.utf8).withUnsafeBufferPointer { RunQueueWait.secondNumber($0) }
  }
}
