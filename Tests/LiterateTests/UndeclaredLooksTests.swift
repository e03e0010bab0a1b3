import Foundation
import XCTest

@testable import Literate

/// A run is keyed on what it learnt about the files beside its data without reading them: whether
/// a file is there, what a folder holds. A program that found no `b.txt` replayed `false` from the
/// cache after `b.txt` was made.
final class UndeclaredLooksTests: XCTestCase {
  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try Runner.run(try Notebook.load(path: path), options: options).result
  }

  /// A notebook in `dir` whose code is `code`, with `data/a.txt`; its options.
  func notebook(_ code: String, in dir: URL) throws -> (String, RunOptions) {
    let path = try Support.write("```swift\n\(code)\n```\n", "nb.md", in: dir)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
    try Support.write("A", to: dir.appendingPathComponent("data/a.txt"))
    return (path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  func testAFileThatAppearsBesideADataFileIsAMiss() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      let b = dataFile("data/a.txt").deletingLastPathComponent().appendingPathComponent("b.txt")
      var folder: ObjCBool = false
      let sub = dataFile("data/a.txt").deletingLastPathComponent().appendingPathComponent("sub")
      print(FileManager.default.fileExists(atPath: b.path), FileManager.default.fileExists(atPath: sub.path, isDirectory: &folder), folder.boolValue)
      """, in: dir)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "false false false\n")
    XCTAssertTrue(try run(path, options).cached)
    try Support.write("B", to: dir.appendingPathComponent("data/b.txt"))
    let made = try run(path, options)
    XCTAssertFalse(made.cached, "b.txt was made, and the cached 'false' was replayed")
    XCTAssertEqual(made.blocks[0]?.text, "true false false\n")
    XCTAssertTrue(try run(path, options).cached)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("data/sub"), withIntermediateDirectories: true)
    XCTAssertEqual(
      try run(path, options).blocks[0]?.text, "true true true\n", "a folder made there replayed the run")
  }

  func testAListingBesideADataFileIsAMissWhenANameComes() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      let folder = dataFile("data/a.txt").deletingLastPathComponent()
      print(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted())
      let all = FileManager.default.enumerator(atPath: folder.path)!.allObjects as! [String]
      print(all.sorted())
      """, in: dir)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "[\"a.txt\"]\n[\"a.txt\"]\n")
    XCTAssertTrue(try run(path, options).cached)
    try Support.write("C", to: dir.appendingPathComponent("data/c.txt"))
    let listed = try run(path, options)
    XCTAssertFalse(listed.cached, "c.txt was made, and the cached listing was replayed")
    XCTAssertEqual(listed.blocks[0]?.text, "[\"a.txt\", \"c.txt\"]\n[\"a.txt\", \"c.txt\"]\n")
    XCTAssertTrue(try run(path, options).cached, "an unchanged listing is a hit")
    // A file made below a subfolder changes the tree the enumerator walked, not the listing.
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("data/d"), withIntermediateDirectories: true)
    XCTAssertFalse(try run(path, options).cached)
    try Support.write("E", to: dir.appendingPathComponent("data/d/e.txt"))
    XCTAssertEqual(
      try run(path, options).blocks[0]?.text,
      "[\"a.txt\", \"c.txt\", \"d\"]\n[\"a.txt\", \"c.txt\", \"d\", \"d/e.txt\"]\n",
      "a file made deeper in the tree replayed the enumerator's walk")
  }

  /// A process the program starts reads what the runtime does not see: the run is not cached, and
  /// a warning at its block says why.
  func testAProcessStartedIsAWarningAndNoCache() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      let b = dataFile("data/a.txt").deletingLastPathComponent().appendingPathComponent("b.txt")
      let cat = Process()
      cat.executableURL = URL(fileURLWithPath: "/bin/cat")
      cat.arguments = [b.path]
      try cat.run()
      cat.waitUntilExit()
      """, in: dir)
    try Support.write("B1\n", to: dir.appendingPathComponent("data/b.txt"))
    let first = try run(path, options)
    XCTAssertEqual(first.blocks[0]?.text, "B1\n")
    XCTAssertEqual(
      first.diagnostics.filter { $0.severity == .warning }.map {
        "\($0.location?.line ?? 0) \($0.message.prefix { $0 != ":" })"
      },
      ["1 the code started a process (/bin/cat)"])
    XCTAssertFalse(try run(path, options).cached, "what cat read is not seen: the run must not be cached")
    try Support.write("B2\n", to: dir.appendingPathComponent("data/b.txt"))
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "B2\n", "cat's stale B1 was replayed")
  }

  /// A block that traps after reading a file beside its data still names that file among the
  /// run's inputs (what `handout preview` watches: an edit of it re-renders the failing page).
  func testAReadInTheBlockThatCrashesIsAnInput() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      let b = dataFile("data/a.txt").deletingLastPathComponent().appendingPathComponent("b.txt")
      let text = try String(contentsOf: b, encoding: .utf8)
      print(Int(text)! + 1)
      """, in: dir)
    try Support.write("x", to: dir.appendingPathComponent("data/b.txt"))
    let output = try Runner.run(try Notebook.load(path: path), options: options)
    XCTAssertNotNil(output.result.blocks[0]?.failure ?? output.result.diagnostics.first)
    XCTAssertTrue(
      output.dataFiles.contains { $0.hasSuffix("/data/b.txt") },
      "the file the crashing block read is lost: \(output.dataFiles)")
  }

  /// A library loaded by its path beside the data and closed again (`dlopen`, `dlclose`): the
  /// dynamic loader's own `open` is not the runtime's, and the library is no longer mapped at the
  /// end (`loaded`), so a rebuilt library replayed the old run.
  func testALibraryLoadedBesideTheDataIsAnInput() throws {
    let dir = try Support.temporaryDirectory(self)
    let (path, options) = try notebook(
      """
      let lib = dataFile("data/a.txt").deletingLastPathComponent().appendingPathComponent("libw.so")
      let handle = dlopen(lib.path, RTLD_NOW)!
      print(unsafeBitCast(dlsym(handle, "w")!, to: (@convention(c) () -> Int32).self)())
      _ = dlclose(handle)
      """, in: dir)
    func build(_ value: Int) throws {
      let source = dir.appendingPathComponent("w.c")
      try Support.write("int w(void) { return \(value); }\n", to: source)
      let clang = Process()
      clang.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      clang.arguments = [
        "clang", "-shared", "-fPIC", "-o", dir.appendingPathComponent("data/libw.so").path, source.path,
      ]
      try clang.run()
      clang.waitUntilExit()
      XCTAssertEqual(clang.terminationStatus, 0)
    }
    try build(1)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "1\n")
    XCTAssertTrue(try run(path, options).cached)
    try build(2)
    XCTAssertEqual(try run(path, options).blocks[0]?.text, "2\n", "the rebuilt library replayed the old run")
  }
}

