import Foundation
import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A render whose cache holds no run starts the first notebook's compiler before the notebooks are
/// parsed, on a named pipe its compile then writes the program into (`FrontendAhead`). Nothing a
/// render shows or keeps changes: the same output, the same errors at the same notebook lines, the
/// program's source a regular file in its cache entry, and no process or folder left behind.
final class FrontendAheadTests: XCTestCase {
  static let plain = "# A\n\n```swift\nlet x = 6 * 7\nprint(x)\n```\n"

  private func render(_ path: String, cache: URL) throws -> RenderReport {
    let options = try Support.options(cache: cache)
    return try Pipeline.render(RenderRequest(paths: [path]) { options })
  }

  /// What is in the cache folder besides runs and the stamps: scratch folders left behind.
  private func scratch(in cache: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { $0.hasPrefix("tmp-") }
  }

  func testAColdRenderCompilesInTheFrontendStartedAhead() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let path = try Support.write(Self.plain, "a.md", in: dir)
    let before = FrontendAhead.fed.value
    let report = try render(path, cache: cache)
    XCTAssertEqual(FrontendAhead.fed.value - before, 1, "the compile did not use a frontend started ahead")
    XCTAssertEqual(report.outcomes.first?.run?.blocks[0]?.text, "42\n")
    // The cache entry's source is a regular file holding the program, as without the pipe.
    let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.count == 64 }
    XCTAssertEqual(entries.count, 1, "\(entries)")
    let source = cache.appendingPathComponent(entries[0]).appendingPathComponent("program.swift")
    var info = stat()
    XCTAssertEqual(lstat(source.path, &info), 0)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG)
    let notebook = try Notebook.load(path: path)
    XCTAssertEqual(try String(contentsOf: source, encoding: .utf8), notebook.tangle().source)
    XCTAssertEqual(scratch(in: cache), [])

    // Warm: the cache holds a run, so nothing is started ahead.
    try Support.write(Self.plain + "\nMore prose.\n", to: URL(fileURLWithPath: path))
    let warm = try render(path, cache: cache)
    XCTAssertEqual(FrontendAhead.fed.value - before, 1)
    XCTAssertEqual(warm.outcomes.first?.run?.blocks[0]?.text, "42\n")
  }

  func testAnErrorIsAtItsNotebookLineThroughThePipe() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("# B\n\n```swift\nlet x = 1\nlet y: String = x\n```\n", "bad.md", in: dir)
    let before = FrontendAhead.fed.value
    let report = try render(path, cache: dir.appendingPathComponent("cache"))
    XCTAssertEqual(FrontendAhead.fed.value - before, 1)
    let error = try XCTUnwrap(report.outcomes.first?.run?.diagnostics.first)
    XCTAssertEqual(error.location, SourceLocation(file: path, line: 5, column: 17), error.message)
  }

  /// A notebook without code compiles nothing: the frontend started ahead is ended and its folder
  /// removed with the runs.
  func testAnUnusedFrontendEndsWithTheRuns() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let path = try Support.write("# C\n\nOnly prose.\n", "c.md", in: dir)
    _ = try render(path, cache: cache)
    XCTAssertEqual(scratch(in: cache), [])
    XCTAssertEqual(Self.frontends(naming: cache.path), [])
  }

  /// A frontend that ended before it opened its pipe: the compile returns its failure at once.
  func testAFrontendThatDiedBeforeReadingDoesNotHangTheCompile() throws {
    let dir = try Support.temporaryDirectory(self)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let ahead = try XCTUnwrap(FrontendAhead.start(notebook: "x.md", options: options))
    ahead.started.child.signalGroup(SIGKILL)
    let result = try XCTUnwrap(ahead.take(for: "x.md")).compile(Data("print(1)\n".utf8), timeLimit: 60)
    XCTAssertEqual(result.termination, .signaled(SIGKILL))
    XCTAssertEqual(try String(contentsOf: ahead.source, encoding: .utf8), "print(1)\n")
    ahead.discard()
    try FileManager.default.removeItem(at: ahead.work)
  }

  /// Live `swift-frontend` processes with `text` in their arguments.
  private static func frontends(naming text: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> pid_t? in
      guard let pid = pid_t(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
      else { return nil }
      let line = String(decoding: data, as: UTF8.self)
      return line.contains("swift-frontend") && line.contains(text) ? pid : nil
    }
  }
}
