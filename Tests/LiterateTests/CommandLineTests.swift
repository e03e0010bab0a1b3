import XCTest

@testable import Literate

/// The built `handout` executable: help text, exit codes, the report format.
final class CommandLineTests: XCTestCase {
  func handout(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
    let build = try Support.runtime().buildDirectory
    let exe = build.appendingPathComponent("handout")
    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
      throw XCTSkip("handout is not built")
    }
    let process = Process()
    process.executableURL = exe
    process.arguments = arguments
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["HANDOUT_CACHE"] = Support.sharedCache.path
    env.removeValue(forKey: "GITHUB_ACTIONS")
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  func testHelpNamesEveryOption() throws {
    let dir = try Support.temporaryDirectory(self)
    let check = try handout(["check", "--help"], in: dir)
    XCTAssertEqual(check.status, 0)
    for option in ["--junit", "--update", "--fresh", "--jobs", "--runtime"] {
      XCTAssertTrue(check.output.contains(option), "\(option) in\n\(check.output)")
    }
    let render = try handout(["render", "--help"], in: dir)
    for option in ["--out", "--self-contained", "--templates"] {
      XCTAssertTrue(render.output.contains(option), option)
    }
    XCTAssertNotEqual(try handout(["check", "--jobs", "0"], in: dir).status, 0)
  }

  func testCheckExitCodesReportAndUpdate() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let source =
      "# U\n\n```swift\nlet v = 1.5\nexpect(v, equals: 1.25)\nprint(v * 2)\n```\n\n```output\n3.5\n```\n"
    try source.write(to: notebooks.appendingPathComponent("u.md"), atomically: true, encoding: .utf8)

    // A broken notebook beside it is reported and does not stop the others.
    let bad = notebooks.appendingPathComponent("bad.md")
    try "# Bad\n\n```swift\nlet x = 1\n".write(to: bad, atomically: true, encoding: .utf8)
    let withBad = try handout(["check"], in: dir)
    XCTAssertEqual(withBad.status, 1)
    let unclosed = "notebooks/bad.md:3:1: error: code fence ``` is never closed"
    XCTAssertTrue(withBad.output.contains(unclosed), withBad.output)
    XCTAssertTrue(withBad.output.contains("notebooks/u.md:5:1: error: expectation failed"), withBad.output)
    try FileManager.default.removeItem(at: bad)

    let failing = try handout(["check", "--junit", "report.xml"], in: dir)
    XCTAssertEqual(failing.status, 1, failing.output)
    XCTAssertTrue(failing.output.contains("notebooks/u.md:5:1: error: expectation failed"), failing.output)
    XCTAssertTrue(
      failing.output.contains("notebooks/u.md:10:1: error: published output differs"), failing.output)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.xml").path))

    let update = try handout(["check", "--update"], in: dir)
    XCTAssertEqual(update.status, 0, update.output)
    XCTAssertTrue(
      update.output.contains("notebooks/u.md:5:19: updated expected value: 1.25 → 1.5"), update.output)
    let updated = try String(contentsOf: notebooks.appendingPathComponent("u.md"), encoding: .utf8)
    XCTAssertEqual(
      updated,
      source.replacingOccurrences(of: "1.25", with: "1.5").replacingOccurrences(of: "3.5", with: "3.0"))

    let passing = try handout(["check"], in: dir)
    XCTAssertEqual(passing.status, 0, passing.output)
    XCTAssertTrue(passing.output.contains("all 1 notebook passed"), passing.output)
  }
}
