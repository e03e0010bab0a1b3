import Foundation
import XCTest

@testable import Literate

/// `handout render --pdf`: real notebooks, compiled and run, printed by the real headless Chromium,
/// and the PDF read back with poppler's `pdfinfo`, `pdftotext`, `pdfimages` and `pdffonts`.
final class PDFTests: XCTestCase {
  /// A one-page handout: a title, a course, a number only the run knows, math and a line figure.
  static let small = """
    ---
    title: Printed neuron
    course: Print Course
    ---

    # The sum

    Seven times six plus the run's own sum: `swift 7 * 6 + (1...100).reduce(0, +)` units.
    The sigmoid is $\\phi(s) = \\frac{1}{1 + e^{-s}}$ and

    $$\\sum_{i=1}^{n} w_i x_i$$

    ```swift echo=false
    let figure = Figure(width: 320, height: 200)
    figure.axes.line(x: [0, 1, 2, 3], y: [0, 1, 4, 9], label: "squares")
    show(figure, caption: "Squares drawn as a line")
    ```
    """

  /// A handout of several pages: sections of prose, code and figures.
  static var long: String {
    var text = "---\ntitle: A long print\ncourse: Print Course\n---\n\n"
    let words = String(
      repeating: "The gradient moves each weight against its slope, a little at a time. ", count: 12)
    for section in 1...6 {
      text += "## Section \(section)\n\n\(words)\n\n\(words)\n\n"
      text += "```swift id=s\(section)\nlet f\(section) = Figure(width: 480, height: 300)\n"
      text += "f\(section).axes.line(x: [0, 1, 2], y: [0, \(section), 0], label: \"peak\")\n"
      text += "show(f\(section), caption: \"Peak \(section)\")\n```\n\n"
    }
    // A heatmap: the one raster the PDF should hold (Cairo draws it as an image inside the SVG).
    text += "```swift id=heat\nlet h = Figure(width: 300, height: 300)\n"
    text +=
      "_ = h.axes.heatmap(x: 0...1, y: 0...1, samples: 16, map: .viridis(), showColorBar: false) { x, y in x * y }\n"
    text += "show(h, caption: \"A heatmap\")\n```\n"
    return text
  }

