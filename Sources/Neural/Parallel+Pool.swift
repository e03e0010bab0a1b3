import Foundation
import Synchronization

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
/// tries the workers again. The same back-off begins when a worker reports that it waited on its
/// run queue longer than a wake-up takes (`contendedWait`, read from the kernel: `RunQueueWait`):
/// then another process is sharing its core, and the next loops would meet the same. Which thread
/// computes a part never changes a bit of the result.
final class WorkerPool: @unchecked Sendable {
  /// A pool for `Parallel.threads`, or nil with one thread.
  static let shared: WorkerPool? = {
    created.store(true, ordering: .releasing)
    guard Parallel.threads > 1 else { return nil }
    return WorkerPool(
      workers: Parallel.threads - 1, runQueueWait: { RunQueueWait().map { wait in wait.read } })
  }()
  /// Whether `shared` was ever asked for (reading the statistics must not create the pool).
  static let created = Atomic<Bool>(false)

  /// How long the caller spins for a worker's last part before it sleeps.
  static let callerSpin: UInt64 = 30_000  // ns
  /// A worker's wait on its run queue over one loop (from its wake-up to the end of its parts) that
  /// says another thread has its core: far above a wake-up on a free core (microseconds), below one
  /// time slice of the scheduler (≥ 750 µs).
  static let contendedWait: UInt64 = 200_000  // ns

