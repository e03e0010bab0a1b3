// The values that flow between the stages: parse → tangle → compile → run → weave → check.
// Every stage is a function of these values; only compile and run touch processes, only the final
// write touches the output folder. Change a type here and both walkers (tangle, weave) follow.
import Foundation
import SwiftSyntax

/// A place in a notebook, 1-based, as editors and compilers print it: `file:line:column`.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The file's path as the user named it (`notebooks/02-ann.md`, not made absolute): a
  /// notebook, or a file of its shared code.
  public var file: String
  /// 1-based line in `file`.
  public var line: Int
  /// 1-based column; 1 when only the line is known. The parser counts characters, swiftc's
  /// diagnostics count UTF-8 bytes.
  public var column: Int

  /// A place; `column` defaults to 1, the start of the line.
  public init(file: String, line: Int, column: Int = 1) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`, the form editors and compilers print and jump to.
  public var description: String { "\(file):\(line):\(column)" }
}

/// The YAML front matter of a notebook. Every key is optional.
public struct FrontMatter: Equatable, Sendable {
  /// The page's heading, its browser-tab title and its entry in the course index. nil: the page,
  /// its index entry and its neighbours' links take its first `# heading` (else the file name;
  /// `Notebook.title`).
  public var title: String?
  /// Shown under the title, on the page and in the index entry; nil: none.
  public var subtitle: String?
  /// Shown in the byline under the title; nil: no byline unless there is a `date`.
  public var author: String?
  /// Shown in the byline as written (free text, not parsed as a date); nil: none.
  public var date: String?
  /// Shown above the title and after it in the browser tab; the course index is titled with the
  /// first notebook's that has one (else "Handouts"). nil: none.
  public var course: String?
  /// Seconds the whole notebook program may run (default 300).
  public var timeout: Double?
  /// Markdown, shown under the title block.
  public var abstract: String? { didSet { abstractBlocks = abstract.map { Prose.tree(of: $0) } } }
  /// `abstract` parsed, once, when it is set (by the parse stage): what every format walks.
  public internal(set) var abstractBlocks: [MarkdownBlock]?
  /// `env: [SEED]`: environment variables the notebook program may read. Only these (and the
  /// fixed ones, see `Runner.environment`) reach it, and their values are part of the cache key.
  public var environment: [String] = []
  /// `data: [data/*.csv]`: files (globs, relative to the notebook's folder) the program reads by
  /// other means than `dataFile(_:)`; their contents are part of the cache key, and they are
  /// copied into the private folder the program runs in (`RunFolder`).
  public var data: [String] = []
  /// `params:`: named values with defaults that `--param name=value` overrides, in file order.
  public var parameters: [Parameter] = []

  /// Letters, digits and `_`, not starting with a digit: what a shell accepts as a variable name.
  public static func isVariableName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy {
      $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0))
    }
  }

  /// Front matter with the text keys given; `environment`, `data` and `parameters` start empty.
  /// Makes no checks (the parser does: unknown keys, wrong types).
  public init(
    title: String? = nil, subtitle: String? = nil, author: String? = nil, date: String? = nil,
    course: String? = nil, timeout: Double? = nil, abstract: String? = nil
  ) {
    self.title = title
    self.subtitle = subtitle
    self.author = author
    self.date = date
    self.course = course
    self.timeout = timeout
    self.abstract = abstract
    self.abstractBlocks = abstract.map { Prose.tree(of: $0) }
  }
}

/// A notebook parameter (`params:` in the front matter): notebook code reads it with
/// `param("name")`; `render`/`check --param name=value` sets it.
public struct Parameter: Equatable, Sendable {
  /// The type, from the default's YAML form: `7` an integer, `0.5` a number, `true` a boolean,
  /// anything else text.
  public enum Kind: String, Sendable {
    /// `Int`, a finite `Double`, `true`/`false` (any case), or any text; see `value(_:)`.
    case integer, number, boolean, text
  }
  /// The key under `params:`; what `param("name")` and `--param name=value` use.
  public var name: String
  /// The type every value must have: `--param` values of another type are refused.
  public var kind: Kind
  /// The default, as text in its canonical form (`7`, `0.5`, `true`, `abc`).
  public var defaultValue: String
  /// Where it is declared.
  public var location: SourceLocation

