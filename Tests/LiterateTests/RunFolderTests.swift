import XCTest

@testable import Literate

/// Notebook code runs in a private folder of its own, fresh for each run and gone after it: a file
/// one run writes never reaches another run (the student edition's), and a file beside the
/// notebook is read through `dataFile` or `data:`, never by a relative path the cache does not know.
final class RunFolderTests: XCTestCase {
  /// A fresh folder with `source` as `nb.md`, and a cache of its own (so the program really runs).
  func setUp(_ source: String) throws -> (dir: URL, path: String, options: RunOptions) {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "nb.md", in: dir)
    return (dir, path, try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  func run(_ path: String, _ options: RunOptions) throws -> RunOutput {
    try Runner.run(try Notebook.load(path: path), options: options)
  }

  /// The folders `RunFolder` made for this process that are still there.
  func runFoldersOfThisProcess() -> [String] {
    let mine = "\(RunFolder.prefix)\(ProcessInfo.processInfo.processIdentifier)-"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
    return names.filter { $0.hasPrefix(mine) }
  }

  /// The leak: an instructor's solution saves a file, a public block loads it. The instructor's
  /// page shows it; the student's page, rendered after it, cannot: the file went with its run.
  func testAFileASolutionWroteNeverReachesTheStudentsPage() throws {
    let dir = try Support.temporaryDirectory(self)
    _ = try Support.write(
      """
      # Weights

      ::: exercise Save them
      Save the weights.

      ::: solution
      ```swift
      try "SECRET".write(toFile: "weights.txt", atomically: true, encoding: .utf8)
      ```
      :::
      :::

      ```swift
      print("loaded: \\(try String(contentsOfFile: "weights.txt", encoding: .utf8))")
      ```
      """, "n.md", in: dir)
    let cache = dir.appendingPathComponent("cache").path
    let instructor = try Support.handout(["render", "n.md", "--out", "out", "--cache", cache], in: dir)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    let page = try String(contentsOf: dir.appendingPathComponent("out/n.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("loaded: SECRET"), "the instructor's run reads its own file")
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("weights.txt").path))

    let student = try Support.handout(
      ["render", "n.md", "--out", "student", "--profile", "student", "--publish-failures", "--cache", cache],
      in: dir)
    XCTAssertFalse(student.output.contains("SECRET"), student.output)
    let walker = FileManager.default.enumerator(atPath: dir.appendingPathComponent("student").path)
    var files = 0
    while let name = walker?.nextObject() as? String {
      let data = FileManager.default.contents(atPath: dir.appendingPathComponent("student/\(name)").path)
      XCTAssertFalse(String(decoding: data ?? Data(), as: UTF8.self).contains("SECRET"), name)
      files += 1
    }
    XCTAssertGreaterThan(files, 0, "the student's failing page is written: \(student.output)")
  }

  /// The same leak through the folders every program is told about: a solution saves its answer
  /// to `NSTemporaryDirectory()` and to `$HOME`, a public block loads them. The student's run
  /// (after the instructor's) must find neither: `TMPDIR` and `HOME` are folders of the run.
  func testAFileASolutionWroteToItsTemporaryOrHomeFolderNeverReachesTheStudentsPage() throws {
    let dir = try Support.temporaryDirectory(self)
    let marker = "ANSWER\(UUID().uuidString.prefix(8))"
    _ = try Support.write(
      """
      # Weights

      ::: exercise Save them
      Save the weights.

      ::: solution
      ```swift
      try "\(marker)".write(toFile: NSTemporaryDirectory() + "/w.txt", atomically: true, encoding: .utf8)
      try "\(marker)".write(toFile: ProcessInfo.processInfo.environment["HOME"]! + "/w.txt", atomically: true, encoding: .utf8)
      ```
      :::
      :::

      ```swift
      for folder in [NSTemporaryDirectory(), ProcessInfo.processInfo.environment["HOME"]!] {
        print("loaded:", (try? String(contentsOfFile: folder + "/w.txt", encoding: .utf8)) ?? "nothing")
      }
      ```
      """, "n.md", in: dir)
    let cache = dir.appendingPathComponent("cache").path
    let instructor = try Support.handout(["render", "n.md", "--out", "out", "--cache", cache], in: dir)
    XCTAssertEqual(instructor.status, 0, instructor.output)
    let page = try Support.text(dir.appendingPathComponent("out/n.html"))
    XCTAssertTrue(page.contains("loaded: \(marker)\nloaded: \(marker)"), "its own run reads them: \(page)")

    let student = try Support.handout(
      ["render", "n.md", "--out", "student", "--profile", "student", "--cache", cache], in: dir)
    XCTAssertEqual(student.status, 0, student.output)
    let files = try Support.contents(under: dir.appendingPathComponent("student"))
    XCTAssertTrue(
      files["n/.page.html"]?.contains("loaded: nothing\nloaded: nothing") == true, "\(files.keys)")
    for (path, text) in files { XCTAssertFalse(text.contains(marker), "the solution's answer in \(path)") }
  }

  /// The run's own temporary and home folders are empty, private to it, and named on the page by
  /// their variables, never by the run folder's random name.
  func testTheRunsTemporaryAndHomeFoldersAreItsOwnAndReadAsTheirNames() throws {
    let (_, path, options) = try setUp(
      """
      ```swift
      let tmp = NSTemporaryDirectory()
      let home = ProcessInfo.processInfo.environment["HOME"]!
      for folder in [tmp, home] {
        print(folder, try FileManager.default.contentsOfDirectory(atPath: folder).count)
        print(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as! Int == 0o700)
      }
      ```
      """)
    let result = try run(path, options).result
    XCTAssertNil(result.blocks[0]?.failure, "\(result)")
    XCTAssertEqual(result.blocks[0]?.text, "$TMPDIR/ 0\ntrue\n$HOME 0\ntrue\n")
  }

  /// What a run writes stays in its private folder (mode 0700, not the notebook's), which is gone
  /// after the run; nothing of it is left beside the notebook.
  func testAFileARunWritesIsNotInTheNotebooksFolderAfterIt() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      try "scratch".write(toFile: "out.txt", atomically: true, encoding: .utf8)
      let here = FileManager.default.currentDirectoryPath
      let mode = (try FileManager.default.attributesOfItem(atPath: here)[.posixPermissions] as? Int) ?? 0
      print(URL(fileURLWithPath: here).pathComponents.contains { $0.hasPrefix("handout-run-") })
      print(here)
      print(String(mode, radix: 8))
      print(try String(contentsOfFile: "out.txt", encoding: .utf8))
      ```
      """)
    let before = runFoldersOfThisProcess()
    let result = try run(path, options).result
    XCTAssertNil(result.blocks[0]?.failure, "\(result)")
    let lines = (result.blocks[0]?.text ?? "").split(separator: "\n").map(String.init)
    // It ran in a folder of its own, which the printed text names as the notebook's folder does.
    XCTAssertEqual(lines, ["true", ".", "700", "scratch"])
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.txt").path))
    XCTAssertEqual(runFoldersOfThisProcess(), before)
  }

  /// A plain relative read of a file beside the notebook that is not declared fails, and says why
  /// and what to write instead. A file that is nowhere gets no such hint.
  func testAnUndeclaredReadFailsWithAHintToUseDataFile() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      print(try String(contentsOfFile: "beside.txt", encoding: .utf8))
      ```
      """)
    try "found".write(to: dir.appendingPathComponent("beside.txt"), atomically: true, encoding: .utf8)
    let failure = try XCTUnwrap(try run(path, options).result.blocks[0]?.failure)
    XCTAssertTrue(
      failure.message.hasSuffix(
        "notebook code runs in a private folder of its own, not the notebook's: read `beside.txt` through "
          + "dataFile(\"beside.txt\") or list it under `data:` in the front matter"), failure.message)

    try FileManager.default.removeItem(at: dir.appendingPathComponent("beside.txt"))
    _ = try Support.write(
      "```swift\nprint(try String(contentsOfFile: \"nowhere.txt\", encoding: .utf8))\n```\n", "nb.md", in: dir
    )
    let missing = try XCTUnwrap(try run(path, options).result.blocks[0]?.failure)
    XCTAssertTrue(missing.message.contains("nowhere.txt"), missing.message)
    XCTAssertFalse(missing.message.contains("private folder"), missing.message)
  }

  /// An undeclared file never gives a stale page: edited, the next run does not replay the old
  /// content from the cache. A declared one (`data:`, even above the notebook's folder, read by a
  /// plain relative path; or `dataFile`) is readable, and an edit runs the notebook again.
  func testAnEditedFileNeverGivesAStalePage() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      print(try String(contentsOfFile: "plain.txt", encoding: .utf8))
      ```
      """)
    let plain = dir.appendingPathComponent("plain.txt")
    try "1".write(to: plain, atomically: true, encoding: .utf8)
    let first = try run(path, options).result
    try "2".write(to: plain, atomically: true, encoding: .utf8)
    let second = try run(path, options).result
    XCTAssertFalse(second.blocks[0]?.text.hasPrefix("1") == true, "a stale page: \(first) then \(second)")
    XCTAssertTrue(second.blocks[0]?.failure?.message.contains("dataFile(\"plain.txt\")") == true, "\(second)")

