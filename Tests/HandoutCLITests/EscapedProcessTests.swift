import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// No process outlives the run, even one a notebook sends into a session of its own and then
/// kills the process that watches the run (its keeper): the orphan was adopted by init and ran on.
final class EscapedProcessTests: XCTestCase {
  /// Where namespaces are allowed, the keeper (its pid read from /proc: `getppid` is 1 in its
  /// namespace) is out of the program's reach, and the run ends as it would have.
  func testAProcessOrphanedByAKilledKeeperDoesNotOutliveTheRun() throws {
    guard Self.namespacesAllowed else { throw XCTSkip("user namespaces are refused on this machine") }
    let result = try renderKillingItsKeeper()
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
  }

  /// Where namespaces are refused (here: `handout` in a user namespace that may make none), the
  /// keeper dies, and `handout`, a subreaper, ends what it left.
  func testWithoutNamespacesAProcessOrphanedByAKilledKeeperDoesNotOutliveTheRun() throws {
    guard Self.namespacesAllowed else { throw XCTSkip("user namespaces are refused on this machine") }
    let result = try renderKillingItsKeeper { process in
      let handout = process.executableURL!.path
      process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
      process.arguments =
        ["-Ur", "sh", "-c", "echo 0 >/proc/sys/user/max_user_namespaces && exec \"$0\" \"$@\"", handout]
        + (process.arguments ?? [])
    }
    XCTAssertNotEqual(result.status, 0, result.stdout + result.stderr)
  }

  /// Renders a notebook that detaches a `sleep`, kills its keeper with SIGKILL, and waits; asserts
  /// that the `sleep` is gone when `handout` is.
  private func renderKillingItsKeeper(
    file: StaticString = #filePath, line: UInt = #line, configure: (Process) -> Void = { _ in }
  ) throws -> HandoutCLI.Result {
    let dir = try HandoutCLI.temporaryDirectory(self)
    // A `sleep` no other test starts: its argument is this run's own.
    let seconds = 900 + Int.random(in: 0..<90_000)
    let marker = "sleep \(seconds)"
    let source = """
      # Escape

      ```swift
      import Foundation
      let stat = try! String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
      let keeper = pid_t(stat.split(separator: ")").last!.split(separator: " ")[1])!
      _ = system("setsid \(marker) >/dev/null 2>&1 & exit 0")
      usleep(300_000)
      kill(keeper, SIGKILL)
      usleep(2_000_000)
      print("still here")
      ```

      """
    try source.write(to: dir.appendingPathComponent("escape.md"), atomically: true, encoding: .utf8)
    defer { for pid in Self.processes(running: marker) { kill(pid, SIGKILL) } }
    let result = try HandoutCLI.run(
      ["render", "escape.md", "-o", "out", "--fresh"], in: dir, configure: configure)
    XCTAssertEqual(
      Self.processes(running: marker), [], "\(marker) outlived the run: \(result.stderr)", file: file,
      line: line)
    return result
  }

  /// A notebook that reads its keeper's pid and `handout`'s from /proc (its parent, and that
  /// one's), detaches a shell that kills both with SIGKILL and then becomes a `sleep`: with the
  /// keeper and `handout` dead there was no subreaper left, and the `sleep` ran on under init.
  /// Each keeper now runs the program in a PID namespace of its own, with a /proc of its own, from
  /// which `handout` is not seen and the keeper (pid 1 there) cannot be killed.
  func testAProcessThatKillsItsKeeperAndHandoutDoesNotOutliveThem() throws {
    guard Self.namespacesAllowed else { throw XCTSkip("user namespaces are refused on this machine") }
    let dir = try HandoutCLI.temporaryDirectory(self)
    let marker = "sleep \(900 + Int.random(in: 0..<90_000))"
    let source = """
      # Escape

      ```swift
      import Foundation
      func parent(of pid: String) -> String {
        guard let stat = try? String(contentsOfFile: "/proc/\\(pid)/stat", encoding: .utf8) else { return "" }
        return String(stat.split(separator: ")").last!.split(separator: " ")[1])
      }
      let keeper = parent(of: "self")
      let handout = parent(of: keeper)
      // Whatever of the two it can see (with a /proc of its namespace's own: the keeper, as pid 1).
      let targets = [keeper, handout].filter { (Int($0) ?? 0) > 0 }.joined(separator: " ")
      _ = system("setsid sh -c 'kill -9 \\(targets); exec \(marker)' >/dev/null 2>&1 &")
      usleep(2_000_000)
      print("still here")
      ```

      """
    try source.write(to: dir.appendingPathComponent("escape.md"), atomically: true, encoding: .utf8)
    defer { for pid in Self.processes(running: marker) { kill(pid, SIGKILL) } }
    let result = try HandoutCLI.run(["render", "escape.md", "-o", "out", "--fresh"], in: dir)
    let ended = Date()
    while !Self.processes(running: marker).isEmpty, Date().timeIntervalSince(ended) < 10 { usleep(50_000) }
    XCTAssertEqual(Self.processes(running: marker), [], "\(marker) outlived the run: \(result.stderr)")
    XCTAssertEqual(result.status, 0, "handout was killed from its notebook: \(result.stderr)")
  }

  /// Whether this machine lets an unprivileged process make a user and PID namespace
  /// (`unshare -Urp true`); containers and `kernel.unprivileged_userns_clone=0` refuse it.
  static var namespacesAllowed: Bool {
    guard let result = try? Tool.run("/usr/bin/unshare", ["-Urpf", "true"], in: URL(fileURLWithPath: "/"))
    else { return false }
    return result.status == 0
  }

  /// Live processes whose command line is `command`.
  static func processes(running command: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> pid_t? in
      guard let pid = pid_t(name),
        let raw = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !raw.isEmpty,
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
      else { return nil }
      let line = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
      return line == command ? pid : nil
    }
  }
}
