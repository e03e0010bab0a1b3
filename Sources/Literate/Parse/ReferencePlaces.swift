// Where a reference (or a label) written outside the prose runs stands in the notebook. The
// abstract (a YAML value) and a division's title are parsed as pieces of their own
// (`Prose.tree(of:)`), so the lexer places their references and labels inside the piece; the parse
// stage moves them to the notebook's line and column, so an unknown reference (or a label the
// abstract cannot hold) is reported where it is written, as in the body.

extension MarkdownInline {
  /// The inline with the place of every reference and equation label in it given by `place` (of
  /// the text written there, `@eq-x` or `{#eq-x`, and its place in the piece).
  func relocatingReferences(_ place: (String, SourceLocation) -> SourceLocation) -> MarkdownInline {
    switch self {
    case .reference(let label, let location): return .reference(label, place("@" + label, location))
    case .math(var span):
      if let label = span.label, let location = span.labelLocation {
        span.labelLocation = place("{#" + label, location)
      }
      return .math(span)
    case .emphasis(let c): return .emphasis(c.map { $0.relocatingReferences(place) })
    case .strong(let c): return .strong(c.map { $0.relocatingReferences(place) })
    case .strikethrough(let c): return .strikethrough(c.map { $0.relocatingReferences(place) })
    case .link(let destination, let title, let c):
      return .link(destination: destination, title: title, c.map { $0.relocatingReferences(place) })
    case .image(let source, let title, let c):
      return .image(source: source, title: title, c.map { $0.relocatingReferences(place) })
    default: return self
    }
  }
}

extension MarkdownBlock {
  /// The block with the place of every reference and label in it given by `place`.
  func relocatingReferences(_ place: (String, SourceLocation) -> SourceLocation) -> MarkdownBlock {
    switch self {
    case .paragraph(let c): return .paragraph(c.map { $0.relocatingReferences(place) })
    case .heading(let level, let c): return .heading(level: level, c.map { $0.relocatingReferences(place) })
    case .html(let c): return .html(c.map { $0.relocatingReferences(place) })
    case .blockQuote(let c): return .blockQuote(c.map { $0.relocatingReferences(place) })
    case .callout(let kind, let c): return .callout(kind, c.map { $0.relocatingReferences(place) })
    case .list(var list):
      list.items = list.items.map { $0.map { $0.relocatingReferences(place) } }
      return .list(list)
    case .table(var table):
      table.header = table.header.map { $0.map { $0.relocatingReferences(place) } }
      table.rows = table.rows.map { $0.map { $0.map { $0.relocatingReferences(place) } } }
      if var caption = table.caption {
        caption.content = caption.content.map { $0.relocatingReferences(place) }
        if let label = caption.label, let location = caption.labelLocation {
          caption.labelLocation = place("{#" + label, location)
        }
        table.caption = caption
      }
      return .table(table)
    case .thematicBreak, .code: return self
    }
  }
}

/// Character offsets in a piece of text and in the source it was written as.
enum ReferencePlaces {
  /// The 0-based character offset of the 1-based `line` and `column` in `text` (lines end at "\n").
  static func offset(line: Int, column: Int, in text: [Character]) -> Int {
    var k = 0
    var remaining = line - 1
    while remaining > 0, k < text.count {
      if text[k] == "\n" { remaining -= 1 }
      k += 1
    }
    return min(k + column - 1, text.count)
  }

  /// The 1-based line and column of character `offset` in `text`.
  static func lineAndColumn(of offset: Int, in text: [Character]) -> (line: Int, column: Int) {
    var (line, column) = (1, 1)
    for c in text[..<min(offset, text.count)] {
      (line, column) = c == "\n" ? (line + 1, 1) : (line, column + 1)
    }
    return (line, column)
  }

  /// The offsets where `needle` starts in `text`, from `start` on.
  static func starts(of needle: [Character], in text: [Character], from start: Int = 0) -> [Int] {
    guard !needle.isEmpty, text.count >= needle.count, start <= text.count - needle.count else { return [] }
    return (start...(text.count - needle.count)).filter {
      text[$0..<($0 + needle.count)].elementsEqual(needle)
    }
  }

