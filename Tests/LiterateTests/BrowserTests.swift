import Foundation
import XCTest

@testable import Literate

/// Opens a woven handout in headless Chromium and checks what a student would see: math typeset
/// by KaTeX (no raw delimiters, no KaTeX errors) and every figure loaded.
///
/// Set `HANDOUT_SCREENSHOTS=<dir>` to also save desktop (1200 px) and phone (400 px) screenshots.
final class BrowserTests: XCTestCase {
  static func chromium() -> String? {
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    where FileManager.default.isExecutableFile(atPath: path) {
      return path
    }
    return nil
  }

  /// Runs Chromium headless on `url` with `arguments`; returns stdout. A `--dump-dom` that prints
  /// nothing (in a loaded run Chromium once left a DOM dump empty, which no page gives) is tried
  /// once more; a second one throws with Chromium's exit status and the end of its stderr.
  static func runChromium(_ chromium: String, _ arguments: [String], url: URL) throws -> String {
    var said = ""
    for _ in 0..<2 {
      let (status, stdout, stderr) = try runChromiumOnce(chromium, arguments, url: url)
      if !stdout.isEmpty || !arguments.contains("--dump-dom") { return stdout }
      said = "Chromium printed nothing (status \(status)): \(stderr.suffix(2000))"
    }
    throw ChromiumError(description: said)
  }

