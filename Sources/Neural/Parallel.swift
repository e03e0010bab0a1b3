import Foundation
import Synchronization

/// Splitting work across the machine's cores without changing a single bit of the result.
///
/// Every parallel loop in Neural hands each thread a disjoint range of *outputs* (rows of a product,
/// elements of an activation), and each output is computed by exactly the arithmetic, in exactly the
/// order, the one-thread loop uses. Nothing is ever summed across threads, so the result is the same
/// on 1, 2 or 64 cores, and the same as before threads existed.
///
/// `NEURAL_THREADS=1` in the environment turns it off (any other number caps the threads).
public enum Parallel {
  /// Threads used for large loops: the processor count, or `NEURAL_THREADS` when set.
  public static let threads: Int = {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if let text = ProcessInfo.processInfo.environment["NEURAL_THREADS"], let n = Int(text), n >= 1 {
      return min(n, max(cores, 1))
    }
    return min(max(cores, 1), 16)
  }()

  /// Runs `body` over `0..<count` split into contiguous ranges whose starts are multiples of
  /// `granule`, on up to `threads` threads; one range when the loop is too small to be worth a
  /// thread (`count · costPerItem < minimumWork`). The ranges cover `0..<count` exactly once.
  /// While another loop holds the workers (a call from a second thread, or from inside `body`), and
  /// in side work a worker runs (`beside`), the ranges run one after another on the calling thread:
  /// same ranges, same result.
  ///
  /// `minimumWork` (2¹⁹ multiply-adds or activations by default) is what a thread must get to pay
  /// for handing it over: with 2¹⁶, W3's layers (1000 × 16) were split across both cores and ran
  /// 7% slower than on one (10% with another process on the second core; `make bench`, W3 rows).
  ///
  /// `partsPerThread` above 1 cuts a split loop into that many parts per thread, claimed by whichever
  /// thread is free: for elementwise loops, where a part costs no set-up, so that a worker that comes
  /// late (from `beside`'s side work) still takes its share.
  public static func forEachRange(
    _ count: Int, granule: Int = 1, costPerItem: Int = 1, minimumWork: Int = 1 << 19,
    partsPerThread: Int = 1, _ body: (Range<Int>) -> Void
  ) {
    let granules = (count + granule - 1) / max(granule, 1)
    let work = count.multipliedReportingOverflow(by: costPerItem)
    let byWork = work.overflow ? threads : work.partialValue / max(minimumWork, 1)
    let threadsUsed = min(threads, granules, max(byWork, 1))
    let parts = threadsUsed <= 1 ? 1 : min(threadsUsed * max(partsPerThread, 1), granules)
    if parts <= 1 {
      body(0..<count)
      return
    }
    // Granules per part, spread as evenly as they go.
    func part(_ p: Int) {
      let start = min(count, (granules * p / parts) * granule)
      let end = min(count, (granules * (p + 1) / parts) * granule)
      if start < end { body(start..<end) }
    }
    guard let pool = WorkerPool.shared, !WorkerPool.onWorker, pool.tryAcquire() else {
      for p in 0..<parts { part(p) }
      return
    }
    withoutActuallyEscaping(part) { part in pool.run(parts: parts, part) }
  }

  /// Runs `main` on the calling thread and `side` beside it on a worker, and returns `side`'s result
  /// when both are done. Loops inside `main` still use the pool, and the worker joins them once
  /// `side` is done (a loop with `partsPerThread` > 1 then still gets shared). With one thread, while
  /// the pool backs off, or while another `beside` runs, `side` runs on the caller after `main`.
  /// `side` must not touch what `main` changes; which thread runs it changes none of its bits.
  ///
  /// `withNextLoop`: `side` is offered to a worker with `main`'s first loop on the pool, and the worker
  /// takes it after its parts of that loop: for side work that fits in the serial stretch after that
  /// loop (parts of a later loop that the busy worker does not take run on the caller).
  public static func beside<T>(_ side: () -> T, withNextLoop: Bool = false, main: () -> Void) -> T {
    var result: T?
    withoutActuallyEscaping(side) { side in
      let body: (Int) -> Void = { _ in result = side() }
      if let pool = WorkerPool.shared {
        pool.runBeside(body, withNextLoop: withNextLoop, main: main)
      } else {
        main()
        body(0)
      }
    }
    guard let result else { preconditionFailure("Parallel.beside: the side work did not run") }
    return result
  }

  /// What the worker pool has done in this process, or nil if it was never created: no loop reached
  /// the split size (`minimumWork`), or there is one thread. A loop below the split size never
  /// touches the pool, so it changes none of these (`NEURAL_POOL_STATS=1 handout-bench w3` prints them).
  public static var poolStatistics: PoolStatistics? {
    WorkerPool.created.load(ordering: .acquiring) ? WorkerPool.shared?.statistics : nil
  }
}

/// The worker pool's counters (``Parallel/poolStatistics``).
public struct PoolStatistics: Sendable, Equatable, CustomStringConvertible {
  /// Loops the pool ran, on the workers or (while backing off) on the caller alone, and side work
  /// offered to a worker (`Parallel.beside`).
  public var loops = 0
  /// Of those, loops run on the caller alone because an earlier wait said the second core was missing.
  public var backedOff = 0
  /// Times the caller stopped spinning for a worker's last part and slept until it was done.
  public var sleeps = 0
  /// Parts run by the workers (the caller ran the rest).
  public var workerParts = 0
  /// Times a worker found no loop within its spin and slept (the next loop then had to wake it).
  public var workerSleeps = 0
  /// Times a worker found it had waited on its run queue for another thread (another process on its
  /// core): each begins a back-off.
  public var contended = 0

  /// `loops L (backed off B), caller sleeps S, worker parts W, worker sleeps Z, worker waited for its
  /// core C`.
  public var description: String {
    "loops \(loops) (backed off \(backedOff)), caller sleeps \(sleeps), worker parts \(workerParts), "
      + "worker sleeps \(workerSleeps), worker waited for its core \(contended)"
  }
}
