import Foundation
import XCTest

@testable import Literate

/// Machine values a library hands the code under its own names: `Parallel.threads` (the CPU count,
/// capped by `NEURAL_THREADS`) and `ProductISA.current` (the CPU's vector instructions, or
/// `NEURAL_ISA`). The code names no fact of the machine, so nothing warned and the key held
/// neither: a run that printed `sse2` under `NEURAL_ISA=sse2` was replayed under `NEURAL_ISA=avx2`
/// (and on a course's CI runner without AVX-512).
final class MachineLibraryValuesTests: XCTestCase {
  func notebook(_ code: String, in dir: URL) throws -> (Notebook, RunOptions) {
    let path = try Support.write("# M\n\n```swift\n\(code)\n```\n", "nb.md", in: dir)
    return (try Notebook.load(path: path), try Support.options(cache: dir.appendingPathComponent("cache")))
  }

  /// Runs `code` under `variable=first`, then `variable=second`: each shows its own value, with a
  /// warning that starts with `warning` at line 4.
  func assertEachValueShown(
    _ code: String, _ variable: String, _ first: String, _ second: String, warning: String,
    line: UInt = #line
  ) throws {
    let dir = try Support.temporaryDirectory(self)
    var (notebook, options) = try notebook(code, in: dir)
    options.environment[variable] = first
    let one = try Runner.run(notebook, options: options).result
    XCTAssertEqual(one.blocks[0]?.text, "\(first)\n", line: line)
    let warnings = MachineInputs.warnings(MachineInputs.uses(in: notebook))
    XCTAssertEqual(
      warnings.map { "\($0.location?.line ?? 0) \($0.message)" }
        .filter { $0.hasPrefix("4 \(warning)") }.count, 1, "\(warnings)", line: line)
    options.environment[variable] = second
    let two = try Runner.run(notebook, options: options).result
    XCTAssertFalse(two.cached, "the run under \(variable)=\(first) was replayed under \(second)", line: line)
    XCTAssertEqual(two.blocks[0]?.text, "\(second)\n", line: line)
  }

  func testTheVectorInstructionsKeyTheRun() throws {
    try assertEachValueShown(
      "print(ProductISA.current)", "NEURAL_ISA", "sse2", "avx2",
      warning: "the code reads the CPU's vector instructions (ProductISA)")
  }

  func testNeuralsThreadCountKeysTheRun() throws {
    guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("one CPU") }
    try assertEachValueShown(
      "print(Parallel.threads)", "NEURAL_THREADS", "1", "2",
      warning: "the code reads the machine's CPU count (Parallel.threads)")
  }
}

/// A C function fetched by a name built at run time (`dlsym(nil, "get" + "env")`) reads the
/// machine without naming it: the run under `NEURAL_THREADS=1` was replayed under 2.
final class FetchedByNameTests: XCTestCase {
  func testAFunctionFetchedByNameKeysTheRunOnEveryMachineValue() throws {
    let dir = try Support.temporaryDirectory(self)
    let code = """
      typealias Get = @convention(c) (UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>?
      let get = unsafeBitCast(dlsym(nil, "get" + "env")!, to: Get.self)
      print(get("NEURAL_THREADS").map { String(cString: $0) } ?? "unset")
      """
    let path = try Support.write("# M\n\n```swift\n\(code)\n```\n", "nb.md", in: dir)
    let notebook = try Notebook.load(path: path)
    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    options.environment["NEURAL_THREADS"] = "1"
    XCTAssertEqual(try Runner.run(notebook, options: options).result.blocks[0]?.text, "1\n")
    options.environment["NEURAL_THREADS"] = "2"
    let two = try Runner.run(notebook, options: options).result
    XCTAssertFalse(two.cached, "the run under NEURAL_THREADS=1 was replayed under 2")
    XCTAssertEqual(two.blocks[0]?.text, "2\n")
    XCTAssertEqual(
      MachineInputs.warnings(MachineInputs.uses(in: notebook)).map {
        "\($0.location?.line ?? 0) \($0.message.prefix(39))"
      },
      ["5 the code reads a C function fetched by "])
  }
}
