import Foundation
import XCTest

@testable import Literate

/// A notebook program is compiled by running the driver's jobs directly (issue 25: the driver and
/// `swift-autolink-extract` were a fifth of a cold compile), with exactly the driver's arguments
/// and libraries, and with its errors still at notebook lines.
final class DirectCompileTests: XCTestCase {
  /// The toolchain's driver and its jobs; a failure on Linux, where notebooks compile through them.
  static func toolchain() throws -> (swiftc: String, toolchain: DirectToolchain) {
    let swiftc = try Compiler.swiftcPath(CompileOptions())
    guard let toolchain = DirectToolchain.locate(swiftc: swiftc) else {
      #if os(Linux)
        XCTFail("\(swiftc) is not a swift.org Linux toolchain's driver: notebooks compile through it")
      #endif
      throw XCTSkip("the driver's jobs are run directly only on Linux")
    }
    return (swiftc, toolchain)
  }

  /// `swiftc -###` prints the jobs it would run, one a line; the tests' paths have no spaces.
  func plannedJobs(_ swiftc: String, _ arguments: [String]) throws -> [[String]] {
    let result = try ChildProcess.run(swiftc, arguments + ["-###"])
    XCTAssertEqual(result.status, 0, result.output)
    return result.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
  }

  func testTheJobsAreTheOnesTheDriverPlans() throws {
    let (swiftc, toolchain) = try Self.toolchain()
    let dir = try Support.temporaryDirectory(self)
    let runtime = try Support.runtime()
    let (source, output) = (
      dir.appendingPathComponent("program.swift"), dir.appendingPathComponent("program")
    )
    try Data("print(1)\n".utf8).write(to: source)
    let lld = Compiler.hasLLD(swiftc: swiftc)
    for optimize in [false, true] {
      for shared in [nil, SharedModule(directory: dir.appendingPathComponent("shared"))] {
        let options = CompileOptions(optimize: optimize, shared: shared)
        let jobs = try plannedJobs(
          swiftc,
          Compiler.arguments(source: source, output: output, runtime: runtime, options: options, lld: lld))
        let frontend = try XCTUnwrap(jobs.first { $0.first?.hasSuffix("/swift-frontend") == true })
        let link = try XCTUnwrap(jobs.first { $0.first?.hasSuffix("/clang") == true })
        XCTAssertTrue(jobs.contains { $0.first?.hasSuffix("/swift-autolink-extract") == true }, "\(jobs)")
        XCTAssertEqual(jobs.count, 3, "\(jobs)")
        let object = URL(fileURLWithPath: try XCTUnwrap(frontend.last))
        XCTAssertEqual(
          frontend,
          [toolchain.frontend]
            + toolchain.frontendArguments(
              source: source, object: object, runtime: runtime, options: options,
              directory: FileManager.default.currentDirectoryPath),
          "optimize \(optimize), shared \(shared != nil)")
        XCTAssertEqual(
          link.map { $0.hasPrefix("@") && $0.hasSuffix(".autolink") ? "@autolink" : $0 },
          [toolchain.clang]
            + toolchain.linkArguments(
              object: object, autolink: ["@autolink"], output: output, runtime: runtime, options: options,
              lld: lld),
          "optimize \(optimize), shared \(shared != nil)")
      }
    }
  }

  func testTheLibrariesAreTheOnesAutolinkExtractWrites() throws {
    let (_, toolchain) = try Self.toolchain()
    let dir = try Support.temporaryDirectory(self)
    let runtime = try Support.runtime()
    let source = dir.appendingPathComponent("program.swift")
    let object = dir.appendingPathComponent("program.o")
    try Data("import Foundation\nimport Dispatch\nimport HandoutKit\nprint(Date.now, sqrt(2.0))\n".utf8)
      .write(
        to: source)
    let compiled = try ChildProcess.run(
      toolchain.frontend,
      toolchain.frontendArguments(
        source: source, object: object, runtime: runtime, options: CompileOptions(), directory: dir.path))
    XCTAssertEqual(compiled.status, 0, compiled.output)
    let extract = URL(fileURLWithPath: toolchain.frontend).deletingLastPathComponent()
      .appendingPathComponent("swift-autolink-extract").path
    let listed = dir.appendingPathComponent("program.autolink")
    let extracted = try ChildProcess.run(extract, [object.path, "-o", listed.path])
    XCTAssertEqual(extracted.status, 0, extracted.output)
    let expected = try String(contentsOf: listed, encoding: .utf8).split(separator: "\n").map(String.init)
    XCTAssertTrue(expected.contains("-lFoundation") && expected.contains("-lswiftCore"), "\(expected)")
    XCTAssertEqual(try AutolinkEntries.read(object: object), expected)
  }

