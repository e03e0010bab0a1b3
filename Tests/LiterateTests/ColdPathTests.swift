import Foundation
import XCTest

@testable import Literate

/// What a cold render does off its critical path (issue 25), and that it gives the same results:
/// the blocks parsed on two threads, the run's folder and order check made beside the compile; and
/// the program bound at its start (`-z now`), so a name no library defines stops it before its
/// first block, said clearly.
final class ColdPathTests: XCTestCase {
  /// Every notebook of the course and of the test corpus.
  func notebooks() throws -> [URL] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folders = [
      root.appendingPathComponent("notebooks"), root.appendingPathComponent("Tests/LiterateTests/Corpus"),
    ]
    let found = folders.flatMap { folder in
      ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
        .filter { $0.pathExtension == "md" }
    }
    XCTAssertGreaterThan(found.count, 10)
    return found.sorted { $0.path < $1.path }
  }

  /// Parsed with the second thread or without it, a notebook is the same: its blocks' trees, its
  /// warnings, its errors in their order.
  func testBlocksParsedOnTwoThreadsGiveTheSameNotebook() throws {
    for url in try notebooks() {
      // Some of the fuzzing corpus is not UTF-8: the parser refuses it before scanning.
      guard let source = try? String(contentsOf: url, encoding: .utf8) else { continue }
      var alone = NotebookScanner(source: source, path: url.path)
      let one = alone.scan()
      var both = NotebookScanner(source: source, path: url.path)
      both.prefetch = SyntaxPrefetch(lines: both.lines)
      let two = both.scan()
      XCTAssertEqual(one, two, url.lastPathComponent)
      XCTAssertEqual(alone.diagnostics, both.diagnostics, url.lastPathComponent)
      XCTAssertEqual(
        one.blocks.map { $0.syntax?.description }, two.blocks.map { $0.syntax?.description },
        url.lastPathComponent)
    }
  }

  /// The quick pass finds the blocks the scanner finds, so the other thread's trees are used; two
  /// blocks with the same code get a tree each; a block it did not find is parsed as before.
  func testTheOtherThreadsTreesGoEachToOneBlock() throws {
    let code = ["let a = 1", "let a = 1", "print(a)", "let b = [a]"]
    let lines = code.flatMap { ["```swift", $0, "```", ""] }
    XCTAssertEqual(SyntaxPrefetch.swiftBlockCodes(lines), code)
    let prefetch = try XCTUnwrap(SyntaxPrefetch(lines: lines))
    let trees = code.map { prefetch.tree(for: $0) }
    XCTAssertEqual(trees.map(\.description), code)
    XCTAssertNotEqual(trees[0].id, trees[1].id, "one tree for two blocks")
    XCTAssertEqual(prefetch.tree(for: "let c = 3").description, "let c = 3")
    XCTAssertNil(SyntaxPrefetch(lines: ["```swift", "print(1)", "```"]), "one block: no second thread")
  }

  /// The run's folder and the order check, made beside the compile: the folder is the reaper's at
  /// once, and removed when no run takes it.
  func testTheRunFolderMadeAheadIsRemovedWhenNoRunTakesIt() throws {
    let parent = try Support.temporaryDirectory(self)
    let notebook = try Notebook.parse(
      source: "```swift\nprint(x)\n```\n\n```swift\nlet x = 1\n```\n",
      path: parent.appendingPathComponent("n.md").path)
    let reaper = ProcessReaper()
    let discarded = RunAhead(notebook, reaper: reaper, parent: parent)
    XCTAssertEqual(discarded.orderErrors(), notebook.useBeforeDeclaration())
    XCTAssertFalse(discarded.orderErrors().isEmpty)
    XCTAssertEqual(try runFolders(in: parent).count, 1)
    discarded.discard()
    XCTAssertEqual(try runFolders(in: parent), [])

    let taken = RunAhead(notebook, reaper: reaper, parent: parent)
    let folder = try taken.takeFolder()
    taken.discard()
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: folder.workingDirectory.path), "a taken folder stays")
    folder.remove()
  }

  func runFolders(in parent: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(RunFolder.prefix) }
  }

  /// A name no library defines stops the program at its start (before block 1 prints), with an
  /// error at the line that names it, not the loader's words about a scratch file.
  func testANameNoLibraryDefinesStopsTheProgramBeforeItsFirstBlock() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      # Undefined

      ```swift
      print("before")
      ```

      ```swift
      @_silgen_name("handout_no_such_function")
      func missing() -> Int32
      print(missing())
      ```

      """
    let options = try Support.options(cache: dir.appendingPathComponent("cache"), useCache: false)
    let (_, result) = try Support.run(source, path: dir.appendingPathComponent("u.md").path, options: options)
    XCTAssertEqual(result.blocks[0]?.text ?? "", "", "the program ran its first block")
    let error = try XCTUnwrap(result.diagnostics.first { $0.message.contains("no library defines") })
    XCTAssertTrue(error.message.contains("`handout_no_such_function`"), error.message)
    XCTAssertFalse(error.message.contains("tmp-"), error.message)
    XCTAssertEqual(error.location?.line, 8)
    XCTAssertEqual(error.location?.column, 16)
  }

  func testTheLoadersMessageIsReadAndDemangled() throws {
    let symbol = try XCTUnwrap(
      UndefinedSymbol(
        output: "/x/program: symbol lookup error: /x/program: undefined symbol: $s8Notebook7missingSiyF\n"))
    XCTAssertEqual(symbol.name, "$s8Notebook7missingSiyF")
    XCTAssertEqual(symbol.demangled, "Notebook.missing() -> Swift.Int")
    let notebook = try Notebook.parse(source: "```swift\nlet y = 2\nlet z = missing()\n```\n", path: "/n.md")
    XCTAssertEqual(symbol.location(in: notebook), SourceLocation(file: "/n.md", line: 3, column: 9))
    XCTAssertNil(UndefinedSymbol(output: "Fatal error: Index out of range"))
  }

  /// Publish's files are empty ones made ahead when the pool has them (InodePool.swift): the same
  /// bytes and mode as a file made then, an existing file written in place, nothing left after.
  func testAFileWrittenFromThePoolIsTheFileThePoolMade() throws {
    let dir = try Support.temporaryDirectory(self)
    let (cache, out) = (dir.appendingPathComponent("cache"), dir.appendingPathComponent("out"))
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let pool = try XCTUnwrap(InodePool.start(cache: cache, out: out, count: 4, reaper: nil))
    func poolFiles() -> [String] {
      let folders = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
      return folders.filter { $0.hasPrefix("tmp-") }.flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent(folder).path))
          ?? [])
          .map { "\(folder)/\($0)" }
      }
    }
    let deadline = Date().addingTimeInterval(120)
    // Ready, not only made: the fourth file is on disk a moment before the pool hands it out, and
    // a file taken then is the third (CI saw that race once).
    while pool.readyCount < 4 && Date() < deadline { usleep(1000) }
    XCTAssertEqual(poolFiles().count, 4)
    let last = try XCTUnwrap(poolFiles().first { $0.hasSuffix("/3") })
    let inode = try inodeAndMode(cache.appendingPathComponent(last).path).inode

    let page = out.appendingPathComponent("a.html")
    try Files.write(Data("abc".utf8), to: page)
    let written = try inodeAndMode(page.path)
    XCTAssertEqual(written.inode, inode, "the file did not come from the pool")
    XCTAssertEqual(try Support.text(page), "abc")
    let mask = umask(0)
    umask(mask)
    XCTAssertEqual(written.mode & 0o777, 0o644 & ~mask)
    XCTAssertEqual(poolFiles().count, 3)

    try Files.write(Data("abcd".utf8), to: page)
    XCTAssertEqual(try inodeAndMode(page.path).inode, inode, "an existing file is written in place")
    XCTAssertEqual(try Support.text(page), "abcd")
    XCTAssertEqual(poolFiles().count, 3)

    pool.finish()
    XCTAssertEqual(poolFiles(), [])
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("tmp-") }, [])
    try Files.write(Data("x".utf8), to: out.appendingPathComponent("b.html"))
    XCTAssertEqual(try Support.text(out.appendingPathComponent("b.html")), "x")
  }

  func inodeAndMode(_ path: String) throws -> (inode: UInt64, mode: UInt32) {
    var info = stat()
    guard stat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
    return (UInt64(info.st_ino), UInt32(info.st_mode))
  }
}
