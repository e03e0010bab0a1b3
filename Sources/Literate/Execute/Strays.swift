// Processes that are `handout`'s children without being one of its keepers: orphans adopted after
// a keeper died without reporting (a notebook program killed it), found and ended.
import CSpawn
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The keepers alive, and the orphans `handout` adopted (`cspawn_adopt_orphans`): a keeper is
/// the subreaper of everything its program starts and ends it all before it reports, so an orphan
/// reaches `handout` only when a keeper was killed. Starting a keeper and looking for orphans take
/// the same lock, so a keeper just forked is never taken for one.
public enum Strays {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var keepers: Set<pid_t> = []
  nonisolated(unsafe) private static var adopting = false

  /// From now on this process adopts its descendants' orphans, and ends them (`handout`'s
  /// `main`, before any child starts). A process that does not (a test runner with children of
  /// its own) never looks for strays.
  public static func adoptOrphans() {
    lock.withLock {
      cspawn_adopt_orphans()
      adopting = true
    }
  }

  /// Runs `start` (which forks a keeper and returns its pid, or nil) with the lock held, and
  /// records the keeper.
  static func starting(_ start: () -> pid_t?) {
    lock.withLock {
      if let keeper = start() { keepers.insert(keeper) }
    }
  }

  /// `keeper` was reaped.
  static func ended(_ keeper: pid_t) { _ = lock.withLock { keepers.remove(keeper) } }

  /// Ends and reaps every child of this process that is no live keeper, and what each has in its
  /// session, pass after pass (the children of one killed become orphans in turn), until a pass
  /// finds none and `program` (the killed keeper's program, adopted too) is gone, or for about a
  /// second.
  static func collect(after program: pid_t) {
    guard lock.withLock({ adopting }) else { return }
    let me = getpid()
    for _ in 0..<100 {
      let strays = lock.withLock { children(of: me).subtracting(keepers) }
      for stray in strays {
        Session.kill(stray)
        kill(stray, SIGKILL)
        while waitpid(stray, nil, 0) < 0 && errno == EINTR {}
      }
      if strays.isEmpty && kill(program, 0) != 0 && errno == ESRCH { return }
      usleep(10_000)
    }
  }

  /// The pids whose parent is `parent` (zombies too: they are reaped).
  static func children(of parent: pid_t) -> Set<pid_t> {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var result: Set<pid_t> = []
    for name in names {
      guard let pid = pid_t(name), let stat = FileManager.default.contents(atPath: "/proc/\(name)/stat"),
        let close = stat.lastIndex(of: UInt8(ascii: ")"))
      else { continue }
      // `pid (comm) state ppid …`: after the `)`, the state, then the parent.
      let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
      if fields.count > 1, pid_t(String(decoding: fields[1], as: UTF8.self)) == parent { result.insert(pid) }
    }
    return result
  }
}
