import Foundation
import HandoutProtocol
import XCTest

/// The events file's lines: every kind survives the trip through JSON, and the bytes are the
/// documented ones (the runtime writes them, the runner reads them).
final class RuntimeEventTests: XCTestCase {
  /// One event of every kind with every field set, and the line each must be written as.
  static let samples: [(RuntimeEvent, String)] = [
    (.begin(block: 3), #"{"block":3,"event":"begin"}"#),
    (.end(block: 3), #"{"block":3,"event":"end"}"#),
    (.value(block: 3, text: "[1] 0.5"), #"{"block":3,"event":"value","text":"[1] 0.5"}"#),
    (.inline(index: 0, text: "0.5"), #"{"event":"inline","inline":0,"text":"0.5"}"#),
    (
      .check(
        .init(
          block: 3, file: "/n/x.md", line: 12, column: 1, passed: false, expected: "0.5", actual: "0.51",
          difference: "|Δ| = 0.01 > tolerance 0", literal: "0.51")),
      #"{"actual":"0.51","block":3,"column":1,"difference":"|Δ| = 0.01 > tolerance 0","event":"check","#
        + #""expected":"0.5","file":"/n/x.md","line":12,"literal":"0.51","passed":false}"#
    ),
    (
      .figure(
        .init(
          block: 3, name: "neuron-1", files: ["svg": "02-ann/neuron-1.svg", "png": "02-ann/neuron-1.png"],
          caption: "One neuron", alt: "a neuron", width: 640, height: 480.5, label: "fig-neuron")),
      #"{"alt":"a neuron","block":3,"caption":"One neuron","event":"figure","#
        + #""files":{"png":"02-ann/neuron-1.png","svg":"02-ann/neuron-1.svg"},"height":480.5,"#
        + #""label":"fig-neuron","name":"neuron-1","width":640}"#
    ),
    (
      .figureError(
        .init(block: 2, file: "/n/x.md", line: 7, column: 5, text: "figure a-1 could not be written")),
      #"{"block":2,"column":5,"event":"figure-error","file":"/n/x.md","line":7,"#
        + #""text":"figure a-1 could not be written"}"#
    ),
    (
      .figureWarning(.init(block: 2, file: "/n/x.md", line: 8, column: 1, text: "figure a-2 draws no data")),
      #"{"block":2,"column":1,"event":"figure-warning","file":"/n/x.md","line":8,"#
        + #""text":"figure a-2 draws no data"}"#
    ),
    (.data(file: "/abs/notebooks/points.csv"), #"{"event":"data","file":"/abs/notebooks/points.csv"}"#),
    (
      .opened(files: ["/abs/notebooks/b.txt"], written: ["/abs/notebooks/m.txt"]),
      #"{"event":"opened","files":["/abs/notebooks/b.txt"],"written":["/abs/notebooks/m.txt"]}"#
    ),
    (
      .loaded(files: ["/usr/lib/libcairo.so.2", "/usr/share/fonts/DejaVuSans.ttf"]),
      #"{"event":"loaded","files":["/usr/lib/libcairo.so.2","/usr/share/fonts/DejaVuSans.ttf"]}"#
    ),
    (.finish, #"{"event":"finish"}"#),
  ]

  func testEveryKindHasASample() {
    XCTAssertEqual(Set(Self.samples.map(\.0.kind)), Set(RuntimeEvent.Kind.allCases))
  }

  func testEveryEventIsWrittenAsItsDocumentedLine() throws {
    for (event, line) in Self.samples {
      XCTAssertEqual(String(decoding: try event.jsonLine(), as: UTF8.self), line + "\n", "\(event.kind)")
    }
  }

  func testEveryEventRoundTrips() throws {
    for (event, _) in Self.samples {
      XCTAssertEqual(RuntimeEvent.decodeLines(try event.jsonLine()), [event], "\(event.kind)")
    }
    var file = Data()
    for (event, _) in Self.samples { file.append(try event.jsonLine()) }
    XCTAssertEqual(RuntimeEvent.decodeLines(file), Self.samples.map(\.0), "a whole file, in order")
  }

  func testAbsentFieldsAreLeftOutAndComeBackNil() throws {
    let events: [(RuntimeEvent, String)] = [
      (.value(block: nil, text: "1"), #"{"event":"value","text":"1"}"#),
      (
        .check(
          .init(
            block: nil, file: "f", line: 1, column: 2, passed: true, expected: "1", actual: "1",
            difference: nil, literal: "1")),
        #"{"actual":"1","column":2,"event":"check","expected":"1","file":"f","line":1,"#
          + #""literal":"1","passed":true}"#
      ),
      (
        .figure(.init(block: nil, name: "f-1", files: [:], caption: nil, alt: "f", width: 1, height: 2)),
        #"{"alt":"f","event":"figure","files":{},"height":2,"name":"f-1","width":1}"#
      ),
      (
        .figureError(.init(block: nil, file: "f", line: 1, column: 1, text: "t")),
        #"{"column":1,"event":"figure-error","file":"f","line":1,"text":"t"}"#
      ),
    ]
    for (event, line) in events {
      XCTAssertEqual(String(decoding: try event.jsonLine(), as: UTF8.self), line + "\n")
      XCTAssertEqual(RuntimeEvent.decodeLines(Data(line.utf8)), [event])
    }
  }

  func testLinesThatAreNotEventsAreSkipped() {
    let file = [
      #"{"block":1,"event":"begin"}"#,
      #"{"block":1,"event":"somethin"#,  // cut short by a crash
      #"{"block":1,"event":"paint"}"#,  // an unknown kind
      #"{"event":"begin"}"#,  // a field its kind needs is missing
      #"{"event":"check","block":1,"file":"f","line":1,"column":1,"passed":true}"#,
      "not json",
      #"{"event":"finish"}"#,
    ].joined(separator: "\n")
    XCTAssertEqual(RuntimeEvent.decodeLines(Data(file.utf8)), [.begin(block: 1), .finish])
  }

  func testLinesAreFoundInASliceOfAFileAndAroundEmptyLines() {
    let file = Data(
      "{\"event\":\"finish\"}\n\n\n{\"block\":2,\"event\":\"end\"}\n{\"block\":3,\"event\":\"end\"}".utf8)
    XCTAssertEqual(RuntimeEvent.decodeLines(file), [.finish, .end(block: 2), .end(block: 3)])
    // A slice starts at its own index: the second line and the third.
    let slice = file[file.index(file.startIndex, offsetBy: 19)...]
    XCTAssertEqual(RuntimeEvent.decodeLines(slice), [.end(block: 2), .end(block: 3)])
    XCTAssertEqual(RuntimeEvent.decodeLines(slice.dropFirst(4)), [.end(block: 3)], "a cut line is skipped")
  }

  func testAnAnimationsFramesAndTheSlideSizeRoundTrip() throws {
    let event = RuntimeEvent.figure(
      RuntimeEvent.Figure(
        block: 2, name: "forming-1",
        files: ["svg": "nb/forming-1.svg", "slide-svg": "nb/forming-1.slide.svg"],
        caption: nil, alt: "a", width: 640, height: 480, slideWidth: 889, slideHeight: 500,
        frames: [["svg": "nb/forming-1.f0.svg"], ["svg": "nb/forming-1.f1.svg"]],
        frameLabels: ["epoch 0", "epoch 5"]))
    let line = String(decoding: try event.jsonLine(), as: UTF8.self)
    XCTAssertTrue(line.contains(#""frame-labels":["epoch 0","epoch 5"]"#), line)
    XCTAssertTrue(line.contains(#""slide-height":500,"slide-width":889"#), line)
    XCTAssertEqual(RuntimeEvent.decodeLines(Data(line.utf8)), [event])
  }
}
