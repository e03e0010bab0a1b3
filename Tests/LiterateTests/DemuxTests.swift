import HandoutProtocol
import XCTest

@testable import Literate

/// Cutting the child's output into blocks at the runtime's markers.
final class DemuxTests: XCTestCase {
  final class Seen: @unchecked Sendable {
    var blocks: [Int] = []
    var progress: [String] = []
  }

  func testMarkersSplitAcrossReadsAndGluedToText() {
    let seen = Seen()
    let demux = OutputDemux(
      nonce: "n0", cap: 1000, onBlock: { seen.blocks.append($0) }, onProgress: { seen.progress.append($0) })
    let stream =
      "preamble\n\u{1}HANDOUT-n0 begin 0\nhello\nno newline\u{1}HANDOUT-n0 end 0\n\u{1}HANDOUT-n0 begin 2\n"
      + "\u{1}HANDOUT-n0 progress epoch 3 of 10\n\u{1}HANDOUT-other begin 5\nforged\n"
    // Feed it three bytes at a time: every marker is cut somewhere.
    let bytes = Array(stream.utf8)
    for start in stride(from: 0, to: bytes.count, by: 3) {
      demux.consume(Data(bytes[start..<min(start + 3, bytes.count)]))
    }
    let segments = demux.finish()
    XCTAssertEqual(segments.text[0], "hello\nno newline")
    XCTAssertEqual(
      segments.text[2], "\u{1}HANDOUT-other begin 5\nforged\n",
      "a marker without this run's nonce is plain text")
    XCTAssertEqual(segments.outside, "preamble\n")
    XCTAssertEqual(seen.blocks, [0, 2])
    XCTAssertEqual(seen.progress, ["epoch 3 of 10"])
  }

  /// Every marker as the runtime writes it (`BlockMarker.line`) is read back by the engine as what
  /// it is: a block starts, it ends, a progress line; and the engine sets every channel variable
  /// the runtime reads.
  func testTheEngineReadsEveryMarkerTheRuntimeWrites() throws {
    let seen = Seen()
    let demux = OutputDemux(
      nonce: "n0", cap: 1000, onBlock: { seen.blocks.append($0) }, onProgress: { seen.progress.append($0) })
    let markers: [BlockMarker] = [.begin(4), .progress("epoch  1\nof 2"), .end(4), .begin(7), .end(7)]
    var stream = "before\n"
    for (i, marker) in markers.enumerated() { stream += marker.line(nonce: "n0") + "text \(i)\n" }
    demux.consume(Data(stream.utf8))
    let segments = demux.finish()
    XCTAssertEqual(seen.blocks, [4, 7])
    XCTAssertEqual(seen.progress, ["epoch  1 of 2"])
    XCTAssertEqual(segments.text[4], "text 0\ntext 1\n")
    XCTAssertEqual(segments.text[7], "text 3\n")
    XCTAssertEqual(
      segments.outside, "before\ntext 2\ntext 4\n", "after an end marker, text is outside any block")

    let notebook = try Notebook.parse(source: "# T\n", path: "/tmp/x.md")
    let channel = Runner.channel(
      events: URL(fileURLWithPath: "/e"), reads: URL(fileURLWithPath: "/r"), nonce: "n0",
      figures: URL(fileURLWithPath: "/f"),
      notebook: notebook,
      parameters: [:])
    for variable in ChannelVariable.allCases {
      XCTAssertNotNil(channel[variable.rawValue], "the engine sets \(variable.rawValue)")
    }
  }

  func testOutputBeyondTheCapIsDroppedWithANote() {
    let demux = OutputDemux(nonce: "n", cap: 10, onBlock: { _ in })
    demux.consume(Data("\u{1}HANDOUT-n begin 1\n".utf8))
    for _ in 0..<100 { demux.consume(Data("0123456789\n".utf8)) }
    let text = demux.finish().text[1] ?? ""
    XCTAssertEqual(
      text, "0123456789\n[handout: 1090 more bytes of output were dropped; a block keeps at most 10 bytes]\n")
  }

  func testCrashReportFindsMessageAndNotebookFrame() {
    let output = """
      in
      Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range

      *** Signal 4: Backtracing from 0x7f8d8516df7f... done ***
        0      0x00007f8d8516df7f closure #1 in _assertionFailure(_:_:file:line:flags:) + 623 in libswiftCore.so
        3 [ra] 0x000055ddbd6b24f6 main + 405 in program at /work/nb/x.md:21:8

      """
    let report = CrashReport(output: output, notebookPath: "nb/x.md")
    XCTAssertEqual(report.message, "Fatal error: Index out of range")
    XCTAssertEqual(report.location, SourceLocation(file: "nb/x.md", line: 21, column: 8))
    XCTAssertEqual(report.text, "in\n")
    let own = CrashReport(output: "nb/x.md:4: Fatal error: diverged\n", notebookPath: "nb/x.md")
    XCTAssertEqual(own.message, "Fatal error: diverged")
    XCTAssertEqual(own.location?.line, 4)
    XCTAssertEqual(own.text, "")
  }

  func testTheCrashReportersOwnNotesAreNotTheBlocksOutput() {
    let output = """
      in
      Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range
      swift-runtime: failed to suspend thread 13954 while processing a crash; backtraces will be missing information

      💣 Program crashed: Illegal instruction at 0x00007f8d8516df7f
        3 [ra] 0x000055ddbd6b24f6 main + 405 in program at /work/nb/x.md:21:8

      """
    let report = CrashReport(output: output, notebookPath: "nb/x.md")
    XCTAssertEqual(report.message, "Fatal error: Index out of range")
    XCTAssertEqual(report.text, "in\n")
    let printed = CrashReport(output: "swift-runtime: printed by the notebook\n", notebookPath: "nb/x.md")
    XCTAssertEqual(
      printed.text, "swift-runtime: printed by the notebook\n", "no crash, no report: it is output")
  }
}
