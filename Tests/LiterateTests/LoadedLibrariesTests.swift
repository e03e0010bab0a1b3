import Foundation
import XCTest

@testable import Literate

/// A notebook program's link leaves the libraries `libHandoutRuntime` loads to the dynamic loader
/// (issue 25: reading their 60 000 symbols was half of `ld.lld`'s time), and links the others.
final class LoadedLibrariesTests: XCTestCase {
  /// Compiles `code` as a notebook program is compiled: its `DT_NEEDED` names and what it prints.
  func compileAndRun(_ code: String) throws -> (needed: Set<String>, output: String) {
    let program = try compileAndRunProgram(code)
    return (LoadedLibraries.needed(byLibraryAt: program.executable.path), program.output)
  }

  func testTheRuntimesLibrariesAreLeftToTheLoader() throws {
    let program = try compileAndRun(
      "import Foundation\nimport HandoutKit\nprint(String(format: \"%.3f\", 2.0.squareRoot()), rSum([1, 2]))\n"
    )
    XCTAssertEqual(program.output, "1.414 3.0\n")
    XCTAssertTrue(program.needed.contains("libHandoutRuntime.so"), "\(program.needed)")
    for library in ["libFoundation.so", "libFoundationEssentials.so", "libswiftCore.so", "libdispatch.so"] {
      XCTAssertFalse(program.needed.contains(library), "\(library) was linked: \(program.needed)")
    }
  }

  func testALibraryTheRuntimeDoesNotLoadIsLinked() throws {
    let runtime = LoadedLibraries.needed(byLibraryAt: try Support.runtime().library.path)
    XCTAssertFalse(runtime.contains("libswiftRegexBuilder.so"), "\(runtime)")
    let program = try compileAndRun(
      "import RegexBuilder\nlet digits = Regex { OneOrMore(.digit) }\nprint(\"ab12c\".firstMatch(of: digits)!.output)\n"
    )
    XCTAssertEqual(program.output, "12\n")
    XCTAssertTrue(program.needed.contains("libswiftRegexBuilder.so"), "\(program.needed)")
  }

  func testTheRuntimesNeededLibrariesAreReadFromItsDynamicSection() throws {
    let library = try Support.runtime().library.path
    #if os(Linux)
      let readelf = try ChildProcess.run("/usr/bin/env", ["readelf", "-d", library])
      guard readelf.status == 0 else { throw XCTSkip("readelf did not run: \(readelf.output)") }
      let listed = readelf.output.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap {
        $0.split(separator: "[").last?.split(separator: "]").first.map(String.init)
      }
      XCTAssertTrue(listed.contains("libFoundation.so"), readelf.output)
      XCTAssertEqual(LoadedLibraries.needed(byLibraryAt: library), Set(listed))
    #endif
    let dir = try Support.temporaryDirectory(self)
    let junk = dir.appendingPathComponent("libjunk.so")
    for bytes in [
      Array("not a library".utf8), [0x7F, 0x45, 0x4C, 0x46, 2, 1] + [UInt8](repeating: 0xFF, count: 80),
    ] {
      try Data(bytes).write(to: junk)
      XCTAssertEqual(LoadedLibraries.needed(byLibraryAt: junk.path), [])
    }
    XCTAssertEqual(LoadedLibraries.needed(byLibraryAt: dir.appendingPathComponent("missing.so").path), [])
  }

  func testOnlyTheLoadedLibrariesLeaveTheLinkAndTheObjectsSymbolsWaitForTheLoader() {
    let loaded: Set<String> = ["libFoundation.so", "libswiftCore.so", "libc.so.6"]
    let arguments = ["-pie", "x.o", "-lswiftCore", "-lFoundation", "-lc", "-lswiftRegexBuilder", "-o", "p"]
    XCTAssertEqual(
      LoadedLibraries.link(arguments, without: loaded),
      ["-pie", "x.o", "-lc", "-lswiftRegexBuilder", "-o", "p"] + LoadedLibraries.deferFlags)
    XCTAssertEqual(LoadedLibraries.link(arguments, without: []), arguments, "nothing read: link everything")
    XCTAssertEqual(
      LoadedLibraries.libraries(["-lFoundation", "-lm", "-framework", "X"], without: loaded),
      ["-lm", "-framework", "X"])
  }
}

extension XCTestCase {
  /// Compiles `code` as Handout compiles a notebook's program (the same frontend and link), runs
  /// it, and returns the executable and what it printed; a failed compile or run fails the test.
  func compileAndRunProgram(_ code: String) throws -> (executable: URL, output: String) {
    let (swiftc, toolchain) = try DirectCompileTests.toolchain()
    let dir = try Support.temporaryDirectory(self)
    let (source, output) = (
      dir.appendingPathComponent("program.swift"), dir.appendingPathComponent("program")
    )
    try Data(code.utf8).write(to: source)
    let compiled = try toolchain.compile(
      source: source, output: output, runtime: try Support.runtime(), options: CompileOptions(),
      lld: Compiler.hasLLD(swiftc: swiftc), reaper: nil)
    XCTAssertEqual(compiled.status, 0, compiled.output)
    let ran = try ChildProcess.run(output.path, [])
    XCTAssertEqual(ran.status, 0, ran.output)
    return (output, ran.output)
  }
}