  /// Where in `source` (from offset `start` on) the `written` text (`@label`, `{#label`) at
  /// `offset` of `piece` is written: a YAML value or a title holds the same `@label`s in the same
  /// order as the text it gives (labels have no spaces, escapes or line breaks), so the n-th in one
  /// is the n-th in the other. nil when the source does not hold it so often (written with an escape).
  static func source(
    of written: String, at offset: Int, in piece: [Character], source: [Character], from start: Int
  ) -> Int? {
    let needle = Array(written)
    let n = starts(of: needle, in: piece).count { $0 < offset }
    let found = starts(of: needle, in: source, from: start)
    return n < found.count ? found[n] : nil
  }
}

extension NotebookScanner {
  /// The abstract's tree with its references and labels placed where the front matter writes them, in the
  /// YAML value at `valueLine` (the notebook's) and `valueColumn`; at the value's start when the
  /// YAML spells one differently.
  func placingReferences(
    _ blocks: [MarkdownBlock], of abstract: String, valueLine: Int, valueColumn: Int, place: YAMLPlace
  ) -> [MarkdownBlock] {
    let piece = Array(abstract)
    let yaml = Array(place.yaml)
    let start = ReferencePlaces.offset(line: valueLine - place.firstLine + 1, column: valueColumn, in: yaml)
    return blocks.map { block in
      block.relocatingReferences { written, location in
        let offset = ReferencePlaces.offset(line: location.line, column: location.column, in: piece)
        guard
          let found = ReferencePlaces.source(of: written, at: offset, in: piece, source: yaml, from: start)
        else { return SourceLocation(file: path, line: valueLine, column: valueColumn) }
        let (line, column) = ReferencePlaces.lineAndColumn(of: found, in: yaml)
        return SourceLocation(file: path, line: line + place.firstLine - 1, column: column)
      }
    }
  }
}

extension DivisionFence {
  /// A division's title inlines with their references placed on the fence's `line` of `path`:
  /// the title is its words joined by single spaces, each word where `titleWords` says.
  func placingReferences(_ inlines: [MarkdownInline], line: Int, path: String) -> [MarkdownInline] {
    inlines.map { inline in
      inline.relocatingReferences { _, location in
        let offset = location.column - 1
        guard let word = titleWords.last(where: { $0.offset <= offset }) else { return location }
        return SourceLocation(file: path, line: line, column: word.column + offset - word.offset)
      }
    }
  }
}

extension ReferencePlaces {
  /// The `@label` references in a plain text given in code (a figure's alt text), by the prose
  /// lexer's rule: `@` then a well-formed label (trailing `-`/`_` not part of it), where the `@`
  /// does not follow a letter, digit, `.`, `_`, `-`, `+`, `/` or `\` (`me@fig-x.org` stays text).
  static func references(inPlainText text: String) -> [(label: String, range: Range<String.Index>)] {
    var result: [(label: String, range: Range<String.Index>)] = []
    var previous: Character?
    var i = text.startIndex
    while i < text.endIndex {
      let blocked = previous.map { $0.isLetter || $0.isNumber || ".-_+/\\".contains($0) } ?? false
      if text[i] == "@", !blocked {
        let start = text.index(after: i)
        var end = start
        while end < text.endIndex, LabelKind.isLabelCharacter(text[end]) { end = text.index(after: end) }
        while end > start, "-_".contains(text[text.index(before: end)]) { end = text.index(before: end) }
        let label = String(text[start..<end])
        if LabelKind.isLabel(label) {
          result.append((label, i..<end))
          previous = label.last
          i = end
          continue
        }
      }
      previous = text[i]
      i = text.index(after: i)
    }
    return result
  }

  /// `text` with each reference in it (`references(inPlainText:)`) replaced by what `reading`
  /// gives for its label ("Figure 2"); one it gives nil for stays as written.
  static func resolvingReferences(in text: String, reading: (String) -> String?) -> String {
    var result = ""
    var rest = text.startIndex
    for (label, range) in references(inPlainText: text) {
      result += text[rest..<range.lowerBound]
      result += reading(label) ?? String(text[range])
      rest = range.upperBound
    }
    return result + text[rest...]
  }
}