    let notebooks = dir.appendingPathComponent("notebooks", isDirectory: true)
    let data = dir.appendingPathComponent("data", isDirectory: true)
    for folder in [notebooks, data] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    let declared = try Support.write(
      """
      ---
      data: [../data/*.txt]
      ---
      ```swift
      print(try String(contentsOfFile: "../data/v.txt", encoding: .utf8))
      print(try String(contentsOf: dataFile("../data/w.txt"), encoding: .utf8))
      ```
      """, "nb.md", in: notebooks)
    try "a".write(to: data.appendingPathComponent("v.txt"), atomically: true, encoding: .utf8)
    try "x".write(to: data.appendingPathComponent("w.txt"), atomically: true, encoding: .utf8)
    XCTAssertEqual(try run(declared, options).result.blocks[0]?.text, "a\nx\n")
    XCTAssertTrue(try run(declared, options).result.cached)
    try "b".write(to: data.appendingPathComponent("v.txt"), atomically: true, encoding: .utf8)
    let edited = try run(declared, options)
    XCTAssertFalse(edited.result.cached)
    XCTAssertEqual(edited.result.blocks[0]?.text, "b\nx\n")
    try "yy".write(to: data.appendingPathComponent("w.txt"), atomically: true, encoding: .utf8)
    XCTAssertEqual(try run(declared, options).result.blocks[0]?.text, "b\nyy\n")
  }

  /// A `data:` file that is a link (to a file in a shared folder) reaches the program as its
  /// content: a relative link copied as a link would point nowhere in the run's folder, an
  /// absolute one would let the program write the user's file. An edit of the target runs again.
  func testADataFileThatIsASymlinkIsReadAsItsContent() throws {
    let (dir, path, options) = try setUp(
      """
      ---
      data: [data/*.csv]
      ---
      ```swift
      print(try String(contentsOfFile: "data/a.csv", encoding: .utf8), terminator: "")
      print(try String(contentsOfFile: "data/b.csv", encoding: .utf8), terminator: "")
      try? "overwritten".write(toFile: "data/b.csv", atomically: false, encoding: .utf8)
      ```
      """)
    let fm = FileManager.default
    try Support.write("1,2\n", to: dir.appendingPathComponent("shared/a.csv"))
    try Support.write("3,4\n", to: dir.appendingPathComponent("shared/b.csv"))
    try fm.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("data/a.csv").path, withDestinationPath: "../shared/a.csv")
    try fm.createSymbolicLink(
      atPath: dir.appendingPathComponent("data/b.csv").path,
      withDestinationPath: dir.appendingPathComponent("shared/b.csv").path)
    let first = try run(path, options).result
    XCTAssertNil(first.blocks[0]?.failure, "\(first)")
    XCTAssertEqual(first.blocks[0]?.text, "1,2\n3,4\n")
    XCTAssertEqual(
      try Support.text(dir.appendingPathComponent("shared/b.csv")), "3,4\n", "the user's file written")
    try Support.write("5,6\n", to: dir.appendingPathComponent("shared/a.csv"))
    XCTAssertEqual(try run(path, options).result.blocks[0]?.text, "5,6\n3,4\n")
  }

  /// Folders of a `handout` that no longer exists (SIGKILLed) go at the next run; a live one's and
  /// other names stay.
  func testAnAbandonedRunFolderIsRemovedByTheNextRun() throws {
    let parent = try Support.temporaryDirectory(self)
    let dead = parent.appendingPathComponent("\(RunFolder.prefix)999999999-\(UUID().uuidString)")
    let live = parent.appendingPathComponent(
      "\(RunFolder.prefix)\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    let other = parent.appendingPathComponent("\(RunFolder.prefix)notes")
    for folder in [dead, live, other] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    let notebook = try Notebook.parse(source: "# x\n", path: parent.appendingPathComponent("x.md").path)
    let made = try RunFolder.make(for: notebook, in: parent)
    defer { made.remove() }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
    XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    XCTAssertTrue(FileManager.default.fileExists(atPath: other.path))
    let mode = try FileManager.default.attributesOfItem(atPath: made.root.path)[.posixPermissions] as? Int
    XCTAssertEqual(mode, 0o700)
  }

  /// The one name rule of a run's folder and a print's scratch folder: exactly
  /// `<prefix><pid>-<uuid>`, a positive pid; anything else is nobody's.
  func testAFolderNamesItsProcessOnlyInExactlyItsShape() {
    let uuid = UUID().uuidString
    XCTAssertEqual(ProcessFolders.owner(of: "handout-run-42-\(uuid)", prefix: RunFolder.prefix), 42)
    XCTAssertEqual(ProcessFolders.owner(of: "handout-print-7-\(uuid)", prefix: PDFPrinter.scratchPrefix), 7)
    for name in [
      "handout-run-notes", "handout-run-0-\(uuid)", "handout-run--1-\(uuid)", "handout-run-42-\(uuid)-x",
      "handout-run-42-", "handout-run-\(uuid)", "handout-print-42-\(uuid)", "x-handout-run-42-\(uuid)",
    ] {
      XCTAssertNil(ProcessFolders.owner(of: name, prefix: RunFolder.prefix), name)
    }
    XCTAssertFalse(ProcessFolders.isGone(ProcessInfo.processInfo.processIdentifier))
    XCTAssertTrue(ProcessFolders.isGone(999_999_999))
  }

  /// A message names a file as the notebook's folder does, never by the run's private folder
  /// (gone when a person reads it, and a random name that would make the page differ each run).
  func testAMessageNamesFilesAsTheNotebooksFolderDoes() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      let here = FileManager.default.currentDirectoryPath
      print("in \\(here), \\(here)/sub/x.txt")
      _ = try Data(contentsOf: URL(fileURLWithPath: "nowhere.txt"))
      ```
      """)
    let block = try XCTUnwrap(try run(path, options).result.blocks[0])
    let failure = try XCTUnwrap(block.failure)
    XCTAssertEqual(block.text, "in ., sub/x.txt\n")
    XCTAssertTrue(failure.message.contains("nowhere.txt"), failure.message)
    XCTAssertFalse(failure.message.contains(RunFolder.prefix), failure.message)
    XCTAssertFalse(failure.message.contains(NSTemporaryDirectory()), failure.message)
    // The page, twice: no random path, the same bytes (a message without an NSError's
    // user-info dictionary, whose order changes from one process to the next).
    _ = try Support.write(
      """
      ```swift
      let here = FileManager.default.currentDirectoryPath
      print("in \\(here), \\(here)/sub/x.txt")
      fatalError("no \\(here)/nowhere.txt")
      ```

      """, "nb.md", in: dir)
    var pages: [Data] = []
    for out in ["out1", "out2"] {
      let result = try Support.handout(["render", "nb.md", "--out", out, "--fresh"], in: dir)
      XCTAssertEqual(result.status, 1, result.output)
      XCTAssertFalse(result.output.contains(RunFolder.prefix), result.output)
      let page = try Data(contentsOf: dir.appendingPathComponent("\(out)/nb.html"))
      XCTAssertFalse(String(decoding: page, as: UTF8.self).contains(RunFolder.prefix))
      pages.append(page)
    }
    XCTAssertEqual(pages[0], pages[1])
    let page = String(decoding: pages[0], as: UTF8.self)
    XCTAssertTrue(page.contains("in ., sub/x.txt"), page)
    XCTAssertTrue(page.contains("no nowhere.txt"), page)
  }

  /// `FileManager.contents(atPath:)` gives nil for a file that is not in the run's folder; the
  /// force-unwrap that stops names no file. A string literal of the code that ran naming a file
  /// beside the notebook (not declared) is the likely cause: the hint says so.
  func testAnUnwrappedNilReadOfAFileBesideTheNotebookGetsTheHint() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      let label = "a string that is no file"
      let data = FileManager.default.contents(atPath: "beside.csv")!
      print(label, data.count)
      ```
      """)
    try "1,2\n".write(to: dir.appendingPathComponent("beside.csv"), atomically: true, encoding: .utf8)
    let failure = try XCTUnwrap(try run(path, options).result.blocks[0]?.failure)
    XCTAssertTrue(
      failure.message.hasSuffix(
        "if it stopped reading `beside.csv`: notebook code runs in a private folder of its own, not the "
          + "notebook's: read `beside.csv` through dataFile(\"beside.csv\") or list it under `data:` in the "
          + "front matter"), failure.message)
    // Read through dataFile, a later stop is not about it: no hint.
    _ = try Support.write(
      "```swift\nprint(try String(contentsOf: dataFile(\"beside.csv\"), encoding: .utf8).count)\n"
        + "let empty: [Int] = []\nprint(empty[1])\n```\n", "nb.md", in: dir)
    let other = try XCTUnwrap(try run(path, options).result.blocks[0]?.failure)
    XCTAssertTrue(other.message.contains("Index out of range"), other.message)
    XCTAssertFalse(other.message.contains("private folder"), other.message)
    // Declared, the file is there: no failure, no hint.
    _ = try Support.write(
      "---\ndata: [beside.csv]\n---\n```swift\nprint(FileManager.default.contents(atPath: \"beside.csv\")!.count)\n```\n",
      "nb.md", in: dir)
    let declared = try XCTUnwrap(try run(path, options).result.blocks[0])
    XCTAssertNil(declared.failure)
    XCTAssertEqual(declared.text, "4\n")
  }
}
