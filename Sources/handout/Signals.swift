// Ctrl-C, Ctrl-\ and SIGTERM: every notebook program and compiler `handout` started ends with it, and the
// person is told what the stop left behind.
import Dispatch
import Foundation
import Literate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Signals {
  /// What a command is doing when a signal stops it: what the line it leaves says.
  enum Stage: Sendable {
    /// Running notebooks for `check`: nothing is written.
    case checking
    /// Running notebooks for `render` or `preview`: nothing is published yet.
    case rendering
    /// Publishing: each handout is swapped in whole, so each is this render's or its last good one.
    case writing
    /// Serving (`preview`): Ctrl-C is how it ends; nothing to say.
    case serving
  }

  /// The children of this command; `RunOptions.reaper`.
  static let reaper = ProcessReaper()
  private static let sources = SignalSources()
  private static let stage = StageBox()

  /// From now on SIGINT, SIGTERM and SIGHUP are forwarded to every live child group (SIGQUIT, Ctrl-\,
  /// and SIGXCPU, the CPU-time limit reached, as SIGTERM: the Swift runtime of a notebook program
  /// would print a crash report for either); after a
  /// grace of two seconds what is left is killed, the cache's scratch folders are removed, one
  /// line on stderr says what the stop left (see `Stage`), and `handout` exits with
  /// 128 + the signal, as a shell reports it.
  static func install(_ stage: Stage, progress: ProgressPrinter) {
    enter(stage)
    sources.install { signal in
      // What was going on when the signal came: ending the children ends the runs.
      let stage = self.stage.current
      reaper.terminateAll(signal: [SIGQUIT, SIGXCPU].contains(signal) ? SIGTERM : signal, grace: 2)
      if let line = stoppedLine(signal, stage) { progress.error(line) }
      exit(128 + signal)
    }
  }

  /// What the command does from now on (the line a signal leaves says so).
  static func enter(_ stage: Stage) { self.stage.current = stage }

  /// Never returns: the signal handler, which is ending the children, exits `handout`.
  static func waitForExit() -> Never {
    while true { sleep(60) }
  }

  /// The line a stop by `signal` during `stage` leaves on the terminal; nil while serving.
  static func stoppedLine(_ signal: Int32, _ stage: Stage) -> String? {
    let cause =
      switch signal {
      case SIGINT: "interrupted by SIGINT"
      case SIGTERM: "terminated by SIGTERM"
      case SIGHUP: "hung up (SIGHUP)"
      case SIGQUIT: "quit by SIGQUIT"
      case SIGXCPU: "the CPU-time limit (ulimit -t) was reached"
      default: "signal \(signal)"
      }
    switch stage {
    case .checking: return "stopped: \(cause); the check did not finish"
    case .rendering: return "stopped: \(cause); nothing was published, the last good handouts are kept"
    case .writing:
      return "stopped: \(cause) while publishing; each handout is this render's or its last good one"
    case .serving: return nil
    }
  }
}

/// The command's current `Signals.Stage`, read by the signal handler's thread.
private final class StageBox: @unchecked Sendable {
  private let lock = NSLock()
  private var stage = Signals.Stage.checking

  var current: Signals.Stage {
    get { lock.withLock { stage } }
    set { lock.withLock { stage = newValue } }
  }
}

/// Dispatch signal sources, kept alive for the process's life (a source that is released stops).
private final class SignalSources: @unchecked Sendable {
  private let lock = NSLock()
  private var sources: [DispatchSourceSignal] = []

  func install(_ handler: @escaping @Sendable (Int32) -> Void) {
    lock.lock()
    defer { lock.unlock() }
    guard sources.isEmpty else { return }
    let queue = DispatchQueue(label: "handout.signals")
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXCPU] {
      // The default action would end `handout` before the handler runs (SIGQUIT's, the Swift
      // runtime's crash report: a page of backtrace, then a trap in a read it interrupted).
      Glibc.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
      source.setEventHandler { handler(signal) }
      source.resume()
      sources.append(source)
    }
  }
}