  /// What a test page `html` (written to `url`, beside what it loads) puts into its
  /// `<pre id="log">` once Chromium has run its script: the text of that element, as the DOM
  /// Chromium dumps holds it. A measuring harness's whole round trip (`arguments` go to Chromium).
  static func log(_ html: String, at url: URL, chromium: String, arguments: [String] = []) throws -> String {
    try Data(html.utf8).write(to: url)
    let dom = try runChromium(chromium, ["--dump-dom"] + arguments, url: url)
    return String(try XCTUnwrap(dom.firstMatch(of: #/<pre id="log">([^<]*)/#)?.output.1, "no log in \(dom)"))
  }

  struct ChromiumError: Error, CustomStringConvertible {
    var description: String
  }

  static func runChromiumOnce(_ chromium: String, _ arguments: [String], url: URL) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium)
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chromium-\(UUID().uuidString)")
    // Its stderr to a file beside the profile: a pipe not read while stdout is could fill up.
    let errURL = URL(fileURLWithPath: profile.path + "-stderr.txt")
    defer {
      try? FileManager.default.removeItem(at: profile)
      try? FileManager.default.removeItem(at: errURL)
    }
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)",
        "--virtual-time-budget=10000", "--allow-file-access-from-files",
      ] + arguments + [url.absoluteString]
    let out = Pipe()
    process.standardOutput = out
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try err.close()
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), stderr)
  }

  /// Writes the fixture handout (with assets and a real SVG figure) into a fresh folder.
  func writeHandout(selfContained: Bool, breakFigure: Bool = false) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "weave-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("neuron"), withIntermediateDirectories: true)
    if !breakFigure {
      try Data(WeaveFixture.svg.utf8).write(to: dir.appendingPathComponent("neuron/train-1.svg"))
    }
    let options = WeaveFixture.options(selfContained: selfContained, figureRoot: dir)
    let html = try Weave.page(notebook: WeaveFixture.notebook(), run: WeaveFixture.run(), options: options)
    if !selfContained { try Support.installAssets(into: dir, options: options) }
    let page = dir.appendingPathComponent("neuron.html")
    try Data(html.utf8).write(to: page)
    return page
  }

  /// `html` without any `<tag …>…</tag>` element of the given names (plain string search: the
  /// inlined KaTeX is large, and nothing in it closes its own element early).
  static func removingElements(_ tags: [String], from html: String) -> String {
    var html = html
    for tag in tags {
      var out = ""
      var rest = html[...]
      while let open = rest.range(of: "<\(tag)"), let close = rest[open.upperBound...].range(of: "</\(tag)>")
      {
        out += rest[..<open.lowerBound]
        rest = rest[close.upperBound...]
      }
      html = out + rest
    }
    return html
  }

  /// The dumped DOM's visible text with KaTeX's MathML annotations (which hold the TeX) removed.
  func textOutsideAnnotations(_ dom: String) -> String {
    Self.removingElements(["annotation", "script", "style"], from: dom).replacing(#/<[^>]+>/#, with: "")
  }

  func assertTypesetAndLoaded(_ fullDOM: String, file: StaticString = #filePath, line: UInt = #line) {
    // Inlined KaTeX (self-contained) carries strings like `katex-error` and `<img`: look past it.
    let dom = Self.removingElements(["script", "style"], from: fullDOM)
    XCTAssertTrue(fullDOM.contains("data-math=\"done\""), "the page script ran", file: file, line: line)
    XCTAssertGreaterThanOrEqual(
      dom.components(separatedBy: "class=\"katex\"").count - 1, 4, "math typeset", file: file, line: line)
    XCTAssertFalse(dom.contains("katex-error"), "no KaTeX errors", file: file, line: line)
    let text = textOutsideAnnotations(dom)
    for raw in ["$$", "\\[", "\\(", "\\frac", "w_1"] {
      XCTAssertFalse(text.contains(raw), "raw TeX \(raw) left in the page text", file: file, line: line)
    }
    let images = dom.matches(of: #/<img [^>]*>/#).map { String($0.output) }
    XCTAssertFalse(images.isEmpty, "the figure is on the page", file: file, line: line)
    for img in images {
      XCTAssertTrue(
        img.contains("data-loaded=\"yes\""), "image did not load: \(img.prefix(200))", file: file, line: line)
    }
    XCTAssertTrue(fullDOM.contains("data-broken-images=\"0\""), file: file, line: line)
  }

  func testHandoutTypesetsMathAndLoadsFigures() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let page = try writeHandout(selfContained: false)
    defer { try? FileManager.default.removeItem(at: page.deletingLastPathComponent()) }
    let dom = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: page)
    assertTypesetAndLoaded(dom)
    if let dir = ProcessInfo.processInfo.environment["HANDOUT_SCREENSHOTS"] {
      _ = try BrowserTests.runChromium(
        chromium, ["--screenshot=\(dir)/desktop.png", "--window-size=1200,2400", "--hide-scrollbars"],
        url: page)
      _ = try BrowserTests.runChromium(
        chromium, ["--screenshot=\(dir)/phone.png", "--window-size=400,2400", "--hide-scrollbars"], url: page)
      _ = try BrowserTests.runChromium(
        chromium, ["--print-to-pdf=\(dir)/print.pdf", "--no-pdf-header-footer"], url: page)
      let site = URL(fileURLWithPath: dir).appendingPathComponent("site")
      try? FileManager.default.removeItem(at: site)
      try FileManager.default.copyItem(at: page.deletingLastPathComponent(), to: site)
      var broken = WeaveFixture.run()
      broken.diagnostics = [Diagnostic(.error, "cannot find 'eta' in scope", at: nil)]
      var mlp = IndexEntry(notebook: WeaveFixture.notebook(), run: broken, href: "mlp.html")
      mlp.title = "Multilayer perceptrons"
      mlp.subtitle = nil
      let entries = [IndexEntry(notebook: WeaveFixture.notebook(), run: RunResult()), mlp]
      let index = site.appendingPathComponent("index.html")
      try Data(Weave.index(entries: entries, options: WeaveFixture.options()).utf8).write(to: index)
      _ = try BrowserTests.runChromium(
        chromium, ["--screenshot=\(dir)/index.png", "--window-size=900,600", "--hide-scrollbars"], url: index)
    }
  }

  func testSelfContainedHandoutWorksAlone() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let page = try writeHandout(selfContained: true)
    // Only the HTML file travels: remove the figure it was built from.
    let lonely = FileManager.default.temporaryDirectory.appendingPathComponent(
      "weave-lonely-\(UUID().uuidString).html")
    try FileManager.default.moveItem(at: page, to: lonely)
    try? FileManager.default.removeItem(at: page.deletingLastPathComponent())
    defer { try? FileManager.default.removeItem(at: lonely) }
    let dom = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: lonely)
    assertTypesetAndLoaded(dom)
  }

  /// The check must be able to fail: a handout whose figure file is missing is caught.
  func testMissingFigureIsDetected() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let page = try writeHandout(selfContained: false, breakFigure: true)
    defer { try? FileManager.default.removeItem(at: page.deletingLastPathComponent()) }
    let dom = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: page)
    XCTAssertTrue(dom.contains("data-loaded=\"no\""), "a broken image is marked")
    XCTAssertTrue(dom.contains("data-broken-images=\"1\""))
    XCTAssertTrue(dom.contains("figure broken"))
  }
}
