import HandoutProtocol
import XCTest

/// The channel's variable names and marker lines: the bytes are the documented ones, and every
/// marker the runtime writes reads back as itself.
final class ChannelTests: XCTestCase {
  /// One marker of every kind, and the line it must be written as.
  static let samples: [(BlockMarker, String)] = [
    (.begin(3), "\u{1}HANDOUT-n0nce begin 3\n"),
    (.end(3), "\u{1}HANDOUT-n0nce end 3\n"),
    (
      .progress("training: epoch 1/10, loss 0.5"),
      "\u{1}HANDOUT-n0nce progress training: epoch 1/10, loss 0.5\n"
    ),
  ]

  func testEveryMarkerIsWrittenAsDocumentedAndReadsBackAsItself() {
    for (marker, line) in Self.samples {
      XCTAssertEqual(marker.line(nonce: "n0nce"), line)
      XCTAssertTrue(line.hasPrefix(BlockMarker.prefix(nonce: "n0nce")))
      let payload = String(line.dropFirst(BlockMarker.prefix(nonce: "n0nce").count).dropLast())
      XCTAssertEqual(BlockMarker(payload: payload), marker, payload)
    }
  }

  func testAProgressLineIsOneLineAndKeepsItsSpaces() {
    XCTAssertEqual(BlockMarker.progress("a\nb  c").payload, "progress a b  c")
    XCTAssertEqual(BlockMarker(payload: "progress a b  c"), .progress("a b  c"))
    XCTAssertEqual(BlockMarker(payload: "progress"), .progress(""))
  }

  func testAnythingElseIsNoMarker() {
    for payload in ["", "begin", "begin x", "end 3 4", "start 3", "BEGIN 3", "begin  3"] {
      XCTAssertNil(BlockMarker(payload: payload), payload)
    }
  }

  func testTheVariablesAreTheDocumentedNames() {
    XCTAssertEqual(
      ChannelVariable.allCases.map(\.rawValue),
      [
        "HANDOUT_EVENTS", "HANDOUT_NONCE", "HANDOUT_FIGURES", "HANDOUT_NOTEBOOK", "HANDOUT_PARAMS",
        "HANDOUT_FOLDER", "HANDOUT_READS",
      ])
  }
}
