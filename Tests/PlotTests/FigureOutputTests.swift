import Foundation
import XCTest

@testable import Plot

/// A small line chart used by several output tests.
func sampleLineFigure() -> Figure {
  let figure = Figure(width: 640, height: 480)
  let xs = (0...50).map { Double($0) / 5 }
  figure.axes.line(x: xs, y: xs.map { sin($0) }, label: "sin x")
  figure.axes.line(x: xs, y: xs.map { cos($0) }, label: "cos x", dash: Dash.dashed)
  figure.axes.xLabel = "x"
  figure.axes.yLabel = "value"
  figure.axes.title = "Trigonometry"
  return figure
}

/// Big-endian 32-bit integer at `offset`.
func bigEndian32(_ bytes: [UInt8], _ offset: Int) -> Int {
  bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
}

final class FigureOutputTests: XCTestCase {
  func testPNGHasDeviceScaledSize() throws {
    let png = try sampleLineFigure().data(.png)
    XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
    XCTAssertEqual(bigEndian32(png, 16), 1280)
    XCTAssertEqual(bigEndian32(png, 20), 960)
    let png3 = try sampleLineFigure().data(.png, scale: 3)
    XCTAssertEqual(bigEndian32(png3, 16), 1920)
  }

  func testWriteChoosesFormatFromExtension() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "plot-write-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let figure = sampleLineFigure()
    for format in ImageFormat.allCases {
      let url = dir.appendingPathComponent("f.\(format.rawValue)")
      try figure.write(to: url)
      let bytes = try [UInt8](Data(contentsOf: url))
      XCTAssertEqual(bytes, try figure.data(format), "\(format)")
    }
    let gif = dir.appendingPathComponent("f.gif")
    XCTAssertThrowsError(try figure.write(to: gif)) { error in
      XCTAssertEqual(error as? PlotError, .unknownFormat(path: gif.path))
    }
  }
}
