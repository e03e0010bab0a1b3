import Foundation
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// The toolchain (compiler, linker, their drivers) runs under a plain keeper, in `handout`'s own
/// namespaces: making a user, PID and mount namespace for each compile and link, and the kernel's
/// teardown of each, cost the cold render's critical path, and guard only against code that kills
/// its keeper, which the toolchain is not. The notebook program's keeper (and Chromium's) keeps its
/// namespaces, and what the toolchain leaves behind still does not outlive it.
final class ToolchainKeeperTests: XCTestCase {
  /// The PID and user namespaces `/bin/readlink` saw, as `pid:[…]` and `user:[…]` lines.
  private static let namespaces = ["/proc/self/ns/pid", "/proc/self/ns/user"]

  private static func own() throws -> String {
    try namespaces.map { try FileManager.default.destinationOfSymbolicLink(atPath: $0) + "\n" }.joined()
  }

  func testTheToolchainRunsInHandoutsOwnNamespaces() throws {
    let result = try ChildProcess.run("/bin/readlink", Self.namespaces)
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertEqual(result.output, try Self.own())
  }

  func testTheNotebookProgramsKeeperKeepsNamespacesOfItsOwn() throws {
    guard Self.namespacesAllowed else { throw XCTSkip("user namespaces are refused on this machine") }
    let result = try ChildProcess.runOrFail("/bin/readlink", Self.namespaces, environment: [:])
    XCTAssertEqual(result.status, 0, result.output)
    let seen = result.output.split(separator: "\n")
    let own = try Self.own().split(separator: "\n")
    XCTAssertEqual(seen.count, 2, result.output)
    for (theirs, ours) in zip(seen, own) { XCTAssertNotEqual(theirs, ours) }
  }

  /// A process the toolchain detached into a session of its own ends with the run, as before.
  func testWhatTheToolchainDetachesDoesNotOutliveIt() throws {
    let marker = "sleep \(900 + Int.random(in: 0..<90_000))"
    defer { for pid in Self.processes(running: marker) { kill(pid, SIGKILL) } }
    let result = try ChildProcess.run(
      "/bin/sh", ["-c", "setsid \(marker) >/dev/null 2>&1 & sleep 0.2; exit 0"])
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertEqual(Self.processes(running: marker), [], "\(marker) outlived the toolchain's run")
  }

  private static var namespacesAllowed: Bool {
    let result = try? ChildProcess.runOrFail("/usr/bin/unshare", ["-Urpf", "true"], environment: [:])
    return result?.status == 0
  }

  /// Live processes whose command line is `command` (arguments joined by spaces).
  private static func processes(running command: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> pid_t? in
      guard let pid = pid_t(name),
        let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty
      else { return nil }
      let line = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
      return line == command ? pid : nil
    }
  }
}
