import XCTest

/// The student program's parent is its keeper, a fork of `handout`: a copy of its memory, which
/// holds the instructor's notebook, solutions and all. Public code that read the keeper's
/// /proc/<pid>/mem (the same user; pid 1 of its namespace) found a solution's code there and put
/// it on the student's page. It may look, but finds nothing: the keeper is not dumpable.
final class StudentKeeperMemoryTests: XCTestCase {
  static let notebook = """
    # Memory

    ::: exercise The answer
    Find it.

    ::: solution
    ```swift
    let answer = "QUOKKA-ANSWER-7731"
    ```
    :::
    :::

    ```swift
    import Foundation
    func scan(_ pid: Int32) -> String {
      guard let maps = try? String(contentsOfFile: "/proc/\\(pid)/maps", encoding: .utf8) else {
        return "no maps"
      }
      let fd = open("/proc/\\(pid)/mem", O_RDONLY)
      if fd < 0 { return "closed" }
      defer { close(fd) }
      let needle = Array(("QUOKKA" + "-ANSWER-" + "7731").utf8)
      for line in maps.split(separator: "\\n") where line.split(separator: " ")[1].hasPrefix("rw") {
        let range = line.split(separator: " ")[0].split(separator: "-")
        guard let lo = UInt64(range[0], radix: 16), let hi = UInt64(range[1], radix: 16), hi - lo < 1 << 30
        else { continue }
        var bytes = [UInt8](repeating: 0, count: Int(hi - lo))
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(hi - lo), off_t(lo)) }
        guard n > needle.count else { continue }
        for i in 0..<(n - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<i + needle.count]) == needle {
          return "LEA" + "KED " + String(decoding: bytes[max(0, i - 20)..<min(n, i + 30)], as: UTF8.self)
        }
      }
      return "not found"
    }
    print("keeper:", scan(getppid()))
    ```

    """

  func testTheStudentProgramCannotReadItsKeepersMemory() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(Self.notebook, to: dir.appendingPathComponent("nb/m.md"))
    let render = try Support.handout(
      ["render", "nb", "--out", "student", "--profile", "student", "--fresh"], in: dir,
      cache: dir.appendingPathComponent("cache"))
    XCTAssertEqual(render.status, 0, render.output)
    let page = try Support.text(dir.appendingPathComponent("student/m.html"))
    XCTAssertTrue(page.contains("keeper:"), page)
    for (path, text) in try Support.contents(under: dir.appendingPathComponent("student")) {
      XCTAssertFalse(text.contains("QUOKKA-ANSWER") || text.contains("LEAKED"), "\(path): \(text)")
    }
  }
}
