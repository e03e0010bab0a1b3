import XCTest

@testable import Literate

/// `GLIBC_TUNABLES` reaches the notebook program (a course can be tried on glibc's code for a CPU
/// without FMA or AVX2), and it was left out of the cache key as if it changed no number. It does
/// for every libm function notebook code calls that is not one of Neural's portable ones: glibc
/// picks `pow`, `atan2`, `tan`, … by CPU feature, and their last bits differ. A run stored under
/// `glibc.cpu.hwcaps=-FMA,-AVX2` was then replayed to a plain render, and the page showed digits
/// no fresh run there gives.
final class GlibcTunablesTests: XCTestCase {
  let source = """
    ```swift
    let p = pow(4.8314338834933057, 2.4153207715374627)
    print(String(format: "%.17g", p))
    ```
    """

  func testARunUnderOtherGlibcTunablesIsNotReplayedWithoutThem() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "pow.md", in: dir)
    var options = try Support.options(cache: dir.appendingPathComponent("cache"))
    let notebook = try Notebook.load(path: path)
    options.environment = [:]
    let plain = try Runner.run(notebook, options: options).result
    options.environment = ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-FMA,-AVX2"]
    let emulated = try Runner.run(notebook, options: options).result
    XCTAssertFalse(emulated.cached, "stored without GLIBC_TUNABLES, replayed under it")
    options.environment = [:]
    let again = try Runner.run(notebook, options: options).result
    XCTAssertTrue(again.cached)
    XCTAssertEqual(again.blocks[0]?.text, plain.blocks[0]?.text)
    // On a CPU with FMA the two differ in the last digits (…974 and …967); without, they agree.
    print("pow: \(plain.blocks[0]?.text ?? "") / \(emulated.blocks[0]?.text ?? "")")
  }
}
