// Ctrl-C and SIGTERM: every notebook program and compiler `handout` started ends with it.
import Dispatch
import Foundation
import Literate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Signals {
  /// The children of this command; `RunOptions.reaper`.
  static let reaper = ProcessReaper()
  private static let sources = SignalSources()

  /// From now on SIGINT, SIGTERM and SIGHUP are forwarded to every live child group; after a
  /// grace of two seconds what is left is killed, the cache's scratch folders are removed, and
  /// `handout` exits with 128 + the signal, as a shell reports it.
  /// Never returns: the signal handler, which is ending the children, exits `handout`.
  static func waitForExit() -> Never {
    while true { sleep(60) }
  }

  static func install() {
    sources.install {
      reaper.terminateAll(signal: $0, grace: 2)
      exit(128 + $0)
    }
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
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      // The default action would end `handout` before the handler runs.
      Glibc.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
      source.setEventHandler { handler(signal) }
      source.resume()
      sources.append(source)
    }
  }
}
