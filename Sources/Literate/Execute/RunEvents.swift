// Reading the notebook program's event file: the events (`HandoutProtocol.RuntimeEvent`, the
// one definition the runtime writes too) gathered by block.
import Foundation
import HandoutProtocol

/// What the events file of one run says, by block.
struct RunEvents {
  var begun = Set<Int>()
  var ended = Set<Int>()
  var finished = false
  var values: [Int: String] = [:]
  var inlineValues: [Int: String] = [:]
  /// By block index; -1 for checks made outside any block.
  var checks: [Int: [CheckResult]] = [:]
  var figures: [Int: [FigureOutput]] = [:]
  /// Absolute paths of the data files the program read through the runtime, in order.
  var dataFiles: [String] = []
  /// Absolute paths of the files the program opened for reading (`opened`), in order.
  var openedFiles: [String] = []
  /// Absolute paths of the files the program wrote (`opened`'s `written`), each with the block that
  /// began last.
  var writtenFiles: [(block: Int?, file: String)] = []
  /// The block that began last.
  var lastBegun: Int?
  /// The files the program had mapped at its end, and fontconfig's configuration (`loaded`).
  var loadedFiles: [String] = []
  /// Figures that could not be written, each at its `show(…)` call.
  var figureFailures: [Diagnostic] = []
  /// Figures drawn without some of their points, or with no data, each a warning at its `show(…)`.
  var figureWarnings: [Diagnostic] = []

  /// Parses the file; a line cut short by a crash is skipped.
  static func parse(_ data: Data) -> RunEvents {
    var result = RunEvents()
    for event in RuntimeEvent.decodeLines(data) {
      result.add(event)
    }
    return result
  }

  /// Places named `written` (the notebook as the program names it, `TangledProgram.sourceName`)
  /// named `path` instead.
  mutating func rename(_ written: String, to path: String) {
    guard written != path else { return }
    for (block, list) in checks {
      checks[block] = list.map { check in
        var check = check
        if check.location.file == written { check.location.file = path }
        return check
      }
    }
    for i in figureFailures.indices where figureFailures[i].location?.file == written {
      figureFailures[i].location?.file = path
    }
    for i in figureWarnings.indices where figureWarnings[i].location?.file == written {
      figureWarnings[i].location?.file = path
    }
  }

  /// Files one event. A value or figure outside any block has nowhere to go and is dropped.
  mutating func add(_ event: RuntimeEvent) {
    switch event {
    case .begin(let block):
      begun.insert(block)
      lastBegun = block
    case .end(let block): ended.insert(block)
    case .finish: finished = true
    case .value(let block, let text):
      if let block { values[block] = text }
    case .inline(let index, let text): inlineValues[index] = text
    case .check(let e):
      var check = CheckResult(
        kind: .expectation, location: SourceLocation(file: e.file, line: e.line, column: e.column),
        passed: e.passed, expected: e.expected, actual: e.actual, difference: e.difference)
      check.replacement = e.literal
      checks[e.block ?? -1, default: []].append(check)
    case .figure(let e):
      guard let block = e.block else { return }
      var figure = FigureOutput(
        name: e.name, files: e.files, caption: e.caption, alt: e.alt, width: e.width, height: e.height,
        label: e.label, slideWidth: e.slideWidth, slideHeight: e.slideHeight, frames: e.frames,
        frameLabels: e.frameLabels)
      figure.slidePanel = e.slidePanel
      (figure.phoneWidth, figure.phoneHeight) = (e.phoneWidth, e.phoneHeight)
      figures[block, default: []].append(figure)
    case .data(let file): dataFiles.append(file)
    case .opened(let files, let written):
      openedFiles += files
      writtenFiles += written.map { (lastBegun, $0) }
    case .loaded(let files): loadedFiles = files
    case .figureError(let e):
      figureFailures.append(
        Diagnostic(.error, e.text, at: SourceLocation(file: e.file, line: e.line, column: e.column)))
    case .figureWarning(let e):
      figureWarnings.append(
        Diagnostic(.warning, e.text, at: SourceLocation(file: e.file, line: e.line, column: e.column)))
    }
  }
}