  static func tool(_ name: String) throws -> String {
    for folder in ["/usr/bin", "/usr/local/bin"]
    where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
      return "\(folder)/\(name)"
    }
    throw XCTSkip(
      "\(name) is not installed (apt-get install \(name == "chromium" ? "chromium" : "poppler-utils"))")
  }

  /// The first `name` on this process's PATH.
  static func onPath(_ name: String) throws -> String {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return try XCTUnwrap(
      folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) },
      "\(name) on PATH")
  }

  /// Whether `text` has "page / pages" (poppler drops the thin spaces around the slash).
  static func hasPageNumber(_ text: String, _ page: Int, of pages: Int) -> Bool {
    text.contains("\(page) / \(pages)") || text.contains("\(page)/\(pages)")
  }

  /// Runs a poppler tool on `pdf`; its stdout.
  static func poppler(_ name: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try tool(name))
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static func pages(_ pdf: URL) throws -> Int? {
    let info = try poppler("pdfinfo", [pdf.path])
    return info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
      .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
  }

  static func text(_ pdf: URL, page: Int? = nil) throws -> String {
    let range = page.map { ["-f", "\($0)", "-l", "\($0)"] } ?? []
    return try poppler("pdftotext", ["-layout"] + range + [pdf.path, "-"])
  }

  /// Renders `notebooks` (name → source) with `--pdf` into `<dir>/out`.
  func render(
    _ notebooks: [String: String], in dir: URL, extra: [String] = ["--pdf"],
    environment: [String: String] = [:]
  ) throws -> (status: Int32, output: String) {
    for (name, source) in notebooks
    where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
      _ = try Support.write(source, name, in: dir)
    }
    return try Support.handout(
      ["render"] + notebooks.keys.sorted() + ["-o", "out"] + extra, in: dir, environment: environment)
  }

  func testASmallHandoutPrintsOnOnePageWithHeaderNumbersMathAndAVectorFigure() throws {
    _ = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let result = try render(["small.md": Self.small], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let pdf = dir.appendingPathComponent("out/small.pdf")
    XCTAssertEqual(
      try FileManager.default.destinationOfSymbolicLink(atPath: pdf.path), "small/.handout.pdf",
      "the PDF lives in the handout's folder, so it is swapped in with the page")
    XCTAssertEqual(try Self.pages(pdf), 1)
    let index = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("<a class=\"handout-pdf\" href=\"small.pdf\">PDF</a>"), "the index links it")
    let text = try Self.text(pdf)
    XCTAssertTrue(text.contains("Printed neuron"), text)
    XCTAssertTrue(text.contains("PRINT COURSE"), text)
    XCTAssertTrue(text.contains("5092 units"), "the number computed by the run: \(text)")
    XCTAssertTrue(Self.hasPageNumber(text, 1, of: 1), "page numbers at the foot: \(text)")
    XCTAssertTrue(text.contains("Squares drawn as a line"), "the figure's caption: \(text)")
    // Typeset: no TeX left, KaTeX's glyphs and fonts instead.
    for raw in ["$", "\\frac", "\\sum", "\\phi", "e^{"] {
      XCTAssertFalse(text.contains(raw), "raw TeX \(raw) in the PDF: \(text)")
    }
    XCTAssertTrue(text.contains("∑"), text)
    let fonts = try Self.poppler("pdffonts", [pdf.path])
    XCTAssertTrue(fonts.contains("KaTeX_Main"), fonts)
    XCTAssertTrue(fonts.contains("KaTeX_Math"), fonts)
    // The SVG figure stays vector: the PDF holds no raster image at all.
    let images = try Self.poppler("pdfimages", ["-list", pdf.path]).split(separator: "\n")
    XCTAssertEqual(images.count, 2, "only pdfimages' two header lines: \(images)")
    XCTAssertEqual(
      try String(contentsOf: pdf.deletingPathExtension().appendingPathExtension("html"), encoding: .utf8)
        .contains("Squares drawn as a line"), true, "the HTML handout is written as well")
  }

  func testALongHandoutRunsOverPagesWithARunningHeaderAndStaysTheSame() throws {
    _ = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let first = try render(["long.md": Self.long], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    let pdf = dir.appendingPathComponent("out/long.pdf")
    let pages = try XCTUnwrap(try Self.pages(pdf))
    XCTAssertGreaterThan(pages, 1)
    XCTAssertTrue(Self.hasPageNumber(try Self.text(pdf, page: 1), 1, of: pages))
    XCTAssertTrue(Self.hasPageNumber(try Self.text(pdf, page: pages), pages, of: pages))
    // From page 2 on, the course and the title run above the text; page 1 has the title block.
    let second = try Self.text(pdf, page: 2)
    let header = try XCTUnwrap(
      second.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
    XCTAssertTrue(header.contains("PRINT COURSE") && header.contains("A long print"), String(header))
    let all = try Self.text(pdf)
    let opening = try Self.text(pdf, page: 1).split(separator: "\n").first {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty
    }
    XCTAssertEqual(
      opening?.trimmingCharacters(in: .whitespaces), "PRINT COURSE", "no running header above the title block"
    )
    let figures = (1...6).filter { all.contains("Peak \($0)") }
    XCTAssertEqual(figures, Array(1...6), "every figure is printed")
    // Line figures stay vector: the only image is the heatmap's 16×16 grid (Cairo pads it a little),
    // not a picture of a figure (300 px and more).
    let images = try Self.poppler("pdfimages", ["-list", pdf.path]).split(separator: "\n").dropFirst(2)
    XCTAssertEqual(images.count, 1, "\(images)")
    let columns = images.first?.split(separator: " ").compactMap { Int($0) } ?? []
    XCTAssertTrue(columns.count > 3 && columns[2] < 32 && columns[3] < 32, "\(images)")

    // The same notebook printed again: the same pages, the same bytes but for Chromium's dates.
    let before = try Data(contentsOf: pdf)
    let again = try render(["long.md": Self.long], in: dir)
    XCTAssertEqual(again.status, 0, again.output)
    XCTAssertEqual(try Self.pages(pdf), pages)
    XCTAssertEqual(Self.withoutDates(try Data(contentsOf: pdf)), Self.withoutDates(before))
  }

  /// `data` with the `D:…` dates of `/CreationDate` and `/ModDate` blanked.
  static func withoutDates(_ data: Data) -> Data {
    var bytes = [UInt8](data)
    for key in ["/CreationDate (D:", "/ModDate (D:"] {
      let pattern = [UInt8](key.utf8)
      var i = 0
      while i + pattern.count <= bytes.count {
        if Array(bytes[i..<(i + pattern.count)]) == pattern {
          var j = i + pattern.count
          while j < bytes.count, bytes[j] != UInt8(ascii: ")") {
            bytes[j] = UInt8(ascii: "0")
            j += 1
          }
          i = j
        } else {
          i += 1
        }
      }
    }
    return Data(bytes)
  }

  /// With SOURCE_DATE_EPOCH the PDF carries that date, so two prints are the same bytes.
  func testSourceDateEpochMakesThePDFTheSameBytes() throws {
    _ = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]  // 2023-11-14 22:13:20 UTC
    XCTAssertEqual(try render(["small.md": Self.small], in: dir, environment: epoch).status, 0)
    let pdf = dir.appendingPathComponent("out/small.pdf")
    let first = try Data(contentsOf: pdf)
    let info = try Self.poppler("pdfinfo", ["-isodates", pdf.path])
    let dates = info.split(separator: "\n").filter {
      $0.hasPrefix("CreationDate:") || $0.hasPrefix("ModDate:")
    }
    XCTAssertEqual(dates.count, 2, info)
    XCTAssertTrue(dates.allSatisfy { $0.hasSuffix(" 2023-11-14T22:13:20Z") }, info)
    sleep(1)  // Chromium's own date would now differ by at least a second
    XCTAssertEqual(try render(["small.md": Self.small], in: dir, environment: epoch).status, 0)
    XCTAssertEqual(try Data(contentsOf: pdf), first)
  }

  func testWithoutChromiumOneLineSaysWhatToInstallAndTheHTMLIsStillWritten() throws {
    let dir = try Support.temporaryDirectory(self)
    let empty = dir.appendingPathComponent("empty-path")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let result = try render(
      ["small.md": Self.small], in: dir,
      environment: [
        "HANDOUT_CHROMIUM": dir.appendingPathComponent("no/chromium").path, "PATH": empty.path,
        // The notebook still compiles: swiftc found where it is now, not on the empty PATH.
        "HANDOUT_SWIFTC": try Self.onPath("swiftc"),
      ])
    XCTAssertNotEqual(result.status, 0, result.output)
    let lines = result.output.split(separator: "\n").filter {
      $0.contains("Chromium") || $0.contains("chromium")
    }
    XCTAssertEqual(lines.count, 1, result.output)
    XCTAssertTrue(lines.first?.contains("apt-get install chromium") == true, result.output)
    XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/small.html").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/small.pdf").path))
  }

  /// A PDF is printed only when the page it is printed from changed (issue 22): a render that
  /// changes nothing starts no Chromium and keeps the same PDF; an edit prints again.
  func testAPDFIsPrintedAgainOnlyWhenItsPageChanged() throws {
    let chromium = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let log = dir.appendingPathComponent("prints.log")
    let counting = try Support.write(
      "#!/bin/sh\necho printed >> '\(log.path)'\nexec '\(chromium)' \"$@\"\n", "counting-chromium", in: dir)
    chmod(counting, 0o755)
    func prints() -> Int {
      ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
    let environment = ["HANDOUT_CHROMIUM": counting, "SOURCE_DATE_EPOCH": "1700000000"]
    XCTAssertEqual(try render(["small.md": Self.small], in: dir, environment: environment).status, 0)
    XCTAssertEqual(prints(), 1)
    let pdf = dir.appendingPathComponent("out/small.pdf")
    let first = try Data(contentsOf: pdf)

    XCTAssertEqual(try render(["small.md": Self.small], in: dir, environment: environment).status, 0)
    XCTAssertEqual(prints(), 1, "nothing changed: no print")
    XCTAssertEqual(try Data(contentsOf: pdf), first)

    let edited = Self.small.replacingOccurrences(of: "# The sum", with: "# The total")
    try edited.write(to: dir.appendingPathComponent("small.md"), atomically: true, encoding: .utf8)
    XCTAssertEqual(try render(["small.md": edited], in: dir, environment: environment).status, 0)
    XCTAssertEqual(prints(), 2, "the page changed: printed again")
    XCTAssertTrue(try Self.text(pdf).contains("The total"))
  }

  /// PDFs are printed ahead, while the other handouts are published (issue 22), but one at a
  /// time: a cold render of three handouts runs one Chromium after another, never two at once.
  func testPDFsPrintedAheadPrintOneAtATime() throws {
    let chromium = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let log = dir.appendingPathComponent("prints.log")
    let lock = dir.appendingPathComponent("printing")
    let counting = try Support.write(
      """
      #!/bin/sh
      mkdir '\(lock.path)' 2>/dev/null || echo overlap >> '\(log.path)'
      echo printed >> '\(log.path)'
      '\(chromium)' "$@"
      status=$?
      rmdir '\(lock.path)' 2>/dev/null
      exit $status

      """, "counting-chromium", in: dir)
    chmod(counting, 0o755)
    let notebooks = ["a.md": Self.small, "b.md": Self.small, "c.md": Self.small]
    let result = try render(notebooks, in: dir, environment: ["HANDOUT_CHROMIUM": counting])
    XCTAssertEqual(result.status, 0, result.output)
    let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.filter { $0 == "printed" }.count, 3)
    XCTAssertFalse(lines.contains("overlap"), "two Chromiums at once")
    for name in ["a", "b", "c"] {
      XCTAssertTrue(try Self.text(dir.appendingPathComponent("out/\(name).pdf")).contains("The sum"))
    }
  }

  /// A Chromium that ends without a PDF once (seen under heavy load in CI) is run once more: the
  /// render prints its PDF and succeeds. One that always fails is still a failure (below).
  func testAChromiumThatFailsOnceIsRunOnceMore() throws {
    let chromium = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let log = dir.appendingPathComponent("prints.log")
    let failedOnce = dir.appendingPathComponent("failed-once")
    let flaky = try Support.write(
      """
      #!/bin/sh
      echo printed >> '\(log.path)'
      if mkdir '\(failedOnce.path)' 2>/dev/null; then echo 'no PDF this time' >&2; exit 1; fi
      exec '\(chromium)' "$@"

      """, "flaky-chromium", in: dir)
    chmod(flaky, 0o755)
    let result = try render(["small.md": Self.small], in: dir, environment: ["HANDOUT_CHROMIUM": flaky])
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "printed\nprinted\n")
    XCTAssertTrue(try Self.text(dir.appendingPathComponent("out/small.pdf")).contains("The sum"))
  }

  func testAFailingPrintNamesTheNotebookAndKeepsThePreviousPDF() throws {
    _ = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    XCTAssertEqual(try render(["small.md": Self.small], in: dir).status, 0)
    let pdf = dir.appendingPathComponent("out/small.pdf")
    let printed = try Data(contentsOf: pdf)

    // A "Chromium" that crashes.
    let crashing = try Support.write(
      "#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n", "crashing", in: dir)
    chmod(crashing, 0o755)
    let failed = try render(["small.md": Self.small], in: dir, environment: ["HANDOUT_CHROMIUM": crashing])
    XCTAssertEqual(failed.status, 1, failed.output)
    XCTAssertTrue(failed.output.contains("small.md"), failed.output)
    XCTAssertTrue(failed.output.contains("previous small.pdf is kept"), failed.output)
    XCTAssertTrue(failed.output.contains("status 139: Segmentation fault"), failed.output)
    XCTAssertEqual(try Data(contentsOf: pdf), printed)

    // Rendered without --pdf, the PDF goes: it would no longer match the page.
    XCTAssertEqual(try render(["small.md": Self.small], in: dir, extra: []).status, 0)
    var info = stat()
    XCTAssertNotEqual(lstat(pdf.path, &info), 0, "small.pdf is gone")
    let index = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
    XCTAssertFalse(index.contains("handout-pdf"), "and the index no longer links it")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/small/.handout.pdf").path))
  }

  /// A failing notebook's page is printed beside the last good handout, as `<name>.failed.pdf`,
  /// and goes with its page once the notebook is good again.
  func testAFailingNotebooksPDFGoesBesideTheGoodOneAndLeavesWithIt() throws {
    _ = try Self.tool("chromium")
    let dir = try Support.temporaryDirectory(self)
    let good = "---\ntitle: Flip\n---\n\n# Flip\n\n```swift\nexpect(1, equals: 1)\n```\n"
    XCTAssertEqual(try render(["flip.md": good], in: dir).status, 0)
    _ = try Support.write(good.replacingOccurrences(of: "equals: 1", with: "equals: 2"), "flip.md", in: dir)
    let failed = try render(["flip.md": good], in: dir)
    XCTAssertEqual(failed.status, 1, failed.output)
    let out = dir.appendingPathComponent("out")
    let kept = try Self.text(out.appendingPathComponent("flip.pdf"))
    XCTAssertTrue(kept.contains("1 check verified"), "\(kept)\n\(failed.output)")
    let failing = try Self.text(out.appendingPathComponent("flip.failed.pdf"))
    XCTAssertTrue(failing.contains("1 of 1 check failed"), "\(failing)\n\(failed.output)")

    _ = try Support.write(good, "flip.md", in: dir)
    XCTAssertEqual(try render(["flip.md": good], in: dir).status, 0)
    var info = stat()
    XCTAssertNotEqual(
      lstat(out.appendingPathComponent("flip.failed.pdf").path, &info), 0, "flip.failed.pdf is gone")
    XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("flip.pdf").path))
  }

  /// A print's scratch folder (input, PDF and the fresh Chromium profile, whose many small files
  /// were a third of a print's time on a disk) goes to the memory folder, unless `$TMPDIR` names
  /// another place or the memory folder is not there.
  func testAPrintsScratchFolderIsInMemoryUnlessTMPDIRSaysOtherwise() throws {
    let dir = try Support.temporaryDirectory(self).path
    let system = FileManager.default.temporaryDirectory.path
    XCTAssertEqual(PDFPrinter.scratchRoot(environment: [:], memory: dir).path, dir)
    XCTAssertEqual(PDFPrinter.scratchRoot(environment: ["TMPDIR": system], memory: dir).path, system)
    XCTAssertEqual(PDFPrinter.scratchRoot(environment: [:], memory: dir + "/none").path, system)
  }

  /// The running header carries the title as a CSS string: no title can end the string, the rule
  /// or the `<style>` element.
  func testTheRunningHeaderEscapesTheTitle() throws {
    let style = Weave.runningHeader(title: "A \"quoted\" title\\ </style><script>x</script>", course: "Ünï;}")
    XCTAssertEqual(style.components(separatedBy: "</style>").count, 2, style)
    XCTAssertFalse(style.contains("<script>"), style)
    XCTAssertTrue(
      style.contains(#"content: "A \22 quoted\22  title\5c  \3c \2f style\3e \3c script\3e x"#), style)
    XCTAssertTrue(style.contains(#"@top-left { content: "\dc n\ef ;\7d "; }"#), style)
    XCTAssertTrue(style.contains("counter(page) \" / \" counter(pages)"), style)
  }
}
