import Foundation
import XCTest

@testable import Literate

/// Shared pieces of the tests that really compile and run notebooks.
enum Support {
  /// The runtime built next to the test bundle (`swift build` builds it before `swift test`).
  static func runtime() throws -> RuntimeLocation {
    do {
      return try RuntimeLocation.locate()
    } catch {
      throw XCTSkip("libHandoutRuntime is not built next to the tests: \(error)")
    }
  }

  /// A fresh folder, deleted at the end of the test.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "handout-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  /// One cache for the tests, in the build folder, so a notebook compiled by one test is reused by
  /// another. Its keys include the test bundle itself, so rebuilt tests never see stale results.
  static let sharedCache: URL = {
    let build = (try? RuntimeLocation.locate().buildDirectory) ?? FileManager.default.temporaryDirectory
    return build.appendingPathComponent("handout-test-cache", isDirectory: true)
  }()

  static func options(cache: URL = sharedCache, useCache: Bool = true) throws -> RunOptions {
    RunOptions(runtime: try runtime(), cacheDirectory: cache, useCache: useCache)
  }

  /// Installs the asset files weave makes into `<dir>/<assetsPath>/`, as publish installs them.
  static func installAssets(into dir: URL, options: WeaveOptions) throws {
    try Files.install(
      try Weave.assets(options: options), into: dir.appendingPathComponent(options.assetsPath))
  }

  /// Whether `<out>/<assetsPath>/` holds exactly the asset files weave makes (publish then leaves
  /// it alone).
  static func assetsAreCurrent(in out: URL, options: WeaveOptions) -> Bool {
    guard let files = try? Weave.assets(options: options) else { return false }
    return Files.areInstalled(files, in: out.appendingPathComponent(options.assetsPath))
  }

  /// Writes `source` to `<dir>/<name>` and returns the path.
  static func write(_ source: String, _ name: String, in dir: URL) throws -> String {
    let url = dir.appendingPathComponent(name)
    try source.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// Writes `text` to `url`, making its folder first.
  static func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  /// The text of the file at `url` (UTF-8).
  static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  /// Parses, runs and checks `source` as the notebook at `path`.
  static func run(_ source: String, path: String, options: RunOptions) throws -> (Notebook, RunResult) {
    let notebook = try Notebook.parse(source: source, path: path)
    return (notebook, Checker.check(notebook, try Runner.run(notebook, options: options).result))
  }

  /// Runs the built `handout` in `dir` with the tests' shared cache and no `GITHUB_ACTIONS`, plus
  /// `environment`; its exit status and its stdout and stderr together. Skips when it is not built.
  /// With `fileSizeLimit`, it runs under `ulimit -f` that many KiB (through bash).
  static func handout(
    _ arguments: [String], in dir: URL, cache: URL = sharedCache, environment extra: [String: String] = [:],
    fileSizeLimit: Int? = nil
  ) throws
    -> (status: Int32, output: String)
  {
    try output(
      of: handoutProcess(arguments, in: dir, cache: cache, environment: extra, fileSizeLimit: fileSizeLimit))
  }

  /// `handout` as `handout(_:in:cache:environment:fileSizeLimit:)` runs it, not started (its output
  /// goes where the caller says).
  static func handoutProcess(
    _ arguments: [String], in dir: URL, cache: URL = sharedCache, environment extra: [String: String] = [:],
    fileSizeLimit: Int? = nil
  ) throws -> Process {
    let exe = try handoutExecutable()
    let process = Process()
    if let fileSizeLimit {
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = ["-c", "ulimit -f \(fileSizeLimit) && exec \"$0\" \"$@\"", exe.path] + arguments
    } else {
      process.executableURL = exe
      process.arguments = arguments
    }
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["HANDOUT_CACHE"] = cache.path
    env.removeValue(forKey: "GITHUB_ACTIONS")
    env.merge(extra) { $1 }
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    return process
  }

  /// Runs `process` to its end: its exit status and its stdout and stderr together.
  static func output(of process: Process) throws -> (status: Int32, output: String) {
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}

extension Support {
  /// The built `handout`; skips the test when it is not built.
  static func handoutExecutable() throws -> URL {
    let exe = try runtime().buildDirectory.appendingPathComponent("handout")
    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
      throw XCTSkip("handout is not built")
    }
    return exe
  }

  /// Live (not zombie) processes whose command line has `argument` as one of its words.
  static func processes(withArgument argument: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> pid_t? in
      guard let pid = pid_t(name), let line = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
        line.split(separator: 0).contains(where: { $0.elementsEqual(argument.utf8) }), !isZombie(pid)
      else { return nil }
      return pid
    }
  }

  /// Every live process under `root` (its children, theirs, …), from /proc: a notebook program's
  /// own pids are its PID namespace's, so a test finds them from `handout` down.
  static func descendants(of root: pid_t) -> [pid_t] {
    var parents: [pid_t: pid_t] = [:]
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = pid_t(name), !isZombie(pid),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
    }
    var found: [pid_t] = []
    var frontier = [root]
    while let next = frontier.popLast() {
      let children = parents.filter { $0.value == next }.map(\.key)
      found += children
      frontier += children
    }
    return found.sorted()
  }

  /// Whether process `pid` is gone or a zombie.
  static func isGoneOrZombie(_ pid: pid_t) -> Bool {
    FileManager.default.contents(atPath: "/proc/\(pid)/stat") == nil || isZombie(pid)
  }

  private static func isZombie(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    // Field 3, after the parenthesised name: Z for a zombie.
    guard let close = stat.lastIndex(of: ")") else { return false }
    return stat[close...].dropFirst(2).first == "Z"
  }
}

extension XCTestCase {
  /// Whether process `pid` is gone (or a zombie) within a minute (a process that should have
  /// ended is gone at once, but a loaded machine may take a while to say so).
  func eventuallyGone(_ pid: Int32) -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      if Support.isGoneOrZombie(pid) { return true }
      usleep(50_000)
    }
    return false
  }

  /// The error diagnostics of a notebook the parser must reject (fails the test if it parses).
  func errors(_ text: String, path: String = "nb/x.md") -> [Diagnostic] {
    do {
      _ = try Notebook.parse(source: text, path: path)
      XCTFail("expected the notebook to be rejected")
      return []
    } catch let HandoutError.notebook(diagnostics) {
      return diagnostics.filter { $0.severity == .error }
    } catch {
      XCTFail("unexpected error \(error)")
      return []
    }
  }
}

extension Support {
  /// Every file under `dir` as text (PDFs through pdftotext, each with some text), by relative
  /// path: what a student edition's folder holds, to search for traces of a solution.
  static func contents(under dir: URL) throws -> [String: String] {
    var result: [String: String] = [:]
    let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = walker?.nextObject() as? URL {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      let relative = String(url.path.dropFirst(dir.path.count + 1))
      if url.pathExtension == "pdf" {
        result[relative] = try PDFTests.poppler("pdftotext", [url.path, "-"])
        XCTAssertFalse(result[relative]!.isEmpty, "\(relative) has text")
      } else {
        result[relative] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
      }
    }
    return result
  }
}
