import Foundation
import XCTest

/// `handout preview` shows a failing notebook's page at its usual address, but the output folder
/// keeps the last good handout: the failing page goes beside it, as `render` puts it (promise 1: a
/// bad edit never costs the last good handout, even one made while previewing the folder a course
/// publishes from).
final class PreviewKeepsGoodPageTests: XCTestCase {
  static func notebook(_ value: Int, expected: Int) -> String {
    """
    # Kept

    Prose \(value).

    ```swift
    show(Figure(width: \(value), height: 40), caption: "drawn at \(value)")
    print("value \(value)")
    expect(\(value), equals: \(expected))
    ```

    """
  }

  func testAFailingEditIsShownButTheGoodHandoutStaysInTheFolder() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("kept.md")
    try Self.notebook(60, expected: 60).write(to: notebook, atomically: true, encoding: .utf8)
    let output = dir.appendingPathComponent("output")
    let rendered = try HandoutCLI.run(["render", "notebooks", "-o", "output", "--slides"], in: dir)
    XCTAssertEqual(rendered.status, 0, rendered.stdout + rendered.stderr)
    func onDisk(_ name: String) -> String? {
      try? String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
    }

    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output", "--slides"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    try preview.waitForPage(port: port, path: "/kept.html", containing: "value 60")

    // A check that fails now: the browser shows the new, failing page and deck at their addresses…
    try Self.notebook(61, expected: 62).write(to: notebook, atomically: true, encoding: .utf8)
    let failing = try preview.waitForPage(port: port, path: "/kept.html", containing: "value 61")
    XCTAssertTrue(failing.contains("/__handout/events?handout=kept"), failing)
    try preview.waitForPage(port: port, path: "/kept.slides.html", containing: "Prose 61")
    // …with its figures (its links are relative to the failing page's own folder).
    let figure = try XCTUnwrap(
      failing.firstMatch(of: #/src="(kept[^"]*\.svg)"/#).map { String($0.1) }, failing)
    XCTAssertTrue(try LoopbackHTTP.get(port: port, path: "/" + figure).hasPrefix("HTTP/1.1 200"), figure)
    // …while the folder keeps the good handout, the failing one beside it.
    XCTAssertTrue(onDisk("kept.html")?.contains("value 60") == true, onDisk("kept.html") ?? "no kept.html")
    XCTAssertTrue(onDisk("kept.slides.html")?.contains("Prose 60") == true, "the good deck")
    XCTAssertTrue(onDisk("kept.failed.html")?.contains("value 61") == true, "the failing page beside it")

    // Stopped in the middle of the bad edit: what stays to be published is the good handout.
    preview.terminate()
    _ = try preview.waitForExit(seconds: 120)
    XCTAssertTrue(onDisk("kept.html")?.contains("value 60") == true, onDisk("kept.html") ?? "no kept.html")

    // Fixed and previewed again: the new good page in place, the failing one gone.
    try Self.notebook(63, expected: 63).write(to: notebook, atomically: true, encoding: .utf8)
    let again = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output", "--slides"], in: dir)
    defer { again.stop() }
    try again.waitForPage(port: try again.port(), path: "/kept.html", containing: "value 63")
    XCTAssertTrue(onDisk("kept.html")?.contains("value 63") == true, onDisk("kept.html") ?? "no kept.html")
    XCTAssertNil(onDisk("kept.failed.html"), "the failing page is gone")
  }
}
