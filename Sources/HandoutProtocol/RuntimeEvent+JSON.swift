// The wire form of a `RuntimeEvent`: one flat JSON object, its kind in `"event"`, the other
// fields beside it (the format documented at the top of RuntimeEvent.swift).
import Foundation

extension RuntimeEvent: Codable {
  enum Key: String, CodingKey {
    case event, block, inline, text, file, line, column, passed, expected, actual, difference, literal
    case name, files, caption, alt, width, height, label, written
    case slideWidth = "slide-width", slideHeight = "slide-height", slidePanel = "slide-panel", frames
    case frameLabels = "frame-labels", phoneWidth = "phone-width", phoneHeight = "phone-height"
  }

  /// Decodes one event; throws when the kind is unknown or a field its kind needs is missing.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    func int(_ key: Key) throws -> Int { try c.decode(Int.self, forKey: key) }
    func string(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
    func double(_ key: Key) throws -> Double { try c.decode(Double.self, forKey: key) }
    let block = try c.decodeIfPresent(Int.self, forKey: .block)
    let kind = try c.decode(Kind.self, forKey: .event)
    switch kind {
    case .begin: self = .begin(block: try int(.block))
    case .end: self = .end(block: try int(.block))
    case .value: self = .value(block: block, text: try string(.text))
    case .inline: self = .inline(index: try int(.inline), text: try string(.text))
    case .check:
      self = .check(
        Check(
          block: block, file: try string(.file), line: try int(.line), column: try int(.column),
          passed: try c.decode(Bool.self, forKey: .passed), expected: try string(.expected),
          actual: try string(.actual), difference: try c.decodeIfPresent(String.self, forKey: .difference),
          literal: try string(.literal)))
    case .figure:
      var figure =
        Figure(
          block: block, name: try string(.name), files: try c.decode([String: String].self, forKey: .files),
          caption: try c.decodeIfPresent(String.self, forKey: .caption), alt: try string(.alt),
          width: try double(.width), height: try double(.height),
          label: try c.decodeIfPresent(String.self, forKey: .label),
          slideWidth: try c.decodeIfPresent(Double.self, forKey: .slideWidth),
          slideHeight: try c.decodeIfPresent(Double.self, forKey: .slideHeight),
          frames: try c.decodeIfPresent([[String: String]].self, forKey: .frames),
          frameLabels: try c.decodeIfPresent([String].self, forKey: .frameLabels))
      figure.slidePanel = try c.decodeIfPresent(Double.self, forKey: .slidePanel)
      figure.phoneWidth = try c.decodeIfPresent(Double.self, forKey: .phoneWidth)
      figure.phoneHeight = try c.decodeIfPresent(Double.self, forKey: .phoneHeight)
      self = .figure(figure)
    case .figureError, .figureWarning:
      let failure = FigureError(
        block: block, file: try string(.file), line: try int(.line), column: try int(.column),
        text: try string(.text))
      self = kind == .figureError ? .figureError(failure) : .figureWarning(failure)
    case .data: self = .data(file: try string(.file))
    case .opened:
      self = .opened(
        files: try c.decode([String].self, forKey: .files),
        written: try c.decodeIfPresent([String].self, forKey: .written) ?? [])
    case .loaded: self = .loaded(files: try c.decode([String].self, forKey: .files))
    case .finish: self = .finish
    }
  }

  /// Encodes the event flat, leaving out the fields that are nil.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    try c.encode(kind, forKey: .event)
    switch self {
    case .begin(let block), .end(let block):
      try c.encode(block, forKey: .block)
    case .value(let block, let text):
      try c.encodeIfPresent(block, forKey: .block)
      try c.encode(text, forKey: .text)
    case .inline(let index, let text):
      try c.encode(index, forKey: .inline)
      try c.encode(text, forKey: .text)
    case .check(let check):
      try c.encodeIfPresent(check.block, forKey: .block)
      try c.encode(check.file, forKey: .file)
      try c.encode(check.line, forKey: .line)
      try c.encode(check.column, forKey: .column)
      try c.encode(check.passed, forKey: .passed)
      try c.encode(check.expected, forKey: .expected)
      try c.encode(check.actual, forKey: .actual)
      try c.encodeIfPresent(check.difference, forKey: .difference)
      try c.encode(check.literal, forKey: .literal)
    case .figure(let figure):
      try c.encodeIfPresent(figure.block, forKey: .block)
      try c.encode(figure.name, forKey: .name)
      try c.encode(figure.files, forKey: .files)
      try c.encodeIfPresent(figure.caption, forKey: .caption)
      try c.encode(figure.alt, forKey: .alt)
      try c.encode(figure.width, forKey: .width)
      try c.encode(figure.height, forKey: .height)
      try c.encodeIfPresent(figure.label, forKey: .label)
      try c.encodeIfPresent(figure.slideWidth, forKey: .slideWidth)
      try c.encodeIfPresent(figure.slideHeight, forKey: .slideHeight)
      try c.encodeIfPresent(figure.slidePanel, forKey: .slidePanel)
      try c.encodeIfPresent(figure.phoneWidth, forKey: .phoneWidth)
      try c.encodeIfPresent(figure.phoneHeight, forKey: .phoneHeight)
      try c.encodeIfPresent(figure.frames, forKey: .frames)
      try c.encodeIfPresent(figure.frameLabels, forKey: .frameLabels)
    case .figureError(let failure), .figureWarning(let failure):
      try c.encodeIfPresent(failure.block, forKey: .block)
      try c.encode(failure.file, forKey: .file)
      try c.encode(failure.line, forKey: .line)
      try c.encode(failure.column, forKey: .column)
      try c.encode(failure.text, forKey: .text)
    case .data(let file):
      try c.encode(file, forKey: .file)
    case .opened(let files, let written):
      try c.encode(files, forKey: .files)
      if !written.isEmpty { try c.encode(written, forKey: .written) }
    case .loaded(let files):
      try c.encode(files, forKey: .files)
    case .finish:
      break
    }
  }

  /// The event as one line of the events file: compact JSON with sorted keys and unescaped
  /// slashes, then `\n`. The bytes depend only on the event.
  public func jsonLine() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// Every complete event of an events file, in order. A line that is not one (cut short by a
  /// crash, an unknown kind, a field missing) is skipped.
  ///
  /// The lines are found in the raw bytes: `Data.split` went through `Data`'s collection
  /// indexing byte by byte, 10–20 ms for the 650 KB a 10 000-element `expect` writes, on the
  /// critical path of every cold render (after the program, before the page).
  public static func decodeLines(_ data: Data) -> [RuntimeEvent] {
    let decoder = JSONDecoder()
    var lines: [Range<Int>] = []
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      var start = 0
      while start < bytes.count {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if end > start { lines.append(start..<end) }
        start = end + 1
      }
    }
    let base = data.startIndex
    return lines.compactMap {
      try? decoder.decode(RuntimeEvent.self, from: data[(base + $0.lowerBound)..<(base + $0.upperBound)])
    }
  }
}
