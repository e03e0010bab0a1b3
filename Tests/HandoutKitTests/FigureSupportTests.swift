import Foundation
import XCTest

@testable import HandoutKit

/// Renders `figure` to PNG, SVG and PDF and checks each is a valid file of the figure's size:
/// PNG IHDR at 2× the logical size, SVG width/height in px, PDF MediaBox in points.
func assertRendersAllFormats(
  _ figure: Figure, file: StaticString = #filePath, line: UInt = #line
) throws {
  let w = Int(figure.width)
  let h = Int(figure.height)
  let png = try figure.data(.png)
  XCTAssertEqual(
    Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature", file: file,
    line: line)
  XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR", file: file, line: line)
  func be32(_ o: Int) -> Int { png[o..<o + 4].reduce(0) { $0 << 8 | Int($1) } }
  XCTAssertEqual(be32(16), 2 * w, "PNG width at device scale 2", file: file, line: line)
  XCTAssertEqual(be32(20), 2 * h, "PNG height at device scale 2", file: file, line: line)

  let svg = String(decoding: try figure.data(.svg), as: UTF8.self)
  XCTAssertTrue(svg.contains("<svg"), "SVG root element", file: file, line: line)
  XCTAssertTrue(svg.contains("width=\"\(w)px\""), "SVG width in px", file: file, line: line)
  XCTAssertTrue(svg.contains("height=\"\(h)px\""), "SVG height in px", file: file, line: line)
  XCTAssertTrue(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"), "SVG complete", file: file, line: line)

  let pdf = String(decoding: try figure.data(.pdf), as: UTF8.self)
  XCTAssertTrue(pdf.hasPrefix("%PDF-"), "PDF header", file: file, line: line)
  XCTAssertTrue(pdf.contains("/MediaBox [ 0 0 \(w) \(h) ]"), "PDF MediaBox in points", file: file, line: line)
  XCTAssertTrue(pdf.contains("%%EOF"), "PDF complete", file: file, line: line)
  XCTAssertFalse((figure.altText ?? "").isEmpty, "alt text", file: file, line: line)
}

/// The lecture's XOR network: 2-4-1, tanh hidden, sigmoid out, Adam, 1000 epochs, seed 2024.
func trainedXOR() throws -> (network: Sequential, history: History) {
  var rng = SeededRandom(seed: 2024)
  var net = Sequential(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid, rng: &rng)
  var adam = Adam(gamma: 0.05)
  let history = try net.train(
    on: .xor, loss: .binaryCrossEntropy, optimizer: &adam, options: .init(epochs: 1000))
  return (net, history)
}

final class FigureSupportTests: XCTestCase {
  func testPlaneIsSquareWithScikitLearnMargin() {
    let data = Dataset(X: Matrix([[0, 0], [4, 1]]), labels: [0, 1])
    let plane = InputPlane([data])
    XCTAssertEqual(plane.x, -1...5)
    // y spans −1…2 with the margin, widened about its centre 0.5 to the x side of 6.
    XCTAssertEqual(plane.y, -2.5...3.5)
    let proportional = InputPlane([data], margin: .proportional(0.1))
    XCTAssertEqual(proportional.x.lowerBound, -0.4, accuracy: 1e-12)
    XCTAssertEqual(proportional.x.upperBound, 4.4, accuracy: 1e-12)
    XCTAssertEqual(
      proportional.y.upperBound - proportional.y.lowerBound, 4.8, accuracy: 1e-12)
  }

  func testPlaneOfEmptyOrNonFiniteDataIsUnitSquare() {
    let data = Dataset(X: Matrix([[.nan, .infinity]]), Y: Matrix([[0]]))
    XCTAssertEqual(InputPlane([data]), InputPlane(x: -1...1, y: -1...1))
  }

  func testSamplesFollowGridOrder() {
    let plane = InputPlane(x: 0...2, y: 0...4)
    let X = plane.samples(2)
    // Row 0 at the bottom, left to right: cell centres (0.5, 1), (1.5, 1), (0.5, 3), (1.5, 3).
    XCTAssertEqual(X.storage, [0.5, 1, 1.5, 1, 0.5, 3, 1.5, 3])
    let grid = plane.grid(X, column: 1, resolution: 2)
    XCTAssertEqual(grid[0, 1], 3)
    XCTAssertEqual(grid.yCenter(1), 3)
  }

  func testDescriptions() throws {
    let (net, _) = try trainedXOR()
    XCTAssertEqual(FigureText.shape(net), "2-4-1")
    XCTAssertEqual(FigureText.network(net), "a 2-4-1 network (tanh hidden, sigmoid output)")
    XCTAssertEqual(FigureText.number(-0.25), "−0.25")
    XCTAssertEqual(FigureText.number(1.0 / 3), "0.333")
    XCTAssertEqual(FigureText.number(5), "5")
  }
}
