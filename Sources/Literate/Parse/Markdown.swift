// Prose as a typed tree: what the parse stage makes of a notebook's Markdown, once. cmark-gfm
// decides the structure (`CommonMark.convert`), `ProseLexer` decides what is math, an inline
// `swift` value or a reference; every later stage (references, page, deck, PDF) walks these
// values and never reads Markdown again.

/// One run of prose between blocks, parsed.
public struct Prose: Equatable, Sendable {
  /// The Markdown as written (inline expressions included), for messages and `check --update`.
  public var markdown: String
  /// The notebook line of the first line of `markdown`.
  public var line: Int
  /// The top-level blocks, in order.
  public var blocks: [MarkdownBlock]
  /// The 1-based line in `markdown` where each of `blocks` starts (for slide warnings).
  public var blockLines: [Int]

  /// Prose with its tree given; `blockLines` all 1 unless given.
  public init(markdown: String, line: Int, blocks: [MarkdownBlock], blockLines: [Int]? = nil) {
    self.markdown = markdown
    self.line = line
    self.blocks = blocks
    self.blockLines = blockLines ?? blocks.map { _ in 1 }
  }
}

/// One math span, as the lexer found it.
public struct MathSpan: Equatable, Sendable {
  /// The TeX between the dollars, byte-for-byte as written.
  public var tex: String
  /// `$$…$$` (display) or `$…$` (inline).
  public var display: Bool
  /// `{#eq-x}` written right after a display span: the equation's label.
  public var label: String?
  /// Where the label's `{` is written.
  public var labelLocation: SourceLocation?

  /// A span without a label.
  public init(tex: String, display: Bool, label: String? = nil, labelLocation: SourceLocation? = nil) {
    self.tex = tex
    self.display = display
    self.label = label
    self.labelLocation = labelLocation
  }
}

/// A block of Markdown.
public indirect enum MarkdownBlock: Equatable, Sendable {
  /// A paragraph's inlines.
  case paragraph([MarkdownInline])
  /// `#`…`######` or setext, at its written level.
  case heading(level: Int, [MarkdownInline])
  /// `---`, `***` or `___`.
  case thematicBreak
  /// `>` and its content.
  case blockQuote([MarkdownBlock])
  /// GitHub's alert (`> [!NOTE]`), its marker line removed.
  case callout(Callout, [MarkdownBlock])
  /// A bullet or ordered list.
  case list(MarkdownList)
  /// A fenced or indented code block inside prose: the info string and the code.
  case code(info: String, literal: String)
  /// Raw HTML, as written (math and references in it already split out).
  case html([MarkdownInline])
  /// A GFM table, with its caption.
  case table(MarkdownTable)
}

/// A bullet or ordered list.
public struct MarkdownList: Equatable, Sendable {
  /// `1.` rather than `-`.
  public var ordered: Bool
  /// The first number of an ordered list.
  public var start: Int
  /// No blank lines between items: paragraphs are shown without `<p>`.
  public var tight: Bool
  /// Each item's blocks.
  public var items: [[MarkdownBlock]]
}

/// A GFM table and the caption written under it (`Table: text {#tbl-x}`).
public struct MarkdownTable: Equatable, Sendable {
  /// A column's alignment (`:--`, `:-:`, `--:`, or none).
  public enum Alignment: Equatable, Sendable {
    /// `---`: none given.
    case none
    /// `:--`.
    case left
    /// `:-:`.
    case center
    /// `--:`.
    case right
  }
  /// One per column.
  public var alignments: [Alignment]
  /// The header row's cells.
  public var header: [[MarkdownInline]]
  /// The body rows' cells.
  public var rows: [[[MarkdownInline]]]
  /// The `Table:` paragraph right after it, if any.
  public var caption: TableCaption?
}

/// The caption paragraph of a table.
public struct TableCaption: Equatable, Sendable {
  /// `{#tbl-x}` at the caption's end.
  public var label: String?
  /// Where the label's `{` stands (for numbering and its errors).
  public var labelLocation: SourceLocation?
  /// The caption's text after `Table:`.
  public var content: [MarkdownInline]
}

/// Inline Markdown.
public indirect enum MarkdownInline: Equatable, Sendable {
  /// Text, entities decoded, smart punctuation applied.
  case text(String)
  /// A code span's content.
  case code(String)
  /// `*…*`.
  case emphasis([MarkdownInline])
  /// `**…**`.
  case strong([MarkdownInline])
  /// `~~…~~`.
  case strikethrough([MarkdownInline])
  /// `[text](destination "title")` or an autolink; a destination that would run script is "".
  case link(destination: String, title: String, [MarkdownInline])
  /// `![alt](source "title")`.
  case image(source: String, title: String, [MarkdownInline])
  /// Raw inline HTML (or a piece of an HTML block), as written.
  case html(String)
  /// A line break in the source.
  case softBreak
  /// Two spaces or `\` before a line break.
  case lineBreak
  /// `$…$` or `$$…$$`.
  case math(MathSpan)
  /// The value of inline expression `index` (`` `swift EXPR` ``).
  case inlineValue(Int)
  /// `@fig-x`, `@eq-x`, `@tbl-x`, and where it is written.
  case reference(String, SourceLocation)
  /// A `Table:` caption marker that follows no table: shown as the text `Table:`. Its label (and
  /// where the label's `{` and the `Table:` stand) makes an error: the caption numbers nothing.
  case captionMarker(label: String?, labelLocation: SourceLocation?, start: SourceLocation)
}

