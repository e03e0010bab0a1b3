// Progress on the terminal: one status line rewritten in place on a TTY, plain lines otherwise (CI).
import Foundation
import Literate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class ProgressPrinter: @unchecked Sendable {
  private let lock = NSLock()
  private let tty = isatty(STDERR_FILENO) != 0
  private var statusShown = false
  /// Off a terminal, live messages (training epochs) are logged at most this often per notebook,
  /// so a CI log gets a heartbeat rather than four lines a second.
  private let plainMessageInterval: TimeInterval = 10
  private var lastPlainMessage: [String: Date] = [:]

  /// ProgressPrinter goes to stderr so stdout stays clean for the report.
  /// Nothing once a signal is stopping `handout`: its children end because of it, not by a fault of
  /// the notebook (`Signals` says what the stop left).
  func report(_ event: RunProgress) {
    guard !Signals.reaper.isStopping else { return }
    let text: String
    // A notebook's name may hold a newline or an ESC: shown escaped, as in the report.
    switch event.shownPaths {
    case .cached(let nb): text = "\(nb): unchanged, using cached results"
    case .compiling(let nb): text = "\(nb): compiling"
    case .running(let nb): text = "\(nb): running"
    case .block(let nb, let index, let line): text = "\(nb): block \(index) (line \(line))"
    case .message(let nb, let message): text = "\(nb): \(message)"
    }
    let line = Report.terminalSafe(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    lock.lock()
    defer { lock.unlock() }
    if tty {
      toStderr("\r\u{1B}[K\(line)")
      statusShown = true
    } else {
      if case .message(let nb, _) = event {
        let now = Date()
        if let last = lastPlainMessage[nb], now.timeIntervalSince(last) < plainMessageInterval { return }
        lastPlainMessage[nb] = now
      }
      toStderr("\(line)\n")
    }
  }

  /// A notebook is done: its problems (with the notebook lines of compile errors) and its summary line.
  /// Not once a signal is stopping `handout` (a program it ended is no failure of the notebook).
  func finished(_ outcome: NotebookOutcome) {
    guard !Signals.reaper.isStopping else { return }
    say(Report.terminal(outcome))
  }

  /// Every text is printed through `Report.terminalSafe`: what a notebook prints or says must not
  /// reach a line start as a GitHub workflow command (`::error …`).
  func say(_ text: String) {
    lock.lock()
    defer { lock.unlock() }
    clearStatus()
    print(Report.terminalSafe(text))
    fflush(nil)
  }

  func error(_ text: String) {
    lock.lock()
    defer { lock.unlock() }
    clearStatus()
    toStderr(Report.terminalSafe(text) + "\n")
  }

  private func clearStatus() {
    if tty && statusShown {
      toStderr("\r\u{1B}[K")
      statusShown = false
    }
  }

  private func toStderr(_ text: String) { writeStandardError(text) }
}

/// Writes `text` to file descriptor 2 as far as it goes. C's `stderr` is off limits in Swift 6
/// mode, and `FileHandle.write` traps when the write fails: `handout render 2>log` on a full disk
/// (or past `ulimit -f`) ended `handout` with SIGILL mid-render. A message that cannot be written
/// is lost; the render goes on and its exit status still tells.
func writeStandardError(_ text: String) {
  let bytes = Array(text.utf8)
  var offset = 0
  while offset < bytes.count {
    let n = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    if n < 0 && errno == EINTR { continue }
    guard n > 0 else { return }
    offset += n
  }
}

extension RunProgress {
  /// The event with its notebook path as `Report.shownPath` shows it.
  fileprivate var shownPaths: RunProgress {
    switch self {
    case .cached(let nb): .cached(notebook: Report.shownPath(nb))
    case .compiling(let nb): .compiling(notebook: Report.shownPath(nb))
    case .running(let nb): .running(notebook: Report.shownPath(nb))
    case .block(let nb, let index, let line): .block(notebook: Report.shownPath(nb), index: index, line: line)
    case .message(let nb, let text): .message(notebook: Report.shownPath(nb), text: text)
    }
  }
}
