import XCTest

@testable import Literate

/// A render that cannot write the handout's PDF in full (a full disk, `ulimit -f`) keeps the last
/// good handout, PDF and all. The previous PDF, carried over into the new folder when no new one
/// could be printed, was cut at the limit and swapped in all the same: `k.pdf` became a 16 KiB
/// stump that no reader opens, recorded as Handout's, and the good PDF was gone.
final class PDFKeptTests: XCTestCase {
  func testAPDFThatCannotBeWrittenWholeNeverReplacesTheLastGoodOne() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebook = dir.appendingPathComponent("nb/k.md")
    let out = dir.appendingPathComponent("out")
    try Support.write("# K\n\nWords $x^2$.\n\n```swift\nprint(1)\n```\n", to: notebook)
    let good = try Support.handout(["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache)
    XCTAssertEqual(good.status, 0, good.output)
    let pdf = try Data(contentsOf: out.appendingPathComponent("k.pdf"))
    let page = try Data(contentsOf: out.appendingPathComponent("k.html"))
    XCTAssertGreaterThan(pdf.count, 20 * 1024, "the test needs a PDF larger than the limit")

    // Prose only: the run comes from the cache, nothing is compiled under the limit.
    try Support.write("# K\n\nEdited words $x^2$.\n\n```swift\nprint(1)\n```\n", to: notebook)
    let limited = try Support.handout(
      ["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache, fileSizeLimit: 16)
    XCTAssertNotEqual(limited.status, 0, limited.output)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("k.pdf")), pdf, limited.output)
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("k.html")), page, limited.output)
    XCTAssertTrue(limited.output.contains("the previous one is kept"), limited.output)

