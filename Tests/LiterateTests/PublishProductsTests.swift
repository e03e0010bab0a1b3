import Foundation
import XCTest

@testable import Literate

/// Publish only publishes: it is handed each handout's finished products (page, deck, PDF bytes)
/// by the pipeline and stages, owns and swaps them; it never weaves or prints. The order stays:
/// refuse a user's file, then make, then swap; a failed make keeps the last good handout.
final class PublishProductsTests: XCTestCase {
  func outcome(in dir: URL, name: String = "made") throws -> NotebookOutcome {
    let path = try Support.write("# Made\n\nWords.\n", "\(name).md", in: dir)
    let notebook = try Notebook.parse(source: "# Made\n\nWords.\n", path: path)
    return NotebookOutcome(path: path, notebook: notebook, run: RunResult(), error: nil)
  }

  /// The pipeline's makers with the handout's made by `handout`.
  func makers(_ handout: @escaping ProductMaker) -> ProductMakers {
    var makers = Pipeline.makers
    makers.handout = handout
    return makers
  }

  func testPublishWritesExactlyTheProductsItIsGiven() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    var orders: [ProductOrder] = []
    var options = PublishOptions(slides: true)
    options.pdf = .keepPrevious
    let report = try Publisher.publish(
      [try outcome(in: dir)], to: out, weave: WeaveOptions(), options: options,
      make: makers {
        orders.append($0)
        return Products(
          page: Data("page made elsewhere".utf8), deck: Data("deck made elsewhere".utf8),
          pdf: .printed(Data("%PDF- made elsewhere".utf8), key: "key-1"))
      })
    XCTAssertEqual(report.problems, [])
    XCTAssertEqual(orders.map(\.target), ["made"])
    XCTAssertEqual(orders.first?.slides, true)
    XCTAssertNil(orders.first?.previousPDFKey)
    XCTAssertEqual(
      orders.first?.weave.navigation?.index.href, "index.html", "the links are decided by publish")
    func read(_ name: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
    }
    XCTAssertEqual(try read("made.html"), "page made elsewhere")
    XCTAssertEqual(try read("made.slides.html"), "deck made elsewhere")
    XCTAssertEqual(try read("made.pdf"), "%PDF- made elsewhere")
    XCTAssertEqual(try read("made/.handout.pdf.key"), "key-1")
    XCTAssertEqual([report.pages, report.decks, report.pdfs], [1, 1, 1])

