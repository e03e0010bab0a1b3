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
  /// While another loop holds the workers (a call from a second thread, or from inside `body`),
  /// the ranges run one after another on the calling thread: same ranges, same result.
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
    guard let pool = WorkerPool.shared, pool.tryAcquire() else {
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
  public static func beside<T>(_ side: () -> T, main: () -> Void) -> T {
    var result: T?
    withoutActuallyEscaping(side) { side in
      let body: (Int) -> Void = { _ in result = side() }
      if let pool = WorkerPool.shared {
        pool.runBeside(body, main: main)
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

  /// `loops L (backed off B), caller sleeps S, worker parts W, worker sleeps Z`.
  public var description: String {
    "loops \(loops) (backed off \(backedOff)), caller sleeps \(sleeps), worker parts \(workerParts), "
      + "worker sleeps \(workerSleeps)"
  }
}

/// `threads − 1` long-lived worker threads that take parts of one loop at a time.
///
/// Training calls a parallel loop a few thousand times a second on small layers, where waking a
/// sleeping thread (a futex and a scheduler round trip, 10–50 µs in a VM) cost more than the loop.
/// A worker that has just finished spins for a short while (20 000 polls: ~5 µs on the Zen 5 of
/// bench/README.md 41., where a sleeping worker takes ≥ 6 µs to wake) before it sleeps, so the
/// next loop of a training step finds it awake; a worker idle for longer costs nothing.
///
/// Never slower than one thread when the machine is busy: parts are claimed, not assigned, so the
/// caller takes every part a late worker has not started. When a worker did claim a part but was
/// then descheduled (another process has its core), the caller spins only briefly (`callerSpin`)
/// and then sleeps until the part is done, which frees its core for the worker. A wait that makes
/// the loop no faster than the caller alone would have been (`secondCoreMissing`) means the second
/// core is not really there: the pool then runs the next loops on the caller alone
/// (8, 16, … up to 4096 loops, doubling while the waits recur, halving after loops without one) and
/// tries the workers again. Which thread computes a part never changes a bit of the result.
final class WorkerPool: @unchecked Sendable {
  /// A pool for `Parallel.threads`, or nil with one thread.
  static let shared: WorkerPool? = {
    created.store(true, ordering: .releasing)
    return Parallel.threads > 1 ? WorkerPool(workers: Parallel.threads - 1) : nil
  }()
  /// Whether `shared` was ever asked for (reading the statistics must not create the pool).
  static let created = Atomic<Bool>(false)

  /// How long the caller spins for a worker's last part before it sleeps.
  static let callerSpin: UInt64 = 30_000  // ns

  /// One loop: its parts are claimed through `next` and counted down in `remaining`.
  final class Job: @unchecked Sendable {
    let parts: Int
    /// Cleared by the caller before it returns (the closure must not outlive the call); a worker
    /// only reads it after claiming a part, and no part is left to claim by then.
    var body: ((Int) -> Void)?
    let next = Atomic<Int>(0)
    let remaining: Atomic<Int>
    /// Signalled by whoever finishes the last part, for a caller that stopped spinning.
    let done = NSCondition()
    init(parts: Int, body: @escaping (Int) -> Void) {
      self.parts = parts
      self.body = body
      remaining = Atomic(parts)
    }
    /// Runs parts until none is left unclaimed; returns how many this thread ran.
    @discardableResult
    func work() -> Int {
      var ran = 0
      while true {
        let p = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if p >= parts { return ran }
        ran += 1
        body?(p)
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
          done.lock()
          done.broadcast()
          done.unlock()
        }
      }
    }
    /// Waits until every part is done: spins up to `spin` ns of `clock`, then calls `willSleep` and
    /// sleeps. True if it slept.
    func wait(spin: UInt64, clock: () -> UInt64, willSleep: () -> Void) -> Bool {
      let start = clock()
      var polls = 0
      while remaining.load(ordering: .acquiring) > 0 {
        polls += 1
        if polls & 63 == 0 && clock() &- start > spin {
          willSleep()
          done.lock()
          while remaining.load(ordering: .acquiring) > 0 { done.wait() }
          done.unlock()
          return true
        }
      }
      return false
    }
  }

  private let inUse = Atomic<Bool>(false)
  /// Held by the one `runBeside` at a time.
  private let besideInUse = Atomic<Bool>(false)
  /// The side work of `runBeside` (read under `condition`'s lock).
  private var side: Job?
  /// Bumped for every job; workers spin on it, then sleep on `condition`.
  private let generation = Atomic<Int>(0)
  private let condition = NSCondition()
  /// The current job (read under `condition`'s lock).
  private var job: Job?
  /// Loops still to run on the caller alone, and the length of the next such run (both only touched
  /// by the thread that holds `inUse`).
  private var serialLoops = 0
  private var backoff = 0

  /// Monotonic nanoseconds: the uptime clock (a test's pool gets one it moves by hand).
  let clock: @Sendable () -> UInt64
  /// The counters of `statistics`.
  private let loops = Atomic<Int>(0)
  private let backedOff = Atomic<Int>(0)
  private let sleeps = Atomic<Int>(0)
  private let workerParts = Atomic<Int>(0)
  private let workerSleeps = Atomic<Int>(0)

  /// The pool's counters so far.
  var statistics: PoolStatistics {
    PoolStatistics(
      loops: loops.load(ordering: .relaxed), backedOff: backedOff.load(ordering: .relaxed),
      sleeps: sleeps.load(ordering: .relaxed), workerParts: workerParts.load(ordering: .relaxed),
      workerSleeps: workerSleeps.load(ordering: .relaxed))
  }

  /// Whether the next loops run on the caller alone (a test's view of the back-off).
  var isBackingOff: Bool { serialLoops > 0 }

  init(workers: Int, clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
    self.clock = clock
    for w in 0..<workers {
      let thread = Thread { [unowned self] in self.workerLoop() }
      thread.name = "Neural worker \(w + 1)"
      thread.start()
    }
  }

  /// Claims the pool for one loop; false if another loop has it.
  func tryAcquire() -> Bool {
    inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
  }

  /// Runs `body(0)…body(parts − 1)` on the workers and the calling thread (or, while backing off,
  /// on the calling thread alone), returns when all are done, and releases the pool.
  func run(parts: Int, _ body: @escaping (Int) -> Void) {
    defer { inUse.store(false, ordering: .releasing) }
    loops.add(1, ordering: .relaxed)
    if serialLoops > 0 {
      serialLoops -= 1
      backedOff.add(1, ordering: .relaxed)
      for p in 0..<parts { body(p) }
      return
    }
    let job = Job(parts: parts, body: body)
    condition.lock()
    self.job = job
    generation.add(1, ordering: .releasing)
    condition.broadcast()
    condition.unlock()
    let start = clock()
    let callerParts = job.work()
    let worked = clock()
    // The last parts finish on workers.
    let slept = job.wait(spin: Self.callerSpin, clock: clock) { sleeps.add(1, ordering: .releasing) }
    let waited = slept ? clock() &- worked : 0
    job.body = nil
    condition.lock()
    self.job = nil
    condition.unlock()
    if Self.secondCoreMissing(
      callerWork: worked - start, callerParts: callerParts, parts: parts, slept: slept, waited: waited)
    {
      backoff = min(max(2 * backoff, 8), 4096)
      serialLoops = backoff
    } else {
      backoff /= 2
    }
  }

  /// Runs `main` on the caller and offers `side(0)` to a worker; runs `side` itself after `main` if
  /// no worker has started it, else waits for it (spinning `callerSpin`, then sleeping). Loops that
  /// `main` starts meanwhile run as usual: the pool is not held.
  func runBeside(_ side: @escaping (Int) -> Void, main: () -> Void) {
    var backingOff = true
    if besideInUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
      // The back-off belongs to the thread that holds the pool.
      if tryAcquire() {
        backingOff = serialLoops > 0
        inUse.store(false, ordering: .releasing)
      }
      if backingOff { besideInUse.store(false, ordering: .releasing) }
    }
    if backingOff {
      main()
      side(0)
      return
    }
    defer { besideInUse.store(false, ordering: .releasing) }
    loops.add(1, ordering: .relaxed)
    let job = Job(parts: 1, body: side)
    condition.lock()
    self.side = job
    generation.add(1, ordering: .releasing)
    condition.broadcast()
    condition.unlock()
    main()
    if job.work() == 0 {
      _ = job.wait(spin: Self.callerSpin, clock: clock) { sleeps.add(1, ordering: .releasing) }
    }
    job.body = nil
    condition.lock()
    self.side = nil
    condition.unlock()
  }

  /// Whether one loop's wait says that the second core is not really there (another process holds
  /// it), so the next loops should run on the caller alone. `callerWork` ns went into the caller's
  /// `callerParts` of the loop's `parts`; `slept` is whether the caller stopped spinning (after
  /// `callerSpin`) and slept `waited` ns until the workers' last part was done.
  ///
  /// A sleep alone says nothing: the two halves of a large product (W6: ~2 ms each) routinely end
  /// more than 30 µs apart, and taking that for a missing core ran W6 on one core. The core is
  /// missing when the loop took at least as long as the caller alone would have, at its own pace
  /// (`callerWork / callerParts` a part): then the workers bought nothing, and the back-off begins.
  static func secondCoreMissing(
    callerWork: UInt64, callerParts: Int, parts: Int, slept: Bool, waited: UInt64
  ) -> Bool {
    guard slept, callerParts > 0 else { return false }
    let alone = Double(callerWork) / Double(callerParts) * Double(parts)
    return Double(callerWork) + Double(waited) >= alone
  }

  private func workerLoop() {
    var seen = 0
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen && spins < 20_000 { spins += 1 }
      condition.lock()
      if generation.load(ordering: .acquiring) == seen { workerSleeps.add(1, ordering: .relaxed) }
      while generation.load(ordering: .acquiring) == seen { condition.wait() }
      seen = generation.load(ordering: .acquiring)
      let (job, side) = (self.job, self.side)
      condition.unlock()
      // Side work first: the caller is busy with `runBeside`'s main work, which may post loops.
      let ran = (side?.work() ?? 0) + (job?.work() ?? 0)
      if ran > 0 { workerParts.add(ran, ordering: .relaxed) }
    }
  }
}