extension Prose {
  /// Every block of the tree, depth first, containers before their content.
  public var allBlocks: [MarkdownBlock] {
    var out: [MarkdownBlock] = []
    func visit(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        out.append(block)
        switch block {
        case .blockQuote(let inner), .callout(_, let inner): visit(inner)
        case .list(let list): list.items.forEach(visit)
        default: break
        }
      }
    }
    visit(blocks)
    return out
  }

  /// Every inline of the tree in document order (containers before their content), table
  /// captions included.
  public var allInlines: [MarkdownInline] {
    var out: [MarkdownInline] = []
    func visit(_ inlines: [MarkdownInline]) {
      for inline in inlines {
        out.append(inline)
        switch inline {
        case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c), .image(_, _, let c):
          visit(c)
        default: break
        }
      }
    }
    for block in allBlocks {
      switch block {
      case .paragraph(let c), .heading(_, let c), .html(let c): visit(c)
      case .table(let table):
        table.header.forEach(visit)
        table.rows.forEach { $0.forEach(visit) }
        if let caption = table.caption { visit(caption.content) }
      default: break
      }
    }
    return out
  }

  /// Whether the prose has a top-level `#` heading.
  public var hasH1: Bool {
    blocks.contains { if case .heading(1, _) = $0 { true } else { false } }
  }
}

extension Prose {
  /// The tree of Markdown written outside the notebook's prose runs: the abstract, a division's
  /// title, a figure caption a program wrote. Lexed and converted as prose is, except that inline
  /// `swift` expressions are not read in it (only the parser numbers them); with `escapeHTML`, `<`
  /// and `>` outside math are text. The parse stage calls it once per piece (the resolve stage for
  /// figure captions, which only the run knows); every format walks the result.
  static func tree(of markdown: String, escapeHTML: Bool = false) -> [MarkdownBlock] {
    var lexer = ProseLexer(path: "", firstLine: 1, inlineExpressions: false)
    return CommonMark.convert(lexer.lex(markdown), escapeHTML: escapeHTML)
  }

  /// A one-line title's inlines (HTML in it shown as text), or nil when Markdown reads it as a
  /// block (`1. Warm-up` is a list): such a title is shown as plain text.
  static func titleInlines(_ title: String) -> [MarkdownInline]? {
    guard case .paragraph(let inlines) = tree(of: title, escapeHTML: true).only else { return nil }
    return inlines
  }

  /// The tree of each figure caption `run` shows, by its text: converted once per edition, after
  /// the run (`CrossReferences.apply`). A caption `known` already holds is not converted again
  /// (the student edition's run shows the instructor's captions).
  static func figureCaptions(
    _ run: RunResult, known: [String: [MarkdownBlock]] = [:]
  ) -> [String: [MarkdownBlock]] {
    var trees: [String: [MarkdownBlock]] = [:]
    for block in run.blocks.values {
      for case let caption? in block.figures.map(\.caption) where !caption.isEmpty && trees[caption] == nil {
        trees[caption] = known[caption] ?? tree(of: caption, escapeHTML: true)
      }
    }
    return trees
  }
}

extension Array {
  /// The one element of a one-element array, else nil.
  var only: Element? { count == 1 ? first : nil }
}

extension Node {
  /// A prose node of `markdown` (parsed as the parser parses prose; its inline expressions are
  /// numbered from 0), for notebooks built by hand.
  public static func prose(markdown: String, line: Int, path: String = "") -> Node {
    var lexer = ProseLexer(path: path, firstLine: line)
    let (blocks, lines) = CommonMark.convertWithLines(lexer.lex(markdown))
    return .prose(Prose(markdown: markdown, line: line, blocks: blocks, blockLines: lines))
  }
}

/// The kinds of label: the prefix says what a label names.
enum LabelKind: String, CaseIterable, Sendable {
  case figure = "fig", equation = "eq", table = "tbl"

  /// The kind whose prefix (`fig-`, `eq-`, `tbl-`) `label` starts with.
  init?(label: String) {
    guard let dash = label.firstIndex(of: "-"), label.index(after: dash) < label.endIndex else { return nil }
    self.init(rawValue: String(label[..<dash]))
  }

  /// How prose reads a reference to target `number`: "Figure 2", "Equation (1)", "Table 1".
  func text(_ number: Int) -> String {
    switch self {
    case .figure: "Figure \(number)"
    case .equation: "Equation (\(number))"
    case .table: "Table \(number)"
    }
  }

  static func isLabelCharacter(_ c: Character) -> Bool {
    c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
  }

  /// Whether `label` is a well-formed label: a known prefix, a dash, then label characters, not
  /// ending in `-` or `_`.
  static func isLabel(_ label: String) -> Bool {
    LabelKind(label: label) != nil && label.allSatisfy(isLabelCharacter) && label.last != "-"
      && label.last != "_"
  }
}