    // Without the limit, the edit is published, its PDF whole.
    let next = try Support.handout(["render", "nb", "--out", "out", "--pdf"], in: dir, cache: cache)
    XCTAssertEqual(next.status, 0, next.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("k.html")).contains("Edited words"))
    let printed = try Data(contentsOf: out.appendingPathComponent("k.pdf"))
    XCTAssertTrue(printed.starts(with: Data("%PDF-".utf8)) && printed.count > 20 * 1024, "\(printed.count)")
  }

  /// A PDF that cannot be printed (Chromium crashes) after an edit keeps the whole last good
  /// handout: its page and deck too, so all three still say the same. The new page and deck went in
  /// beside the old PDF, printed from the page before the edit.
  func testAPDFThatCannotBePrintedKeepsThePageAndDeckItWasPrintedFrom() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      throw XCTSkip("/usr/bin/chromium is not installed (chromium)")
    }
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebook = dir.appendingPathComponent("nb/k.md")
    let out = dir.appendingPathComponent("out")
    let arguments = ["render", "nb", "--out", "out", "--pdf", "--slides"]
    try Support.write("# K\n\nThe old words.\n\n## A slide\n\n```swift\nprint(1)\n```\n", to: notebook)
    let good = try Support.handout(arguments, in: dir, cache: cache)
    XCTAssertEqual(good.status, 0, good.output)
    let files = ["k.html", "k.slides.html", "k.pdf"].map(out.appendingPathComponent)
    let before = try files.map { try Data(contentsOf: $0) }

    let crashing = dir.appendingPathComponent("crashing-chromium")
    try Support.write("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n", to: crashing)
    chmod(crashing.path, 0o755)
    try Support.write("# K\n\nThe new words.\n\n## A slide\n\n```swift\nprint(1)\n```\n", to: notebook)
    let failed = try Support.handout(
      arguments, in: dir, cache: cache, environment: ["HANDOUT_CHROMIUM": crashing.path])
    XCTAssertEqual(failed.status, 1, failed.output)
    for (file, bytes) in zip(files, before) {
      XCTAssertEqual(try Data(contentsOf: file), bytes, "\(file.lastPathComponent) changed: \(failed.output)")
    }
    XCTAssertTrue(
      failed.output.contains(
        "k.pdf was not printed; the previous k.pdf is kept, with the page and deck it was printed from"),
      failed.output)

    // A handout without a PDF yet gets its page and deck, and no PDF.
    try Support.write("# M\n\nWords.\n", to: dir.appendingPathComponent("nb/m.md"))
    let first = try Support.handout(
      arguments, in: dir, cache: cache, environment: ["HANDOUT_CHROMIUM": crashing.path])
    XCTAssertEqual(first.status, 1, first.output)
    XCTAssertTrue(first.output.contains("m.pdf was not printed (no PDF)"), first.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("m.html")).contains("Words."), first.output)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("m.pdf").path))
  }

  /// Chromium stopped by the file-size limit (`ulimit -f`, under tens of MiB: its profile) said
  /// only "killed by signal 25" and a line of the chromium script's: it says which limit, and what
  /// to do.
  func testAPrintStoppedByTheFileSizeLimitSaysSo() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      throw XCTSkip("/usr/bin/chromium is not installed (chromium)")
    }
    let dir = try Support.temporaryDirectory(self)
    try Support.write("# K\n\nWords.\n", to: dir.appendingPathComponent("nb/k.md"))
    let limited = try Support.handout(
      ["render", "nb", "--out", "out", "--pdf"], in: dir, cache: dir.appendingPathComponent("cache"),
      fileSizeLimit: 20_000)
    XCTAssertEqual(limited.status, 1, limited.output)
    XCTAssertTrue(
      limited.output.contains(
        "k.pdf was not printed (no PDF): Chromium could not print the handout: the file-size limit (ulimit -f) "
          + "stopped it; raise it (ulimit -f unlimited)"), limited.output)
    XCTAssertTrue(try Support.text(dir.appendingPathComponent("out/k.html")).contains("Words."))
  }

  /// Without Chromium, `render --pdf` after an edit put the new page and deck beside the PDF printed
  /// from the old page (the previous PDF was kept as it was): a handout that has a PDF is now kept
  /// whole, as when Chromium cannot print it, and the error says so; a new handout gets its page.
  func testWithoutChromiumAHandoutThatHasAPDFIsKeptWhole() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") {
      throw XCTSkip("/usr/bin/chromium is not installed (chromium)")
    }
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("cache")
    let notebook = dir.appendingPathComponent("nb/k.md")
    let out = dir.appendingPathComponent("out")
    let arguments = ["render", "nb", "--out", "out", "--pdf", "--slides"]
    try Support.write("# K\n\nThe old words.\n\n## A slide\n\n```swift\nprint(1)\n```\n", to: notebook)
    let good = try Support.handout(arguments, in: dir, cache: cache)
    XCTAssertEqual(good.status, 0, good.output)
    let files = ["k.html", "k.slides.html", "k.pdf"].map(out.appendingPathComponent)
    let before = try files.map { try Data(contentsOf: $0) }

    let empty = dir.appendingPathComponent("empty-path")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let noChromium = [
      "HANDOUT_CHROMIUM": dir.appendingPathComponent("no/chromium").path, "PATH": empty.path,
      "HANDOUT_SWIFTC": try PDFTests.onPath("swiftc"),
    ]
    try Support.write("# K\n\nThe new words.\n\n## A slide\n\n```swift\nprint(1)\n```\n", to: notebook)
    try Support.write("# M\n\nWords.\n", to: dir.appendingPathComponent("nb/m.md"))
    let without = try Support.handout(arguments, in: dir, cache: cache, environment: noChromium)
    XCTAssertEqual(without.status, 1, without.output)
    for (file, bytes) in zip(files, before) {
      XCTAssertEqual(
        try Data(contentsOf: file), bytes, "\(file.lastPathComponent) changed: \(without.output)")
    }
    XCTAssertTrue(
      without.output.contains(
        "k.pdf was not printed; the previous k.pdf is kept, with the page and deck it was printed from"),
      without.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("m.html")).contains("Words."), without.output)
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("m.pdf").path))
  }
}