/// A file read by its absolute path outside the notebook's folder (`~/datasets/x.csv`, a shared
/// folder) is an input of the run: only the machine's own folders (`/usr`, `/etc`, `/var`…, whose
/// libraries, fonts and configuration `SystemInputs` stamps) are left out.
final class ReadsElsewhereTests: XCTestCase {
  func testAFileReadByItsPathOutsideTheNotebookFolderIsAnInput() throws {
    let dir = try Support.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    let datasets = dir.appendingPathComponent("datasets")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: datasets, withIntermediateDirectories: true)
    let file = datasets.appendingPathComponent("x.csv")
    try Support.write("1", to: file)
    let path = try Support.write(
      "```swift\nprint(try String(contentsOfFile: \"\(file.path)\", encoding: .utf8))\n```\n", "nb.md",
      in: notebooks)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    func run() throws -> RunResult { try Runner.run(try Notebook.load(path: path), options: options).result }
    XCTAssertEqual(try run().blocks[0]?.text, "1\n")
    XCTAssertTrue(try run().cached)
    try Support.write("2", to: file)
    XCTAssertEqual(try run().blocks[0]?.text, "2\n", "the edit of ../datasets/x.csv replayed the stale run")
  }

  /// A data set kept in a machine's folder (`/var/tmp`, `/opt/datasets`, `/srv`…) is read by its
  /// path: it is not hashed as a course's file is, but stamped as the machine's libraries are, so an
  /// edit is a miss (it was left out with the machine's own files, and the stale run replayed '1').
  func testAFileReadInAMachineFolderIsStamped() throws {
    let dir = try Support.temporaryDirectory(self)
    let shared = URL(fileURLWithPath: "/var/tmp/handout-test-\(UUID().uuidString)")
    guard (try? FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)) != nil
    else {
      throw XCTSkip("/var/tmp is not writable")
    }
    addTeardownBlock { try? FileManager.default.removeItem(at: shared) }
    let file = shared.appendingPathComponent("x.csv")
    try Support.write("1", to: file)
    let path = try Support.write(
      "```swift\nprint(try String(contentsOfFile: \"\(file.path)\", encoding: .utf8))\n```\n", "nb.md",
      in: dir)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    func run() throws -> RunResult { try Runner.run(try Notebook.load(path: path), options: options).result }
    XCTAssertEqual(try run().blocks[0]?.text, "1\n")
    XCTAssertTrue(try run().cached)
    try Support.write("2", to: file)
    XCTAssertEqual(try run().blocks[0]?.text, "2\n", "the edit of /var/tmp/…/x.csv replayed the stale run")
    XCTAssertTrue(try run().cached)
  }
}
