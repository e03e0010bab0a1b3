import XCTest

@testable import Literate

/// Notebook code that calls glibc's `pow`, `atan2`, `tan`, `asin` or a `cos` of a large argument
/// (Neural's portable functions cover `exp`, `log`, `tanh`, `sin`, `cos` of moderate arguments only)
/// printed other last digits on a CPU without FMA: glibc picks those functions by CPU feature at
/// load time, and its FMA variants round differently. Every CPU now runs glibc's generic code in
/// the notebook program, so the page is the same on each: here the run as on this CPU and the run
/// as on a CPU without FMA or AVX2 (`GLIBC_TUNABLES`, what `make same-bits` tries) print the same.
/// On a CPU with FMA this failed before (`pow`: …974 against …967); on one without, it cannot.
final class GenericLibmTests: XCTestCase {
  let source = """
    ```swift
    for v in [
      pow(4.8314338834933057, 2.4153207715374627), atan2(4.4298304361141199, -1.3557636783793048),
      tan(-1.527293246544172), asin(0.73921478162), Foundation.cos(345741113.28059733),
    ] {
      print(String(format: "%.17g", v))
    }
    ```
    """

  func testGlibcFunctionsPrintTheSameDigitsAsOnACPUWithoutFMA() throws {
    let dir = try Support.temporaryDirectory(self)
    let path = try Support.write(source, "libm.md", in: dir)
    let notebook = try Notebook.load(path: path)
    var texts: [String] = []
    for (name, environment) in [
      ("here", [String: String]()), ("no-fma", ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-FMA,-AVX2"]),
      ("other tunables", ["GLIBC_TUNABLES": "glibc.malloc.check=0:glibc.cpu.hwcaps=-AVX512F"]),
    ] {
      var options = try Support.options(cache: dir.appendingPathComponent("cache-\(name)"))
      options.environment = environment
      let result = try Runner.run(notebook, options: options).result
      XCTAssertFalse(result.failed, name)
      texts.append(result.blocks[0]?.text ?? "")
    }
    XCTAssertEqual(texts[0].split(separator: "\n").count, 5, texts[0])
    XCTAssertEqual(texts[0], texts[1], "glibc's FMA code on this CPU, its generic code without FMA")
    XCTAssertEqual(texts[0], texts[2])
  }

  func testTheProgramsTunablesKeepTheUsersAndTurnFMAOff() {
    XCTAssertEqual(Runner.genericLibm(nil), "glibc.cpu.hwcaps=-FMA,-FMA4,-AVX2")
    XCTAssertEqual(
      Runner.genericLibm("glibc.malloc.check=3"), "glibc.malloc.check=3:glibc.cpu.hwcaps=-FMA,-FMA4,-AVX2")
    XCTAssertEqual(
      Runner.genericLibm("glibc.cpu.hwcaps=-AVX512F:glibc.malloc.check=3"),
      "glibc.cpu.hwcaps=-AVX512F,-FMA,-FMA4,-AVX2:glibc.malloc.check=3")
  }
}