    // The next publish is told the key of the PDF in place; `unchanged` keeps that PDF.
    let again = try Publisher.publish(
      [try outcome(in: dir)], to: out, weave: WeaveOptions(), options: options,
      make: makers {
        orders.append($0)
        return Products(page: Data("page two".utf8), pdf: .unchanged(key: "key-1"))
      })
    XCTAssertEqual(again.problems, [])
    XCTAssertEqual(orders.last?.previousPDFKey, "key-1")
    XCTAssertEqual(try read("made.html"), "page two")
    XCTAssertEqual(try read("made.pdf"), "%PDF- made elsewhere")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("made.slides.html").path))
    XCTAssertEqual([again.pages, again.decks, again.pdfs], [1, 0, 1])
  }

  func testAFailedMakeKeepsTheLastGoodHandoutAndAUsersFileIsRefusedBeforeAnythingIsMade() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    _ = try Publisher.publish(
      [try outcome(in: dir)], to: out, weave: WeaveOptions(),
      make: makers { _ in Products(page: Data("the good page".utf8)) })
    struct Broken: Error {}
    let failed = try Publisher.publish(
      [try outcome(in: dir)], to: out, weave: WeaveOptions(), make: makers { _ in throw Broken() })
    XCTAssertEqual(failed.problems.count, 1, "\(failed.problems)")
    XCTAssertEqual(failed.pages, 0)
    XCTAssertEqual(
      try String(contentsOf: out.appendingPathComponent("made.html"), encoding: .utf8), "the good page")

    // A file of the user's under a product's name: nothing is made, the file stays as it is.
    try Data("my notes".utf8).write(to: out.appendingPathComponent("made.pdf"))
    var made = 0
    let refused = try Publisher.publish(
      [try outcome(in: dir)], to: out, weave: WeaveOptions(),
      make: makers { _ in
        made += 1
        return Products(page: Data("never".utf8))
      })
    XCTAssertEqual(made, 0, "products were made for a handout whose name is the user's")
    XCTAssertEqual(refused.refused, ["made"])
    XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("made.pdf")), Data("my notes".utf8))
    XCTAssertEqual(
      try String(contentsOf: out.appendingPathComponent("made.html"), encoding: .utf8), "the good page")
  }

  /// The index and the assets are products too: publish writes exactly what it is handed, the
  /// index made from the manifest's entries once `index.html` is known free.
  func testTheIndexAndTheAssetsAreTheProductsPublishIsGiven() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let font = dir.appendingPathComponent("font.woff2")
    try Data("font bytes".utf8).write(to: font)
    var indexOrders: [IndexOrder] = []
    var makers = makers { _ in Products(page: Data("page".utf8)) }
    makers.index = {
      indexOrders.append($0)
      return Data("index made elsewhere".utf8)
    }
    makers.assets = { _ in
      [
        AssetFile(path: "a.css", content: .bytes(Data("css made elsewhere".utf8))),
        AssetFile(path: "fonts/f.woff2", content: .copy(of: font)),
      ]
    }
    let report = try Publisher.publish([try outcome(in: dir)], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertEqual(report.problems, [])
    func read(_ name: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
    }
    XCTAssertEqual(try read("index.html"), "index made elsewhere")
    XCTAssertEqual(try read("assets/a.css"), "css made elsewhere")
    XCTAssertEqual(try read("assets/fonts/f.woff2"), "font bytes")
    XCTAssertEqual(indexOrders.map { $0.entries.map(\.name) }, [["made"]])
    XCTAssertEqual(indexOrders.first?.entries.first?.hasPage, true)
    XCTAssertNil(indexOrders.first?.apiReference)

    // A failed index keeps the last good one; assets in place are left as they are.
    struct Broken: Error {}
    makers.index = { _ in throw Broken() }
    let failed = try Publisher.publish([try outcome(in: dir)], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertEqual(
      failed.problems.map(\.message).filter { $0.hasPrefix("index.html was not written") }.count, 1)
    XCTAssertEqual(try read("index.html"), "index made elsewhere")

    // A user's index.html: no index is made, and the file stays.
    try FileManager.default.removeItem(at: out.appendingPathComponent("index.html"))
    try Data("my index".utf8).write(to: out.appendingPathComponent("index.html"))
    var made = 0
    makers.index = { _ in
      made += 1
      return Data("never".utf8)
    }
    let refused = try Publisher.publish([try outcome(in: dir)], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertEqual(made, 0, "an index was made over the user's index.html")
    XCTAssertTrue(refused.problems.contains { $0.message.contains("index.html") }, "\(refused.problems)")
    XCTAssertEqual(try read("index.html"), "my index")
  }

  /// A user's file in the assets folder is refused before anything is written; an asset path that
  /// would leave the folder is refused too.
  func testAUsersAssetAndAnAssetOutsideTheFolderAreRefusedBeforeAnythingIsWritten() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    let assets = out.appendingPathComponent("assets")
    try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: assets.appendingPathComponent("a.css"))
    var makers = Pipeline.makers
    makers.assets = { _ in [AssetFile(path: "a.css", content: .bytes(Data("made".utf8)))] }
    let refused = try Publisher.publish([], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertTrue(
      refused.problems.contains { $0.message.contains("assets were not installed") }, "\(refused.problems)")
    XCTAssertEqual(try Data(contentsOf: assets.appendingPathComponent("a.css")), Data("mine".utf8))
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: assets.path), ["a.css"])

    try FileManager.default.removeItem(at: assets)
    makers.assets = { _ in [AssetFile(path: "../escaped.css", content: .bytes(Data("made".utf8)))] }
    let outside = try Publisher.publish([], to: out, weave: WeaveOptions(), make: makers)
    XCTAssertTrue(
      outside.problems.contains { $0.message.contains("not a path inside the assets folder") },
      "\(outside.problems)")
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("escaped.css").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: assets.path))
  }

  /// A handout whose products are what its folder holds is left as it is (issue 22): nothing is
  /// staged, copied or swapped, so its files keep their stamps; any difference publishes it again.
  func testAnUnchangedHandoutIsLeftAsItIs() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    var options = PublishOptions(slides: true)
    options.pdf = .keepPrevious
    let made = try outcome(in: dir)
    func publish(_ page: String, _ pdf: PDFProduct) throws -> PublishReport {
      try Publisher.publish(
        [made], to: out, weave: WeaveOptions(), options: options,
        make: makers { order in
          Products(page: Data(page.utf8), deck: order.slides ? Data("deck".utf8) : nil, pdf: pdf)
        })
    }
    func inode(_ name: String) -> UInt64 {
      var info = stat()
      return lstat(out.appendingPathComponent(name).path, &info) == 0 ? UInt64(info.st_ino) : 0
    }
    func read(_ name: String) throws -> String {
      try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
    }
    XCTAssertEqual(try publish("one", .printed(Data("%PDF- one".utf8), key: "k1")).problems, [])
    let folder = inode("made")

    let same = try publish("one", .unchanged(key: "k1"))
    XCTAssertEqual(same.problems, [])
    XCTAssertEqual([same.pages, same.decks, same.pdfs], [1, 1, 1])
    XCTAssertEqual(inode("made"), folder, "the same products: the folder is left as it is")

    XCTAssertEqual(try publish("two", .unchanged(key: "k1")).problems, [])
    XCTAssertNotEqual(inode("made"), folder, "another page: the folder is made again")
    XCTAssertEqual(try read("made.html"), "two")
    XCTAssertEqual(try read("made.pdf"), "%PDF- one")
    let second = inode("made")
    XCTAssertEqual(try publish("two", .printed(Data("%PDF- two".utf8), key: "k2")).problems, [])
    XCTAssertNotEqual(inode("made"), second, "a new PDF: the folder is made again")
    XCTAssertEqual(try read("made.pdf"), "%PDF- two")
    let third = inode("made")
    options.slides = false
    XCTAssertEqual(try publish("two", .unchanged(key: "k2")).problems, [])
    XCTAssertNotEqual(inode("made"), third, "no deck asked for: made again without it")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("made.slides.html").path))

    // A file of the user's in the folder: refused, not left as if nothing changed.
    try Data("two".utf8).write(to: out.appendingPathComponent("made/mine.txt"))
    let refused = try publish("two", .unchanged(key: "k2"))
    XCTAssertEqual(refused.refused, ["made"])
  }

  /// The seam itself: no file of the publish stage calls weave (a page, a deck, the index, the
  /// assets) or prints. The printer is a maker: it lives with the pipeline.
  func testNoPublishFileWeavesOrPrints() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/Literate/Publish").standardizedFileURL
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".swift")
    }
    XCTAssertFalse(names.isEmpty)
    for name in names {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      for call in ["Weave.", "printer.print(", "printer.page(", ".print(page:", "PDFPrinter("] {
        XCTAssertFalse(text.contains(call), "Publish/\(name) calls \(call)")
      }
    }
  }

  func testFileErrorsSayThePathTheReasonAndWhetherReadOrWritten() {
    let read = HandoutError.file(FileError(path: "nb/a.md", reason: "Permission denied").reading)
    XCTAssertEqual(read.description, "error: cannot read nb/a.md: Permission denied")
    let written = HandoutError.file(FileError(path: "out", reason: "Read-only file system").writing)
    XCTAssertEqual(
      written.description,
      "error: cannot write out: Read-only file system (the previous handout is unchanged)")
    XCTAssertEqual(
      HandoutError.file(FileError(path: "out/x.html", reason: "No space left on device")).description,
      "error: out/x.html: No space left on device")
    XCTAssertEqual(read.diagnostics.map(\.message), ["cannot read nb/a.md: Permission denied"])
  }

  func testTheSummarySaysWhatWasWritten() {
    var report = PublishReport()
    (report.pages, report.decks, report.pdfs, report.index) = (5, 5, 5, true)
    report.refused = ["x"]
    XCTAssertEqual(
      report.summary(out: "output", slides: true, pdf: true),
      "wrote 5 handouts to output/: 5 pages, 5 decks, 5 PDFs and index.html; "
        + "1 refused (a file of the user's holds its name: x.html)")
    report = PublishReport()
    report.pages = 1
    report.index = true
    XCTAssertEqual(
      report.summary(out: "out", slides: false, pdf: false), "wrote 1 handout to out/: 1 page and index.html")
    // Only what was written is named: an index that was not (a full disk) is not.
    report.index = false
    XCTAssertEqual(report.summary(out: "out", slides: false, pdf: false), "wrote 1 handout to out/: 1 page")
    report.decks = 1
    XCTAssertEqual(
      report.summary(out: "out", slides: true, pdf: false), "wrote 1 handout to out/: 1 page and 1 deck")
  }
}
