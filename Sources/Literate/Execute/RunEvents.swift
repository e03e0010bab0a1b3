// Reading the notebook program's event file (the protocol is documented in
// `HandoutKit/Runtime.swift`; `Literate` never imports HandoutKit, so the shape is mirrored here).
import Foundation

struct RunEvents {
  /// One line of `HANDOUT_EVENTS`; every field but `event` is optional.
  struct Event: Decodable {
    var event: String
    var block: Int?
    var inline: Int?
    var text: String?
    var file: String?
    var line: Int?
    var column: Int?
    var passed: Bool?
    var expected: String?
    var actual: String?
    var difference: String?
    var literal: String?
    var name: String?
    var files: [String: String]?
    var caption: String?
    var alt: String?
    var width: Double?
    var height: Double?
  }

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
  /// Figures that could not be written, each at its `show(…)` call.
  var figureFailures: [Diagnostic] = []

  /// Parses the file; a line cut short by a crash is skipped.
  static func parse(_ data: Data) -> RunEvents {
    var result = RunEvents()
    let decoder = JSONDecoder()
    for line in data.split(separator: UInt8(ascii: "\n")) {
      guard let e = try? decoder.decode(Event.self, from: Data(line)) else { continue }
      switch e.event {
      case "begin": if let b = e.block { result.begun.insert(b) }
      case "end": if let b = e.block { result.ended.insert(b) }
      case "finish": result.finished = true
      case "value":
        if let b = e.block { result.values[b] = e.text ?? "" }
      case "inline":
        if let i = e.inline { result.inlineValues[i] = e.text ?? "" }
      case "check":
        let check = CheckResult(
          kind: .expectation,
          location: SourceLocation(file: e.file ?? "", line: e.line ?? 0, column: e.column ?? 1),
          passed: e.passed ?? false, expected: e.expected ?? "", actual: e.actual ?? "",
          difference: e.difference)
        var c = check
        c.replacement = e.literal
        result.checks[e.block ?? -1, default: []].append(c)
      case "figure":
        guard let b = e.block else { continue }
        result.figures[b, default: []].append(
          FigureOutput(
            name: e.name ?? "figure", files: e.files ?? [:], caption: e.caption, alt: e.alt ?? "",
            width: e.width ?? 0, height: e.height ?? 0))
      case "data":
        if let file = e.file { result.dataFiles.append(file) }
      case "figure-error":
        result.figureFailures.append(
          Diagnostic(
            .error, e.text ?? "a figure could not be written",
            at: SourceLocation(file: e.file ?? "", line: e.line ?? 0, column: e.column ?? 1)))
      default:
        continue
      }
    }
    return result
  }
}
