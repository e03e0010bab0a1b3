import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// No process outlives the run, even one a notebook sends into a session of its own and then
/// kills the process that watches the run (its keeper): the orphan was adopted by init and ran on.
final class EscapedProcessTests: XCTestCase {
  func testAProcessOrphanedByAKilledKeeperDoesNotOutliveTheRun() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    // A `sleep` no other test starts: its argument is this run's own.
    let seconds = 900 + Int.random(in: 0..<90_000)
    let marker = "sleep \(seconds)"
    let source = """
      # Escape

      ```swift
      import Glibc
      let keeper = getppid()
      _ = system("setsid \(marker) >/dev/null 2>&1 & exit 0")
      usleep(300_000)
      kill(keeper, SIGKILL)
      usleep(2_000_000)
      print("still here")
      ```

      """
    try source.write(to: dir.appendingPathComponent("escape.md"), atomically: true, encoding: .utf8)
    defer { for pid in Self.processes(running: marker) { kill(pid, SIGKILL) } }
    let result = try HandoutCLI.run(["render", "escape.md", "-o", "out", "--fresh"], in: dir)
    XCTAssertNotEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertEqual(Self.processes(running: marker), [], "\(marker) outlived the run: \(result.stderr)")
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