  /// Whether the calling thread is one of the pools' workers: a loop started from side work on a
  /// worker runs on that worker alone, so that it never holds the pool the caller's next loop needs.
  static var onWorker: Bool { pthread_getspecific(workerKey) != nil }
  private static let workerKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "WorkerPool: no thread-specific key")
    return key
  }()

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
  /// The side work of `runBeside` (read under `condition`'s lock), and whether a worker takes it after
  /// its parts of `job` (side work offered with a loop) rather than before.
  private var side: Job?
  private var sideAfterJob = false
  /// Side work waiting for the caller's next loop (`runBeside(…, withNextLoop: true)`), under the lock.
  private var pendingSide: Job?
  /// Bumped for every job; workers spin on it, then sleep on `condition`.
  private let generation = Atomic<Int>(0)
  private let condition = NSCondition()
  /// The current job (read under `condition`'s lock).
  private var job: Job?
  /// Loops still to run on the caller alone, and the length of the next such run (both only touched
  /// by the thread that holds `inUse`).
  private var serialLoops = 0
  private var backoff = 0
  /// The back-off after a worker waited for its core (`contended`), and the loops since the last
  /// such wait: it halves only after `contendedCalm` loops without one (another process on the
  /// core gives the worker its slices and takes them back every few ms, so loops without a wait
  /// come in short runs between the waits that cost the caller a slice).
  private var contendedBackoff = 0
  private var loopsSinceContended = 0
  static let contendedCalm = 64

  /// Monotonic nanoseconds: the uptime clock (a test's pool gets one it moves by hand).
  let clock: @Sendable () -> UInt64
  /// The counters of `statistics`.
  private let loops = Atomic<Int>(0)
  private let backedOff = Atomic<Int>(0)
  private let sleeps = Atomic<Int>(0)
  private let workerParts = Atomic<Int>(0)
  private let workerSleeps = Atomic<Int>(0)
  private let contentions = Atomic<Int>(0)
  /// Set by a worker that waited `contendedWait` on its run queue; the caller's next look at it
  /// (the end of a loop, or the start of the next) begins the back-off.
  private let contended = Atomic<Bool>(false)
  /// Makes, on a worker thread, the reader of that thread's run-queue wait (nil: not known).
  private let runQueueWait: @Sendable () -> (() -> UInt64)?

  /// The pool's counters so far.
  var statistics: PoolStatistics {
    PoolStatistics(
      loops: loops.load(ordering: .relaxed), backedOff: backedOff.load(ordering: .relaxed),
      sleeps: sleeps.load(ordering: .relaxed), workerParts: workerParts.load(ordering: .relaxed),
      workerSleeps: workerSleeps.load(ordering: .relaxed), contended: contentions.load(ordering: .acquiring))
  }

  /// Whether the next loops run on the caller alone (a test's view of the back-off).
  var isBackingOff: Bool { serialLoops > 0 }

  /// `runQueueWait` makes, on each worker thread, a reader of that thread's run-queue wait in ns:
  /// the kernel's for `shared`, none by default (a test's pool that needs its worker in every loop
  /// must not back off because the machine is loaded), one the test moves by hand.
  init(
    workers: Int, clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds },
    runQueueWait: @escaping @Sendable () -> (() -> UInt64)? = { nil }
  ) {
    self.clock = clock
    self.runQueueWait = runQueueWait
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
    if serialLoops == 0 && contended.exchange(false, ordering: .acquiring) { backOff(contended: true) }
    if serialLoops > 0 {
      serialLoops -= 1
      backedOff.add(1, ordering: .relaxed)
      for p in 0..<parts { body(p) }
      return
    }
    let job = Job(parts: parts, body: body)
    condition.lock()
    self.job = job
    if let pending = pendingSide {
      (side, sideAfterJob, pendingSide) = (pending, true, nil)
    }
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
    let missing = Self.secondCoreMissing(
      callerWork: worked - start, callerParts: callerParts, parts: parts, slept: slept, waited: waited)
    if contended.exchange(false, ordering: .acquiring) {
      backOff(contended: true)
    } else if missing {
      backOff(contended: false)
    } else {
      backoff /= 2
      loopsSinceContended += 1
      if loopsSinceContended >= Self.contendedCalm {
        (contendedBackoff, loopsSinceContended) = (contendedBackoff / 2, 0)
      }
    }
  }

  /// The next loops run on the caller alone: 8, then twice as many as last time, up to 4096.
  private func backOff(contended: Bool) {
    if contended {
      contendedBackoff = min(max(2 * contendedBackoff, 8), 4096)
      loopsSinceContended = 0
    } else {
      backoff = min(max(2 * backoff, 8), 4096)
    }
    serialLoops = max(backoff, contendedBackoff)
  }

  /// Runs `main` on the caller and offers `side(0)` to a worker; runs `side` itself after `main` if
  /// no worker has started it, else waits for it (spinning `callerSpin`, then sleeping). Loops that
  /// `main` starts meanwhile run as usual: the pool is not held. `withNextLoop`: `side` is offered
  /// only with `main`'s first loop on the workers, to be taken after a worker's parts of it.
  func runBeside(_ side: @escaping (Int) -> Void, withNextLoop: Bool = false, main: () -> Void) {
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
    if withNextLoop {
      pendingSide = job
    } else {
      (self.side, sideAfterJob) = (job, false)
      generation.add(1, ordering: .releasing)
      condition.broadcast()
    }
    condition.unlock()
    main()
    condition.lock()
    if pendingSide === job { pendingSide = nil }  // `main` ran no loop on the workers
    condition.unlock()
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
    pthread_setspecific(Self.workerKey, UnsafeRawPointer(bitPattern: 1))
    var seen = 0
    // This thread's wait on its run queue when last read, and what reads it.
    let waited = runQueueWait()
    var lastWait = waited?() ?? 0
    func checkWait() {
      guard let waited else { return }
      let now = waited()
      if now &- lastWait >= Self.contendedWait {
        // The flag first: a count seen says its flag is there (the tests wait for the count).
        contended.store(true, ordering: .releasing)
        contentions.add(1, ordering: .releasing)
      }
      lastWait = now
    }
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen && spins < 20_000 { spins += 1 }
      condition.lock()
      if generation.load(ordering: .acquiring) == seen { workerSleeps.add(1, ordering: .relaxed) }
      while generation.load(ordering: .acquiring) == seen { condition.wait() }
      seen = generation.load(ordering: .acquiring)
      let (job, side, sideAfterJob) = (self.job, self.side, self.sideAfterJob)
      condition.unlock()
      // After the parts (and side work): since the last loop's, so from the wake-up (sleeping is
      // not waiting) and over the parts; the read is not on the way to the first part.
      defer { checkWait() }
      // Side work first (the caller is busy with `runBeside`'s main work, which may post loops),
      // unless it came with the loop.
      let ran =
        sideAfterJob
        ? (job?.work() ?? 0) + (side?.work() ?? 0) : (side?.work() ?? 0) + (job?.work() ?? 0)
      if ran > 0 { workerParts.add(ran, ordering: .relaxed) }
    }
  }
}