  /// A parameter as declared; `defaultValue` should already be in `kind`'s canonical form.
  public init(name: String, kind: Kind, defaultValue: String, location: SourceLocation) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.location = location
  }

  /// `text` in this parameter's canonical form, or nil when it is not of its kind.
  public func value(_ text: String) -> String? {
    switch kind {
    case .integer: return Int(text).map { String($0) }
    case .number:
      guard let d = Double(text), d.isFinite else { return nil }
      return "\(d)"
    case .boolean: return ["true": "true", "false": "false"][text.lowercased()]
    case .text: return text
    }
  }
}

/// A fenced code block. `language == "swift"` blocks are executed (unless `eval == false`),
/// any other language is shown only.
public struct Block: Equatable, Sendable {
  /// 0-based position among all fenced blocks of the notebook.
  public var index: Int
  /// `id=name`, or nil; used for figure names (`<id>-<n>.svg`).
  public var id: String?
  /// The first word of the info string (`swift`, `r`, `output`, …), lowercased.
  public var language: String
  /// Every `key=value` attribute as written, in order.
  public var attributes: [(key: String, value: String)]
  /// The code between the fences, lines joined by "\n", no trailing newline.
  public var code: String
  /// Location of the opening fence.
  public var fence: SourceLocation
  /// Line of the first code line (fence.line + 1).
  public var firstCodeLine: Int
  /// `echo=false`: run, hide the code.
  public var echo: Bool
  /// `eval=false`: show, don't run.
  public var eval: Bool
  /// `output=false`: run, hide what it produced.
  public var showOutput: Bool
  /// `timeout=SECONDS` for this block, if given.
  public var timeout: Double?
  /// Line of the closing fence (set by the parser; 0 when built by hand).
  public var closingLine: Int = 0
  /// The code's swift-syntax tree, parsed once by the parser for every `swift` block: tangle
  /// (declaration order, the displayed last expression), `check --update` and highlighting all
  /// read it. Not part of `==` (it is a function of `code`).
  public var syntax: SourceFileSyntax?

  /// `syntax`, or the code parsed now when the block was built by hand without it.
  public var syntaxTree: SourceFileSyntax { syntax ?? SwiftSource.parse(code) }

  /// Whether the program runs this block: a `swift` block without `eval=false`. Only these get
  /// a `BlockResult` and count in `InlineExpression.afterBlockCount`.
  public var isExecuted: Bool { language == "swift" && eval }

  /// A block with the defaults of a fence without attributes; `firstCodeLine` is
  /// `fence.line + 1`, `closingLine` 0. `language` is expected lowercased, as the parser gives it.
  public init(
    index: Int, id: String? = nil, language: String, attributes: [(key: String, value: String)] = [],
    code: String, fence: SourceLocation, echo: Bool = true, eval: Bool = true, showOutput: Bool = true,
    timeout: Double? = nil
  ) {
    self.index = index
    self.id = id
    self.language = language
    self.attributes = attributes
    self.code = code
    self.fence = fence
    self.firstCodeLine = fence.line + 1
    self.echo = echo
    self.eval = eval
    self.showOutput = showOutput
    self.timeout = timeout
  }

  /// Equal when every field the fence and its code set is equal (`attributes` in order);
  /// `firstCodeLine` follows `fence`, and `closingLine` is not compared, so a block built by hand
  /// equals the parsed one. Written out because an array of tuples is not `Equatable`.
  public static func == (a: Block, b: Block) -> Bool {
    a.index == b.index && a.id == b.id && a.language == b.language && a.code == b.code
      && a.fence == b.fence && a.echo == b.echo && a.eval == b.eval && a.showOutput == b.showOutput
      && a.timeout == b.timeout && a.attributes.map(\.key) == b.attributes.map(\.key)
      && a.attributes.map(\.value) == b.attributes.map(\.value)
  }
}

