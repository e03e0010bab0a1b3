import XCTest

@testable import Literate

#if canImport(Glibc)
  import Glibc
#endif

/// A run is a function of its declared inputs, and only of them (issue 12, part 1): data files,
/// the environment, time limits, the working folder, and runs that must never be cached.
final class DeclaredInputsTests: XCTestCase {
  /// A private cache per test: these tests are about what the cache does.
  func setUp(_ source: String, name: String = "nb.md") throws -> (dir: URL, path: String, options: RunOptions)
  {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, name, in: dir)
    let options = try Support.options(cache: dir.appendingPathComponent("cache"))
    return (dir, path, options)
  }

  func run(_ path: String, _ options: RunOptions) throws -> RunResult {
    try output(path, options).result
  }

  func output(_ path: String, _ options: RunOptions) throws -> RunOutput {
    let notebook = try Notebook.load(path: path)
    var output = try Runner.run(notebook, options: options)
    output.result = Checker.check(notebook, output.result)
    return output
  }

  func text(_ run: RunResult, block: Int = 0) -> String {
    (run.blocks[block]?.text ?? "") + (run.blocks[block]?.value ?? "")
  }

  // MARK: data files

  /// What `handout preview` watches: the files read through `dataFile`, from a fresh run and from
  /// the cache alike, the `data:` globs' files and the folder's shared code.
  func testAnOutcomeListsEveryFileItsHandoutDependsOn() throws {
    let (dir, path, options) = try setUp(
      """
      ---
      data: [tables/*.csv]
      ---
      ```swift
      let text = try String(contentsOf: dataFile("read.txt"), encoding: .utf8)
      print(text)
      ```
      """)
    try "words\n".write(to: dir.appendingPathComponent("read.txt"), atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("tables"), withIntermediateDirectories: true)
    try "x\n1\n".write(to: dir.appendingPathComponent("tables/a.csv"), atomically: true, encoding: .utf8)
    let read = dir.appendingPathComponent("read.txt").standardizedFileURL.resolvingSymlinksInPath().path

    let fresh = Pipeline.process(path: path, options: options)
    XCTAssertEqual(fresh.run?.cached, false)
    XCTAssertEqual(fresh.dataFiles.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }, [read])
    let cached = Pipeline.process(path: path, options: options)
    XCTAssertEqual(cached.run?.cached, true)
    XCTAssertEqual(cached.dataFiles, fresh.dataFiles, "a cache hit knows what the run read")

    let folder = (path as NSString).deletingLastPathComponent
    XCTAssertEqual(fresh.inputFiles, ([path, "\(folder)/tables/a.csv"] + fresh.dataFiles).sorted())
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("_shared"), withIntermediateDirectories: true)
    try "let shared = 1\n".write(
      to: dir.appendingPathComponent("_shared/s.swift"), atomically: true, encoding: .utf8)
    XCTAssertTrue(fresh.inputFiles.contains("\(folder)/_shared/s.swift"), "\(fresh.inputFiles)")
    // One that does not parse: itself and the shared code.
    let unparsed = NotebookOutcome(path: path, notebook: nil, run: nil, error: nil)
    XCTAssertEqual(unparsed.inputFiles, ["\(folder)/_shared/s.swift", path].sorted())
  }

  func testAnEditedDataFileReRunsTheNotebook() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift
      let rows = try String(contentsOf: dataFile("points.csv"), encoding: .utf8).split(separator: "\\n")
      print("rows:", rows.count)
      ```
      """)
    let csv = dir.appendingPathComponent("points.csv")
    try "x,y\n1,2\n".write(to: csv, atomically: true, encoding: .utf8)
    let first = try run(path, options)
    XCTAssertEqual(text(first), "rows: 2\n")
    XCTAssertEqual(try run(path, options).cached, true, "an unchanged file keeps the cache")

    try "x,y\n1,2\n3,4\n".write(to: csv, atomically: true, encoding: .utf8)
    let second = try run(path, options)
    XCTAssertFalse(second.cached, "a row was added: the cached count is stale")
    XCTAssertEqual(text(second), "rows: 3\n")

    // Deleted, the program fails (and that failure is not cached either).
    try FileManager.default.removeItem(at: csv)
    let third = try run(path, options)
    XCTAssertFalse(third.cached)
    XCTAssertNotNil(third.blocks[0]?.failure)
  }

  func testSameSizeEditWithOldModificationTimeIsStillSeen() throws {
    let (dir, path, options) = try setUp(
      "```swift\nprint(try String(contentsOf: dataFile(\"v.txt\"), encoding: .utf8))\n```\n")
    let file = dir.appendingPathComponent("v.txt")
    try "1".write(to: file, atomically: true, encoding: .utf8)
    let old = Date(timeIntervalSince1970: 1_000_000)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
    XCTAssertEqual(text(try run(path, options)), "1\n")
    try "2".write(to: file, atomically: true, encoding: .utf8)
    // Same size; the time is moved back by hand: only the hash can tell.
    try FileManager.default.setAttributes(
      [.modificationDate: old.addingTimeInterval(1)], ofItemAtPath: file.path)
    let again = try run(path, options)
    XCTAssertFalse(again.cached)
    XCTAssertEqual(text(again), "2\n")
  }

  func testFrontMatterDataGlobsAreInTheKey() throws {
    let (dir, path, options) = try setUp(
      """
      ---
      data: [tables/*.txt]
      ---
      ```swift
      let names = try FileManager.default.contentsOfDirectory(atPath: "tables").sorted()
      print(try names.map { try String(contentsOfFile: "tables/" + $0, encoding: .utf8) }.joined())
      ```
      """)
    let tables = dir.appendingPathComponent("tables")
    try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: true)
    try "a".write(to: tables.appendingPathComponent("1.txt"), atomically: true, encoding: .utf8)
    XCTAssertEqual(text(try run(path, options)), "a\n")
    XCTAssertTrue(try run(path, options).cached)
    try "b".write(to: tables.appendingPathComponent("2.txt"), atomically: true, encoding: .utf8)
    let added = try run(path, options)
    XCTAssertFalse(added.cached, "a new file matching the glob")
    XCTAssertEqual(text(added), "ab\n")
    try "c".write(to: tables.appendingPathComponent("1.txt"), atomically: true, encoding: .utf8)
    XCTAssertEqual(text(try run(path, options)), "cb\n")
  }

  // MARK: environment

  func testTheProgramSeesOnlyAFixedEnvironmentAndDeclaredVariables() throws {
    let source = """
      ```swift
      let env = ProcessInfo.processInfo.environment
      for name in ["SEED", "SECRET", "LANG", "TZ"] { print(name, env[name] ?? "unset") }
      ```
      """
    var (_, path, options) = try setUp(source)
    options.environment = [
      "SEED": "7", "SECRET": "x", "LANG": "de_DE.UTF-8", "TZ": "Europe/Berlin", "HOME": "/root",
    ]
    XCTAssertEqual(text(try run(path, options)), "SEED unset\nSECRET unset\nLANG C.UTF-8\nTZ UTC\n")

    // Declared in the front matter: seen, and its value is part of the key.
    try ("---\nenv: [SEED]\n---\n" + source).write(toFile: path, atomically: true, encoding: .utf8)
    XCTAssertEqual(text(try run(path, options)), "SEED 7\nSECRET unset\nLANG C.UTF-8\nTZ UTC\n")
    options.environment["SEED"] = "1"
    let changed = try run(path, options)
    XCTAssertFalse(changed.cached, "SEED=1 must not be served the SEED=7 results")
    XCTAssertEqual(text(changed), "SEED 1\nSECRET unset\nLANG C.UTF-8\nTZ UTC\n")

    // `--env SECRET` declares it for every notebook of the run.
    options.declaredEnvironment = ["SECRET"]
    XCTAssertEqual(text(try run(path, options)), "SEED 1\nSECRET x\nLANG C.UTF-8\nTZ UTC\n")
  }

  func testEnvListMustNameVariables() throws {
    let error = try XCTUnwrap(
      (try? Notebook.parse(source: "---\nenv: [\"A B\"]\n---\n# x\n", path: "e.md")) == nil
        ? catchError { try Notebook.parse(source: "---\nenv: [\"A B\"]\n---\n# x\n", path: "e.md") } : nil)
    XCTAssertTrue(
      error.description.hasPrefix("e.md:2:6: error: env: 'A B' is not an environment variable name"),
      error.description)
  }

  func catchError(_ body: () throws -> Notebook) -> HandoutError? {
    do {
      _ = try body()
      return nil
    } catch {
      return error as? HandoutError
    }
  }

  // MARK: time limits and runs that are not the program's fault

  func testATighterTimeLimitIsNotServedFromTheCache() throws {
    let body = "```swift\nThread.sleep(forTimeInterval: 1.5)\nprint(\"done\")\n```\n"
    let (_, path, options) = try setUp("---\ntimeout: 20\n---\n" + body)
    XCTAssertEqual(text(try run(path, options)), "done\n")
    try ("---\ntimeout: 0.5\n---\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
    let tight = try run(path, options)
    XCTAssertFalse(tight.cached)
    XCTAssertTrue(tight.failed)
    XCTAssertTrue(tight.blocks[0]?.failure?.message.hasPrefix("timed out after 0.5 s") == true, "\(tight)")
  }

  func testAKilledRunIsNotCached() throws {
    let (_, path, options) = try setUp(
      "```swift\nprint(\"before\")\nkill(getpid(), SIGKILL)\n```\n")
    let first = try run(path, options)
    XCTAssertTrue(first.failed)
    XCTAssertTrue(first.blocks[0]?.failure?.message.contains("SIGKILL") == true, "\(first)")
    let second = try run(path, options)
    XCTAssertFalse(second.cached, "an out-of-memory kill must not replay until --fresh")
  }

  func testAFigureThatCannotBeWrittenIsAnErrorAtItsShowCall() throws {
    let (_, path, options) = try setUp(
      """
      # Figures

      ```swift
      let figure = Figure(width: 100, height: 80)
      show(figure, name: String(repeating: "x", count: 300))
      ```
      """)
    let result = try run(path, options)
    XCTAssertTrue(result.failed)
    let problem = try XCTUnwrap(result.diagnostics.first { $0.message.contains("could not be written") })
    // At `show`: `#column` of a default argument is the column of the call's parenthesis, which
    // the runner moves to where the call starts (as for `expect`).
    XCTAssertEqual(problem.location, SourceLocation(file: path, line: 5, column: 1))
    XCTAssertFalse(try run(path, options).cached, "a failed figure write is not cached")
  }

  func testACacheEntryWhoseFiguresChangedIsAMiss() throws {
    let (dir, path, options) = try setUp(
      "```swift id=fig\nshow(Figure(width: 100, height: 80))\n```\n")
    let first = try run(path, options)
    XCTAssertFalse(first.failed)
    XCTAssertTrue(try run(path, options).cached)
    // Truncate the SVG inside the cache entry.
    let cache = dir.appendingPathComponent("cache")
    let svgs = DataInputs.files(under: cache.path).filter { $0.hasSuffix("fig-1.svg") }
    XCTAssertEqual(svgs.count, 1)
    let svg = cache.appendingPathComponent(svgs[0])
    try Data("<svg".utf8).write(to: svg)
    let again = try output(path, options)
    XCTAssertFalse(again.result.cached, "a truncated figure must not be published")
    let figures = try XCTUnwrap(again.artifacts?.figures)
    let svgAgain = try String(contentsOfFile: figures.path + "/nb/fig-1.svg", encoding: .utf8)
    XCTAssertTrue(svgAgain.hasSuffix("</svg>\n"), svgAgain)
  }

  func testARunThatIsNotCachedStillPublishesItsFigures() throws {
    let (dir, path, options) = try setUp(
      """
      ```swift id=before
      show(Figure(width: 100, height: 80), caption: "drawn before the trap")
      ```

      ```swift
      let xs = [1]
      print(xs[2])
      ```
      """, name: "trapped.md")
    let outcomes = Pipeline.processAll([path], jobs: 1, options: options)
    XCTAssertTrue(outcomes[0].failed)
    XCTAssertEqual(outcomes[0].run?.cached, false)
    let out = dir.appendingPathComponent("out")
    _ = try Pipeline.publish(outcomes, to: out, weave: WeaveOptions()).problems
    let page = try String(contentsOf: out.appendingPathComponent("trapped.html"), encoding: .utf8)
    XCTAssertTrue(page.contains("before-1.svg"), "the failing page shows the figure")
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("trapped/before-1.svg").path),
      "and the figure is there")
  }

  // MARK: processes

  func testProcessesTheNotebookStartedEndWithTheRun() throws {
    // Found by its argument, this test's own: the program's pids are its PID namespace's.
    let seconds = String(1000 + Int.random(in: 0..<90_000))
    let (_, path, options) = try setUp(
      """
      ---
      timeout: 30
      ---
      ```swift
      let sleeper = Process()
      sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
      sleeper.arguments = ["\(seconds)"]
      try sleeper.run()
      ```

      ```swift timeout=1
      while true {}
      ```
      """)
    let result = try run(path, options)
    XCTAssertTrue(result.blocks[1]?.failure?.message.hasPrefix("timed out") == true, "\(result)")
    let deadline = Date().addingTimeInterval(60)
    while !Support.processes(withArgument: seconds).isEmpty, Date() < deadline { usleep(50_000) }
    XCTAssertEqual(
      Support.processes(withArgument: seconds), [], "sleep \(seconds) outlived the notebook program")
  }

  func testACompileThatRunsTooLongIsStoppedWithALocatedError() throws {
    var (_, path, options) = try setUp("# Slow\n\n```swift\nprint(1)\n```\n")
    options.compile.timeLimit = 0.05
    let result = try run(path, options)
    XCTAssertEqual(result.diagnostics.count, 1)
    let d = try XCTUnwrap(result.diagnostics.first)
    XCTAssertEqual(d.location, SourceLocation(file: path, line: 1))
    XCTAssertTrue(d.message.hasPrefix("compiling the notebook took longer than 0.05 s"), d.message)
  }

  func testACompilerThatFailsWithoutNamingTheNotebookIsNotTheNotebooksError() throws {
    var (dir, path, options) = try setUp("```swift\nprint(1)\n```\n")
    let fake = dir.appendingPathComponent("swiftc")
    try "#!/bin/sh\necho 'ld.lld: error: cannot write output: No space left on device' >&2\nexit 1\n".write(
      to: fake, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    options.compile.swiftc = fake.path
    let outcome = Pipeline.process(path: path, options: options)
    XCTAssertNil(outcome.run, "no compile error may be pinned on the notebook")
    guard case .toolchain(let message) = outcome.error else {
      return XCTFail("\(String(describing: outcome.error))")
    }
    XCTAssertTrue(message.contains("No space left on device"), message)
    XCTAssertTrue(message.contains("without an error in the notebook"), message)
  }

  func testSigtermToHandoutEndsTheNotebookProgramAndItsChildren() throws {
    let build = try Support.runtime().buildDirectory
    let exe = build.appendingPathComponent("handout")
    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
      throw XCTSkip("handout is not built")
    }
    let (dir, _, _) = try setUp(
      """
      ```swift
      import Glibc
      let sleeper = Process()
      sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
      sleeper.arguments = ["1000"]
      try sleeper.run()
      signal(SIGTERM, SIG_IGN)
      try "started".write(to: dataFile("pids"), atomically: true, encoding: .utf8)
      while true {}
      ```
      """)
    let cache = dir.appendingPathComponent("cache")
    let process = Process()
    process.executableURL = exe
    process.arguments = ["check", "nb.md", "--cache", cache.path]
    process.currentDirectoryURL = dir
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let pidsFile = dir.appendingPathComponent("pids")
    let deadline = Date().addingTimeInterval(600)
    while !FileManager.default.fileExists(atPath: pidsFile.path) && Date() < deadline {
      usleep(50_000)
    }
    // The keepers, the program and its `sleep`, by /proc's numbers.
    let pids = Support.descendants(of: process.processIdentifier)
    XCTAssertGreaterThanOrEqual(pids.count, 3)
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 128 + SIGTERM)
    for pid in pids {
      XCTAssertTrue(eventuallyGone(pid), "process \(pid) outlived handout")
    }
    let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
    XCTAssertEqual(leftovers.filter { $0.hasPrefix("tmp-") }, [], "the scratch folder of the run")
  }
}
