import Foundation
import XCTest

@testable import Plot

final class DeterminismTests: XCTestCase {
  func testSVGAndPDFAreByteIdenticalAcrossRenders() throws {
    for format in [ImageFormat.svg, .pdf] {
      let first = try Gallery.field().data(format)
      _ = try Gallery.lines().data(format)  // advances Cairo's process-wide counters
      let second = try Gallery.field().data(format)
      XCTAssertEqual(first, second, "\(format) differs between two renders")
    }
  }

  func testPNGIsPixelIdenticalAcrossRenders() throws {
    let a = try Gallery.field().raster()
    _ = try Gallery.smallMultiples().data(.png)
    let b = try Gallery.field().raster()
    XCTAssertEqual(a, b)
    XCTAssertEqual(try Gallery.lines().data(.png), try Gallery.lines().data(.png))
  }

  /// The runtime draws figures on two threads; Cairo draws one at a time, but a PNG is encoded
  /// (and a raster handed back) after Cairo's lock is released, while the other thread draws.
  func testFiguresDrawnOnTwoThreadsAtOnceAreThoseDrawnAlone() throws {
    let png = try Gallery.lines().data(.png)
    let raster = try Gallery.field().raster()
    final class Results: @unchecked Sendable {
      let lock = NSLock()
      var pngs: [[UInt8]?] = []
      var rasters: [Raster?] = []
    }
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      if i.isMultiple(of: 2) {
        let bytes = try? Gallery.lines().data(.png)
        results.lock.withLock { results.pngs.append(bytes) }
      } else {
        let pixels = try? Gallery.field().raster()
        results.lock.withLock { results.rasters.append(pixels) }
      }
    }
    XCTAssertEqual(results.pngs, Array(repeating: png, count: 4))
    XCTAssertEqual(results.rasters, Array(repeating: raster, count: 4))
  }

  func testSVGRootSizeIsInPixels() throws {
    let figure = Figure(width: 640, height: 480)
    figure.axes.line(x: [0, 1], y: [0, 1])
    let svg = String(decoding: try figure.data(.svg), as: UTF8.self)
    XCTAssertTrue(svg.contains("width=\"640px\""), String(svg.prefix(300)))
    XCTAssertTrue(svg.contains("height=\"480px\""), String(svg.prefix(300)))
    XCTAssertFalse(svg.contains("640pt"))
  }

  func testSVGIdsArePrefixedAndStable() throws {
    let figure = Gallery.field()
    figure.id = "boundary"
    let svg = String(decoding: try figure.data(.svg), as: UTF8.self)
    let ids = SVGIdentifiers.definedIds(Array(svg.utf8)).keys
    XCTAssertFalse(ids.isEmpty, "the field SVG defines glyphs and an image")
    for id in ids { XCTAssertTrue(id.hasPrefix("boundary-"), id) }
    XCTAssertFalse(svg.contains("\"#surface"), "references are renamed too")
    XCTAssertFalse(svg.contains("url(#clip") && !svg.contains("url(#boundary-"))
  }

  func testTwoFiguresGetDifferentDefaultPrefixes() throws {
    let a = String(decoding: try Gallery.field().data(.svg), as: UTF8.self)
    let b = String(decoding: try Gallery.lines().data(.svg), as: UTF8.self)
    let idsA = Set(SVGIdentifiers.definedIds(Array(a.utf8)).keys)
    let idsB = Set(SVGIdentifiers.definedIds(Array(b.utf8)).keys)
    XCTAssertFalse(idsA.isEmpty)
    XCTAssertTrue(idsA.isDisjoint(with: idsB), "inline SVGs on one page must not share ids")
  }

  func testRenamingRewritesReferences() {
    let svg = Array(
      ##"<g id="surface12"><use xlink:href="#glyph0-1"/><g clip-path="url(#clip3)"/></g><symbol id="glyph0-1"/><clipPath id="clip3"/>"##
        .utf8)
    let out = String(decoding: SVGIdentifiers.stabilize(svg, prefix: "p"), as: UTF8.self)
    XCTAssertEqual(
      out,
      ##"<g id="p-1"><use xlink:href="#p-2"/><g clip-path="url(#p-3)"/></g><symbol id="p-2"/><clipPath id="p-3"/>"##
    )
  }

  func testPDFHeaderAndMediaBox() throws {
    let figure = Figure(width: 500, height: 300)
    figure.axes.line(x: [0, 1, 2], y: [1, 0, 1])
    let pdf = try figure.data(.pdf)
    let text = String(decoding: pdf, as: UTF8.self)
    XCTAssertTrue(text.hasPrefix("%PDF-"))
    XCTAssertTrue(text.contains("/MediaBox [ 0 0 500 300 ]"), "MediaBox in points")
    XCTAssertTrue(text.contains("/CreationDate (20000101000000Z)"), "fixed creation date")
  }
}
