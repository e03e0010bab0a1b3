import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The built `handout` executable, run as a person or CI runs it: arguments in; exit status,
/// stdout and stderr (each on its own) out. No `@testable`: only what a user can see is tested.
enum HandoutCLI {
  /// What one run of `handout` did.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The build folder: `handout` sits next to the test bundle (`.build/debug/`). Skips the test
  /// when it is not built.
  static func buildDirectory() throws -> URL {
    var candidates: [URL] = []
    let bundle = Bundle(for: Marker.self).bundleURL.resolvingSymlinksInPath()
    candidates += [bundle, bundle.deletingLastPathComponent()]
    if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
      candidates.append(exe.deletingLastPathComponent())
    }
    for dir in candidates
    where FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("handout").path) {
      return dir
    }
    throw XCTSkip("handout is not built next to the tests (looked in \(candidates.map(\.path)))")
  }

  private final class Marker {}

  /// Runs `handout arguments` in `dir`, with the tests' shared cache, a fixed 80-column help width
  /// and no GitHub Actions annotations; `configure` may change the process first (run it through
  /// another program).
  static func run(_ arguments: [String], in dir: URL, configure: (Process) -> Void = { _ in }) throws
    -> Result
  {
    let process = try process(arguments, in: dir)
    configure(process)
    // Files rather than pipes: neither stream can fill up and block the child while the other is read.
    let scratch = FileManager.default.temporaryDirectory
    let out = scratch.appendingPathComponent("handout-cli-stdout-\(UUID().uuidString)")
    let err = scratch.appendingPathComponent("handout-cli-stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }

  /// `handout arguments` in `dir` as `run` runs it, not started yet (its streams are the caller's).
  static func process(_ arguments: [String], in dir: URL) throws -> Process {
    let build = try buildDirectory()
    let process = Process()
    process.executableURL = build.appendingPathComponent("handout")
    process.arguments = arguments
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["HANDOUT_CACHE"] = build.appendingPathComponent("handout-test-cache").path
    env["COLUMNS"] = "80"
    env.removeValue(forKey: "GITHUB_ACTIONS")
    env.removeValue(forKey: "HANDOUT_RUNTIME")
    process.environment = env
    return process
  }

  /// What to start `handout` through so that file permissions hold for it: as root, `setpriv`
  /// without the capabilities that let root read and write any file (a mode-0555 folder or a
  /// mode-0200 file then refuses it as it refuses a user); nothing otherwise.
  static var asAUser: [String] {
    guard geteuid() == 0 else { return [] }
    let caps = "-dac_override,-dac_read_search"
    return ["/usr/bin/setpriv", "--inh-caps=\(caps)", "--bounding-set=\(caps)"]
  }

  /// A fresh folder, deleted at the end of the test.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "handout-cli-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }
}

/// Expected outputs committed under `Tests/HandoutCLITests/Expected/`, compared whole.
///
/// With `HANDOUT_RECORD_CLI=1` in the environment the files are written from what the binary prints
/// instead (then read the diff):
/// `HANDOUT_RECORD_CLI=1 swift test --filter HandoutCLITests`.
enum Expected {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Expected", isDirectory: true)

  static var recording: Bool {
    let value = ProcessInfo.processInfo.environment["HANDOUT_RECORD_CLI"] ?? ""
    return !value.isEmpty && value != "0"
  }

  /// Asserts that `actual` equals the file `name` byte for byte (or records it).
  static func assertMatches(
    _ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let url = directory.appendingPathComponent(name)
    if recording {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      XCTFail(
        "no expected file \(url.path); record it with HANDOUT_RECORD_CLI=1 swift test --filter HandoutCLITests",
        file: file, line: line)
      return
    }
    XCTAssertEqual(
      actual, expected,
      "differs from \(name); if the change is intended, re-record with HANDOUT_RECORD_CLI=1 and read the diff",
      file: file, line: line)
  }
}