  /// The linker runs directly, with the command `clang` plans for it while the frontend compiles.
  func testTheLinkerRunsAsClangWouldRunIt() throws {
    let (swiftc, toolchain) = try Self.toolchain()
    let dir = try Support.temporaryDirectory(self)
    let runtime = try Support.runtime()
    let (source, object, output) = (
      dir.appendingPathComponent("program.swift"), dir.appendingPathComponent("program.o"),
      dir.appendingPathComponent("program")
    )
    try Data("import HandoutKit\nprint(6 * 7)\n".utf8).write(to: source)
    let options = CompileOptions()
    let lld = Compiler.hasLLD(swiftc: swiftc)
    let placeholder = dir.appendingPathComponent("link-plan.o")
    let plan = LinkPlan(
      clang: toolchain.clang,
      arguments: toolchain.linkArguments(
        object: placeholder, autolink: [LinkPlan.autolinkPlaceholder], output: output, runtime: runtime,
        options: options, lld: lld),
      placeholderObject: placeholder, reaper: nil)
    let compiled = try ChildProcess.run(
      toolchain.frontend,
      toolchain.frontendArguments(
        source: source, object: object, runtime: runtime, options: options, directory: dir.path))
    XCTAssertEqual(compiled.status, 0, compiled.output)
    let autolink = try AutolinkEntries.read(object: object)
    let command = try XCTUnwrap(plan.command(object: object, autolink: autolink))
    let planned = try ChildProcess.run(
      toolchain.clang,
      toolchain.linkArguments(
        object: object, autolink: autolink, output: output, runtime: runtime, options: options, lld: lld)
        + ["-###"])
    XCTAssertEqual(LinkPlan.jobs(in: planned.output), [command], "the command clang runs for this object")
    XCTAssertFalse(command[0].hasSuffix("/clang"), command[0])
    let linked = try ChildProcess.run(command[0], Array(command.dropFirst()))
    XCTAssertEqual(linked.status, 0, linked.output)
    XCTAssertEqual(try ChildProcess.run(output.path, []).output, "42\n")
    XCTAssertNil(
      plan.command(object: object, autolink: ["-framework", "Cairo"]), "not a plain -l: clang links")
  }

  func testClangsQuotedJobsAreRead() {
    XCTAssertEqual(
      LinkPlan.jobs(
        in:
          "clang version 17\nTarget: x86_64\n \"/usr/bin/ld\" \"-o\" \"a b\" \"q\\\"x\" \"\\\\\" \"\\$HOME\"\n"
      ),
      [["/usr/bin/ld", "-o", "a b", "q\"x", "\\", "$HOME"]])
    XCTAssertNil(LinkPlan.jobs(in: " \"/usr/bin/ld\" unquoted\n"))
    XCTAssertNil(LinkPlan.jobs(in: " \"/usr/bin/ld\" \"open\n"))
    XCTAssertEqual(LinkPlan.jobs(in: "clang: error: no such file\n"), [])
  }

  func testOtherFlagsComeFirstAndEachRuntimeLibraryOnceInItsPlace() {
    XCTAssertEqual(
      AutolinkEntries.order(["-lz", "-lcairo", "-lswiftCore", "-lFoundation", "-lcairo", "-lswiftCore"]),
      ["-lcairo", "-lcairo", "-lswiftCore", "-lFoundation", "-lz"])
  }

  func testAFileThatIsNotAnELFObjectIsAnErrorNotAnEmptyList() throws {
    let dir = try Support.temporaryDirectory(self)
    let file = dir.appendingPathComponent("x.o")
    for bytes in [
      Array("not an object".utf8), [0x7F, 0x45, 0x4C, 0x46, 2, 1] + [UInt8](repeating: 0xFF, count: 80),
    ] {
      try Data(bytes).write(to: file)
      XCTAssertThrowsError(try AutolinkEntries.read(object: file))
    }
    XCTAssertThrowsError(try AutolinkEntries.read(object: dir.appendingPathComponent("missing.o")))
  }

  /// A toolchain whose `swiftc` is a driver that must not run: notebooks still compile (errors at
  /// their own lines), and the driver never starts.
  func testANotebookCompilesWithoutStartingTheDriver() throws {
    let (swiftc, toolchain) = try Self.toolchain()
    let dir = try Support.temporaryDirectory(self)
    let bin = dir.appendingPathComponent("usr/bin", isDirectory: true)
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let real = URL(fileURLWithPath: toolchain.usr)
    try FileManager.default.createSymbolicLink(
      at: dir.appendingPathComponent("usr/lib"), withDestinationURL: real.appendingPathComponent("lib"))
    for tool in ["swift-frontend", "clang", "ld.lld"]
    where FileManager.default.fileExists(atPath: real.appendingPathComponent("bin/\(tool)").path) {
      try FileManager.default.createSymbolicLink(
        at: bin.appendingPathComponent(tool), withDestinationURL: real.appendingPathComponent("bin/\(tool)"))
    }
    let started = dir.appendingPathComponent("driver-started")
    let driver = bin.appendingPathComponent("swift-driver")
    try "#!/bin/sh\ntouch '\(started.path)'\nexec '\(swiftc)' \"$@\"\n".write(
      to: driver, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: driver.path)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("swiftc"), withDestinationURL: driver)

    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    options.compile.swiftc = bin.appendingPathComponent("swiftc").path
    let good = try Support.write("# G\n\n```swift\nlet x = 6 * 7\nprint(x)\n```\n", "good.md", in: dir)
    let goodRun = try XCTUnwrap(Pipeline.process(path: good, options: options).run)
    XCTAssertEqual(goodRun.blocks[0]?.text, "42\n")
    let bad = try Support.write("# B\n\n```swift\nlet x = 1\nlet y: String = x\n```\n", "bad.md", in: dir)
    let badRun = try XCTUnwrap(Pipeline.process(path: bad, options: options).run)
    let error = try XCTUnwrap(badRun.diagnostics.first)
    XCTAssertEqual(error.location, SourceLocation(file: bad, line: 5, column: 17), error.message)
    XCTAssertFalse(FileManager.default.fileExists(atPath: started.path), "the driver ran")
    let leftovers = try FileManager.default.subpathsOfDirectory(
      atPath: dir.appendingPathComponent("cache").path)
    XCTAssertFalse(leftovers.contains { $0.hasSuffix(".o") }, "\(leftovers)")
  }
}
