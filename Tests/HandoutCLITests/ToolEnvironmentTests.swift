import Foundation
import XCTest

/// The toolchain gets `PATH` and `TMPDIR` of the shell's environment, nothing else: a variable
/// that reaches the compiler could change a compile without being in the run's cache key, or break
/// every compile.
final class ToolEnvironmentTests: XCTestCase {
  func testTheShellsCompilerVariablesDoNotReachTheCompiler() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try "# E\n\n```swift\nprint(6 * 7)\n```\n".write(
      to: dir.appendingPathComponent("e.md"), atomically: true, encoding: .utf8)
    let process = try HandoutCLI.process(["render", "e.md", "-o", "out", "--fresh"], in: dir)
    var environment = process.environment ?? [:]
    // Past the year 9999: every compile failed ("clang importer creation failed").
    environment["SOURCE_DATE_EPOCH"] = "253402300800"
    // A C header folder that would shadow the system's.
    let include = dir.appendingPathComponent("include")
    try FileManager.default.createDirectory(at: include, withIntermediateDirectories: true)
    try "#error \"the shell's CPATH reached the compiler\"\n".write(
      to: include.appendingPathComponent("stdio.h"), atomically: true, encoding: .utf8)
    environment["CPATH"] = include.path
    environment["C_INCLUDE_PATH"] = include.path
    process.environment = environment
    let err = dir.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let stderr = try String(contentsOf: err, encoding: .utf8)
    XCTAssertEqual(process.terminationStatus, 0, stderr)
    let page = try? String(contentsOf: dir.appendingPathComponent("out/e.html"), encoding: .utf8)
    XCTAssertTrue(page?.contains("42") == true, stderr)
  }
}
