import Foundation
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// What reaches the page from the machine: the CPU count, the host name, the environment passed
/// on (`NEURAL_*`), the clock. A run that printed `activeProcessorCount` under `taskset -c 0` was
/// replayed with 1 when the CPUs came back; one that printed `NEURAL_THREADS` replayed the old
/// value under a new one; and nothing said that the page showed a number of the machine.
final class MachineInputsTests: XCTestCase {
  func notebook(_ code: String, in dir: URL) throws -> (Notebook, RunOptions) {
    let path = try Support.write("# M\n\n```swift\n\(code)\n```\n", "nb.md", in: dir)
    return (try Notebook.load(path: path), try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  /// The cache a course's CI restores on another runner, or a render in a container with another
  /// CPU quota: the same notebook, the same inputs, another CPU count. (`taskset` does not change
  /// Foundation's count, which is the machine's online CPUs or its cgroup quota; so the other machine's
  /// count is said through `RunOptions.otherMachine`, which stands for what this one would read.)
  func testTheCPUCountKeysTheRun() throws {
    let dir = try Support.temporaryDirectory(self)
    var (notebook, options) = try notebook("print(ProcessInfo.processInfo.activeProcessorCount > 0)", in: dir)
    XCTAssertEqual(try Runner.run(notebook, options: options).result.blocks[0]?.text, "true\n")
    XCTAssertTrue(try Runner.run(notebook, options: options).result.cached)
    options.otherMachine[.processors] = "64 64"
    XCTAssertFalse(
      try Runner.run(notebook, options: options).result.cached,
      "a run of a 2-CPU machine was replayed on a 64-CPU one")
    var (other, _) = try self.notebook("print(1)", in: dir)
    other.path = dir.appendingPathComponent("other.md").path
    options.otherMachine = [:]
    _ = try Runner.run(other, options: options)
    options.otherMachine[.processors] = "64 64"
    XCTAssertTrue(
      try Runner.run(other, options: options).result.cached, "code that does not ask is the same anywhere")
  }

  func testTheEnvironmentPassedOnKeysTheRun() throws {
    let dir = try Support.temporaryDirectory(self)
    var (notebook, options) = try notebook(
      "print(ProcessInfo.processInfo.environment[\"NEURAL_THREADS\"] ?? \"unset\")", in: dir)
    options.environment["NEURAL_THREADS"] = "1"
    XCTAssertEqual(try Runner.run(notebook, options: options).result.blocks[0]?.text, "1\n")
    options.environment["NEURAL_THREADS"] = "2"
    let two = try Runner.run(notebook, options: options).result
    XCTAssertFalse(two.cached, "NEURAL_THREADS=1 was replayed under NEURAL_THREADS=2")
    XCTAssertEqual(two.blocks[0]?.text, "2\n")
  }

  /// Code that does not name the environment keeps one cache entry whatever NEURAL_* say.
  func testNeuralSettingsStillLeaveOtherRunsCached() throws {
    let dir = try Support.temporaryDirectory(self)
    var (notebook, options) = try notebook("let environment = 3\nprint(environment)", in: dir)
    options.environment["NEURAL_THREADS"] = "1"
    XCTAssertEqual(try Runner.run(notebook, options: options).result.blocks[0]?.text, "3\n")
    options.environment["NEURAL_THREADS"] = "2"
    XCTAssertTrue(try Runner.run(notebook, options: options).result.cached)
  }

  func testTheHostNameIsInTheKeyWhenTheCodeNamesIt() throws {
    let dir = try Support.temporaryDirectory(self)
    let (named, _) = try notebook("print(ProcessInfo.processInfo.hostName.count > 0)", in: dir)
    let uses = MachineInputs.uses(in: named)
    XCTAssertEqual(uses.map(\.fact), [.host])
    let parts = MachineInputs.keyParts(uses, environment: [:])
    XCTAssertEqual(parts, ["machine host \(MachineInputs.hostName())"])
    let (host, _) = try notebook("print(Host.current().localizedName != nil)", in: dir)
    XCTAssertEqual(MachineInputs.uses(in: host).map(\.name), ["Host.current()"])
    XCTAssertTrue(
      MachineInputs.hostName().hasPrefix(ProcessInfo.processInfo.hostName.split(separator: ".")[0]))
  }

  /// `check` says where the page depends on the machine, at the name's line and column, once per
  /// fact and block; a variable of the notebook's own with such a name is none.
  func testWarningsAtTheirPlaces() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # M

      ```swift
      let start = Date()
      let environment = ["a": 1]
      print(environment.count, ProcessInfo.processInfo.processorCount > 0)
      let cores = ProcessInfo.processInfo.activeProcessorCount
      print(((try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? "").count > 0, Date().timeIntervalSince(start) >= 0)
      ```

      The host is `swift ProcessInfo.processInfo.hostName.isEmpty`.

      """
    let path = try Support.write(source, "nb.md", in: dir)
    let outcome = Pipeline.process(
      path: path, options: try Support.options(cache: dir.appendingPathComponent("c")))
    XCTAssertNil(outcome.error)
    let warnings = (outcome.run?.diagnostics ?? []).filter { $0.message.contains("the code reads") }
    XCTAssertEqual(
      warnings.map { "\($0.location!.line):\($0.location!.column) \($0.message.prefix(40))" },
      [
        "4:13 the code reads the clock (Date()): what ",
        "6:50 the code reads the machine's CPU count (",
        "8:38 the code reads a file of /proc or /sys (",
        "11:44 the code reads the machine's host name (",
      ])
  }
}