/// A ```` ```output ```` block right after a swift block: what that block is published to print.
public struct PublishedOutput: Equatable, Sendable {
  /// Index of the swift block it belongs to.
  public var blockIndex: Int
  /// What the block must print: the lines between the fences joined by "\n", no trailing newline.
  public var text: String
  /// `tolerance=…`: numbers in the text compare within this absolute tolerance; nil = text exactly.
  public var tolerance: Double?
  /// Location of the opening ```` ```output ```` fence; a failed check with no differing line
  /// (the block did not run to its end) is reported here.
  public var fence: SourceLocation
  /// Line of the text's first line (fence.line + 1): a difference on 0-based line k of `text`
  /// is reported at line `firstTextLine + k`.
  public var firstTextLine: Int
  /// Line of the closing fence (set by the parser; 0 when built by hand). `check --update`
  /// replaces the lines strictly between `fence.line` and this.
  public var closingLine: Int = 0

  /// A published output; `firstTextLine` is `fence.line + 1`, `closingLine` 0 (set by the parser).
  public init(blockIndex: Int, text: String, tolerance: Double?, fence: SourceLocation) {
    self.blockIndex = blockIndex
    self.text = text
    self.tolerance = tolerance
    self.fence = fence
    self.firstTextLine = fence.line + 1
  }
}

/// An inline `` `swift EXPR` `` in prose, evaluated where it stands in the program order.
public struct InlineExpression: Equatable, Sendable {
  /// 0-based position among the notebook's inline expressions.
  public var index: Int
  /// The Swift expression without the `swift` word and the spaces around it; never empty (the
  /// parser reports an empty one as an error).
  public var expression: String
  /// Where the expression's first character stands: its diagnostics and checks point here.
  public var location: SourceLocation
  /// How many executed blocks precede it (it runs after them, before the next).
  public var afterBlockCount: Int

  /// An inline expression with every field given.
  public init(index: Int, expression: String, location: SourceLocation, afterBlockCount: Int) {
    self.index = index
    self.expression = expression
    self.location = location
    self.afterBlockCount = afterBlockCount
  }
}

/// A fenced div, `::: exercise Title` … `:::` (Pandoc's and Quarto's form, which GitHub shows as
/// plain lines): a region of the notebook with a teaching role. Its content (prose, blocks,
/// outputs) are the nodes between its `.open` and `.close` nodes.
public struct Division: Equatable, Sendable {
  /// What the region is.
  public enum Kind: String, Sendable, CaseIterable {
    /// A task for the student; numbered per handout, listed in the contents.
    case exercise
    /// The answer to the exercise it stands in; a student profile leaves it out of every output.
    case solution
    /// Speaker notes: shown with the slide they follow, never on the handout page.
    case notes
    /// Deck only (`::: slides`, or Quarto's `::: {.content-visible when-format="revealjs"}`): its
    /// content is on the slides, never on the page or in the PDF. Its blocks run as every block.
    case slides
    /// Page and PDF only (`::: handout`, or Quarto's `::: {.content-visible unless-format="revealjs"}`
    /// or `when-format="html"`): its content is never on the slides.
    case handout
  }
  /// 0-based position among the notebook's divisions, in order of their opening lines.
  public var index: Int
  /// The word after the colons (`::: exercise`, or `::: {.exercise}`).
  public var kind: Kind
  /// The text after the kind (`::: exercise Train a wider network` → `Train a wider network`), or
  /// nil when there is none.
  public var title: String? { didSet { titleInlines = title.flatMap(Prose.titleInlines) } }
  /// `title` parsed, once, when it is set (by the parse stage): what every format walks; nil
  /// without a title, or when Markdown reads it as a block (then it is shown as plain text).
  public internal(set) var titleInlines: [MarkdownInline]?
  /// The opening `:::` line.
  public var location: SourceLocation
  /// Line of the closing `:::` (set by the parser; 0 when built by hand).
  public var closingLine: Int = 0

  /// A division as written; `closingLine` 0 until the parser finds the close.
  public init(index: Int, kind: Kind, title: String? = nil, location: SourceLocation) {
    self.index = index
    self.kind = kind
    self.title = title
    self.titleInlines = title.flatMap(Prose.titleInlines)
    self.location = location
  }
}

