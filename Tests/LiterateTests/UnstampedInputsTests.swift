import Foundation
import XCTest

@testable import Literate

/// Inputs a cached run could not vouch for: `#filePath` (the notebook's place on one machine, a way
/// to the files beside it), and data files without content to hash (`/dev/urandom`, a FIFO, `/proc`).
final class UnstampedInputsTests: XCTestCase {
  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  /// `#filePath` and `#file` name the notebook as its program's folder does: the same page on every
  /// machine, and a file beside the notebook found through them only when `data:` declares it.
  /// `expect`'s location still names the notebook's line.
  func testFilePathNamesTheNotebookAsTheRunFolderSeesIt() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write("declared\n", to: dir.appendingPathComponent("points.csv"))
    try Support.write("undeclared\n", to: dir.appendingPathComponent("secret.txt"))
    let path = try Support.write(
      """
      ---
      data: [points.csv]
      ---
      ```swift
      let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      print(#filePath, #file, "\\(#filePath)")
      func place(_ file: String = #filePath) -> String { file }
      print(place())
      print(try String(contentsOf: here.appendingPathComponent("points.csv"), encoding: .utf8), terminator: "")
      print((try? String(contentsOf: here.appendingPathComponent("secret.txt"), encoding: .utf8)) ?? "not there")
      expect(1, equals: 1)
      ```
      """, "a.md", in: dir)
    let result = try run(path, try Support.options(cache: dir.appendingPathComponent("cache")))
    let block = try XCTUnwrap(result.blocks[0], "\(result.diagnostics)")
    XCTAssertNil(block.failure)
    XCTAssertEqual(block.text, "a.md a.md a.md\na.md\ndeclared\nnot there\n")
    XCTAssertEqual(block.checks.first?.location.file, path, "expect's place is still the notebook's")
    XCTAssertEqual(block.checks.first?.location.line, 11)
    XCTAssertEqual(block.checks.first?.location.column, 1)
  }

  /// A helper of the notebook that passes `#filePath` on to `expect` still places a failed check at
  /// the notebook's line.
  func testAHelperPassingFilePathOnPlacesTheCheckInTheNotebook() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(
      """
      ```swift
      func check(_ x: Int, file: String = #filePath, line: Int = #line) {
        expect(x, equals: 2, file: file, line: line)
      }
      check(1)
      ```
      """, "a.md", in: dir)
    let result = try run(path, try Support.options(cache: dir.appendingPathComponent("cache")))
    let check = try XCTUnwrap(result.blocks[0]?.checks.first)
    XCTAssertFalse(check.passed)
    XCTAssertEqual(check.location.file, path)
    XCTAssertEqual(check.location.line, 5)
  }

  /// Only the directives are rewritten: not their names in a comment or a string, not `#fileID`.
  func testOnlyTheDirectivesAreRewritten() {
    let code = "let a = #filePath // #filePath\nlet b = \"#file\"; let c = #fileID; let d = #file"
    XCTAssertEqual(
      FilePathLiterals.rewrite(code, tree: SwiftSource.parse(code), literal: "\"a.md\""),
      "let a = \"a.md\"    // #filePath\nlet b = \"#file\"; let c = #fileID; let d = \"a.md\"")
  }

  /// The columns after a `#filePath` stay where the notebook has them (a short name is padded), so
  /// a compile error after it is at its own column.
  func testAColumnAfterFilePathStays() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write("```swift\nlet p = #filePath; let n: Int = \"x\"\n```\n", "a.md", in: dir)
    let result = try run(path, try Support.options(cache: dir.appendingPathComponent("cache")))
    let error = try XCTUnwrap(result.diagnostics.first { $0.severity == .error })
    XCTAssertEqual(error.location?.line, 2)
    XCTAssertEqual(error.location?.column, 33, error.message)
  }

  /// A data file that is a device, a FIFO or a kernel view has no content to stamp: what the program
  /// read is new each time, so its run is never replayed from the cache (and a FIFO is never
  /// opened by `handout`, which would wait forever).
  func testADeviceFIFOOrProcDataFileIsNeverCached() throws {
    let dir = try Support.temporaryDirectory(self)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    for (name, file) in [
      ("null", "/dev/null"), ("urandom", "/dev/urandom"), ("uptime", "/proc/uptime"),
      ("cpu", "/proc/cpuinfo"),
      ("fifo", "fifo"),
    ] {
      if file == "fifo" { XCTAssertEqual(mkfifo(dir.appendingPathComponent("fifo").path, 0o600), 0) }
      let path = try Support.write(
        "```swift\nlet url = dataFile(\"\(file)\")\nprint(url.lastPathComponent)\n```\n", "\(name).md",
        in: dir)
      XCTAssertFalse(try run(path, options).cached, file)
      let again = try run(path, options)
      XCTAssertFalse(again.cached, "\(file): the run was replayed from the cache")
      XCTAssertEqual(again.blocks[0]?.text, URL(fileURLWithPath: file).lastPathComponent + "\n")
    }
  }

  /// A `data:` glob that matches a FIFO (or a link to a device): copying it into the run's folder
  /// waited for a writer for ever (or read `/dev/zero` without end), and `handout` hung before the
  /// run. It is an error naming the file.
  func testADataGlobMatchingAFIFOOrADeviceIsAnErrorNotAHang() throws {
    let dir = try Support.temporaryDirectory(self)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let fifo = dir.appendingPathComponent("fifo").path
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("zero").path, withDestinationPath: "/dev/zero")
    for name in ["fifo", "zero"] {
      let path = try Support.write(
        "---\ndata: [\(name)]\n---\n```swift\nprint(1)\n```\n", "\(name).md", in: dir)
      let done = DispatchSemaphore(value: 0)
      let outcome = Outcome()
      DispatchQueue.global().async {
        outcome.set(Result { try Runner.run(try Notebook.load(path: path), options: options) })
        done.signal()
      }
      if done.wait(timeout: .now() + 60) == .timedOut {
        XCTFail("\(name): still copying after 60 s")
        // Lets a reader waiting on the FIFO go (it reads the end), so the thread ends.
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        if writer >= 0 { close(writer) }
        continue
      }
      XCTAssertThrowsError(try outcome.get().get(), name) { error in
        XCTAssertTrue(
          "\(error)".contains("\(name): the front matter's data: names it, but it is not a file"), "\(error)")
      }
    }
  }
}

/// A result handed over from another thread.
private final class Outcome: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Result<RunOutput, any Error>?
  func set(_ result: Result<RunOutput, any Error>) { lock.withLock { value = result } }
  func get() throws -> Result<RunOutput, any Error> { try XCTUnwrap(lock.withLock { value }) }
}
