import Foundation
import XCTest

/// Programs other than `handout` that the CLI tests run: scripts of this repository, tar, the
/// workflow linters.
enum Tool {
  /// The package's root, from this file's path.
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// Runs `executable arguments` in `dir` with the environment less Handout's and GitHub's own
  /// variables, plus `environment`; its status and its stdout and stderr together.
  static func run(
    _ executable: String, _ arguments: [String], in dir: URL, environment: [String: String] = [:]
  ) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    for name in env.keys where name.hasPrefix("HANDOUT_") || name.hasPrefix("GITHUB_") {
      env.removeValue(forKey: name)
    }
    env.merge(environment) { $1 }
    process.environment = env
    // A file rather than a pipe: a chatty child never blocks on a full pipe.
    let log = FileManager.default.temporaryDirectory.appendingPathComponent(
      "handout-tool-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
  }

  /// A program of the workflow linters' virtualenv (`make deps-lint`); skips the test when it is
  /// not installed (which `make test` under CI=true counts as a failure).
  static func linter(_ name: String) throws -> String {
    let path = packageRoot.appendingPathComponent(".build-tools/venv/bin/\(name)").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw XCTSkip("\(name) is not installed in .build-tools/venv: run `make deps-lint`")
    }
    return path
  }
}