/// One node of a notebook in document order.
public enum Node: Equatable, Sendable {
  /// Markdown prose, parsed: a tree whose math, inline `swift` values and references are nodes.
  case prose(Prose)
  /// A fenced code block of any language, executed or shown.
  case block(Block)
  /// A ```` ```output ```` block; it follows the executed swift block it belongs to (the parser
  /// reports one anywhere else as an error).
  case published(PublishedOutput)
  /// The opening `::: kind` line of a division; the nodes up to its `.close` are inside it.
  /// Divisions nest (a solution inside its exercise); the parser makes every open have a close.
  case open(Division)
  /// The closing `:::` of the division opened last and not yet closed (the same value as its
  /// `.open`, with `closingLine` set).
  case close(Division)
}

/// A parsed notebook: immutable; tangle and weave are two walkers over it.
public struct Notebook: Equatable, Sendable {
  /// The path as the user named it (used in every diagnostic).
  public var path: String
  /// File name without `.md`: the handout is `<name>.html`, its figures `<name>/…`.
  public var name: String
  /// The YAML front matter; every key unset when the notebook has none.
  public var frontMatter: FrontMatter
  /// Prose, blocks and published outputs in document order (the front matter is not a node).
  public var nodes: [Node]
  /// The inline expressions of the prose in document order, `inlines[k].index == k`.
  public var inlines: [InlineExpression]
  /// Non-fatal findings (unknown front-matter keys, …).
  public var warnings: [Diagnostic]

  /// A notebook as given, without checks: `Notebook.parse` is what reports bad input.
  public init(
    path: String, name: String, frontMatter: FrontMatter, nodes: [Node],
    inlines: [InlineExpression] = [], warnings: [Diagnostic] = []
  ) {
    self.path = path
    self.name = name
    self.frontMatter = frontMatter
    self.nodes = nodes
    self.inlines = inlines
    self.warnings = warnings
  }

  /// Every fenced block (executed or not, output blocks excepted) in document order, so
  /// `blocks[k].index == k`.
  public var blocks: [Block] {
    nodes.compactMap { if case .block(let b) = $0 { b } else { nil } }
  }
}

/// A message for a person, tied to a place in a notebook.
public struct Diagnostic: Equatable, Sendable, Error, Codable, CustomStringConvertible {
  /// How bad a diagnostic is; only an error fails a notebook.
  public enum Severity: String, Sendable, Codable {
    /// `error` fails the notebook; `warning` is printed and shown, and the notebook still
    /// passes; `note` adds context to an error (swiftc's `declared here`).
    case error, warning, note
  }
  /// How bad it is; `description` prints it after the place.
  public var severity: Severity
  /// Where in a notebook (or shared code file); nil for a problem with no place in one (printed
  /// then without a place: `error: …`).
  public var location: SourceLocation?
  /// What is wrong, and what to do about it where that is known; without place and severity
  /// (`description` adds them).
  public var message: String
  /// The compiler's notes on this error (`'f(network:data:)' declared here`), each at its place.
  public var notes: [Diagnostic] = []

  /// A diagnostic without notes.
  public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
    self.severity = severity
    self.message = message
    self.location = location
  }

  /// `notebooks/x.md:12:5: error: …`, the form compilers and editors understand; each note on a
  /// line of its own below.
  public var description: String {
    let head =
      if let location {
        "\(location): \(severity.rawValue): \(message)"
      } else {
        "\(severity.rawValue): \(message)"
      }
    return ([head] + notes.map(\.description)).joined(separator: "\n")
  }

  enum CodingKeys: String, CodingKey { case severity, location, message, notes }

  /// Decodes the synthesized encoding (cache entries); a missing `notes` is read as none.
  /// - Throws: `DecodingError` when `severity` or `message` is missing, or a field has the wrong
  ///   type.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    severity = try c.decode(Severity.self, forKey: .severity)
    location = try c.decodeIfPresent(SourceLocation.self, forKey: .location)
    message = try c.decode(String.self, forKey: .message)
    notes = try c.decodeIfPresent([Diagnostic].self, forKey: .notes) ?? []
  }
}
