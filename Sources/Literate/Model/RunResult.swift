// What a run produced: block results, checks, figures (their files: Execute/RunOutput.swift).
import Foundation

/// A figure a block showed: files written by the child under the notebook's figure folder.
public struct FigureOutput: Equatable, Sendable, Codable {
  /// Stable base name, `<block id or "block<k>">-<n>` (n counts from 1 within the block).
  public var name: String
  /// File names relative to the output folder, e.g. `02-ann/neuron-1.svg`, by extension.
  public var files: [String: String]
  /// Shown after "Figure n:" under the figure (inline Markdown and math); nil or empty: the
  /// number alone.
  public var caption: String?
  /// The `<img>`'s `alt` text, for readers who cannot see the figure (escaped when woven).
  public var alt: String
  /// Logical size in points (CSS px).
  public var width: Double
  /// Logical height in points (CSS px), as `width`.
  public var height: Double
  /// The label `show(…, label:)` gave (`fig-boundary`), which prose refers to as `@fig-boundary`;
  /// nil when none was given (a block `id=fig-…` may still label it: see `CrossReferences`).
  /// Cached with the run (a missing key decodes as nil).
  public var label: String?
  /// The slide variant's size (`files["slide-svg"]`): the same figure drawn for the deck's
  /// 1280×720 frame in the talk style; nil when the run made none (an older cache entry).
  public var slideWidth: Double?
  /// The slide variant's height, as `slideWidth`.
  public var slideHeight: Double?
  /// A figure of several panels: the smaller side of its smallest panel's plot area in the slide
  /// variant, in px of the frame (`SlideEstimate` warns below `SlideMetrics.readablePanel`); nil
  /// for one panel (and in an older cache entry).
  public var slidePanel: Double?
  /// The phone variant's size (`files["phone-svg"]`): the page's figure drawn for a narrow
  /// screen, which the page serves in a `<picture>`; nil when there is none.
  public var phoneWidth: Double?
  /// The phone variant's height, as `phoneWidth`.
  public var phoneHeight: Double?
  /// An animation's frames in order, each one's files by the keys of `files` (which then hold
  /// the last frame); nil for a still figure.
  public var frames: [[String: String]]?
  /// What each frame shows (`epoch 40`), one per frame; nil for a still figure.
  public var frameLabels: [String]?

  /// A figure with every field given (the runner makes them from the runtime's events).
  public init(
    name: String, files: [String: String], caption: String?, alt: String, width: Double, height: Double,
    label: String? = nil, slideWidth: Double? = nil, slideHeight: Double? = nil,
    frames: [[String: String]]? = nil, frameLabels: [String]? = nil
  ) {
    self.name = name
    self.files = files
    self.caption = caption
    self.alt = alt
    self.width = width
    self.height = height
    self.label = label
    self.slideWidth = slideWidth
    self.slideHeight = slideHeight
    self.frames = frames
    self.frameLabels = frameLabels
  }

  /// Every file the figure refers to: its own and its frames' (what is published with it).
  public var allFiles: [String] {
    Array(files.values) + (frames ?? []).flatMap(\.values)
  }

  /// The same figure with every file path (its own and its frames') passed through `transform`.
  public func mappingFiles(_ transform: (String) -> String) -> FigureOutput {
    var result = self
    result.files = files.mapValues(transform)
    result.frames = frames?.map { $0.mapValues(transform) }
    return result
  }
}

/// The verdict on one `expect(…)` or published output.
public struct CheckResult: Equatable, Sendable, Codable {
  /// What was checked.
  public enum Kind: String, Sendable, Codable {
    /// `expectation`: an `expect(…, equals: …)` call in the code; `publishedOutput`: an
    /// ```` ```output ```` block against what its swift block printed (`Checker.check`).
    case expectation, publishedOutput
  }
  /// What was checked.
  public var kind: Kind
  /// The `expect(…)` call; for a published output, its first differing line (its opening fence
  /// when it passed or the block did not run to its end).
  public var location: SourceLocation
  /// Whether it held; a failed check fails the notebook.
  public var passed: Bool
  /// The value the notebook states, as text: the formatted `equals:` value, or the published
  /// output's text.
  public var expected: String
  /// What the code produced, as text in the same form as `expected`.
  public var actual: String
  /// Human text of the difference (`|Δ| = 3.1e-05 > tolerance 1e-06`, first differing line, …).
  public var difference: String?
  /// What the code produced, written as it would stand in the notebook (a Swift literal for an
  /// expectation, the printed text for a published output): what `check --update` writes.
  public var replacement: String? = nil

  /// A verdict; `replacement` starts nil (the runner and the checker set it).
  public init(
    kind: Kind, location: SourceLocation, passed: Bool, expected: String, actual: String,
    difference: String? = nil
  ) {
    self.kind = kind
    self.location = location
    self.passed = passed
    self.expected = expected
    self.actual = actual
    self.difference = difference
  }
}

/// What one executed block produced, in the order it produced it.
public struct BlockResult: Equatable, Sendable, Codable {
  /// The `Block.index` of the block it belongs to.
  public var blockIndex: Int
  /// Everything printed (stdout and stderr interleaved as well as the child allows).
  public var text: String
  /// The displayed value of the block's last bare expression, formatted.
  public var value: String?
  /// The figures it showed, in the order shown.
  public var figures: [FigureOutput]
  /// Its `expect(…)` verdicts in the order made (a loop makes several per call); after
  /// `Checker.check`, its published output's verdict first.
  public var checks: [CheckResult]
  /// A trap, crash or timeout that stopped the program inside this block.
  public var failure: Diagnostic?

  /// A result; by default that of a block that ran and produced nothing.
  public init(
    blockIndex: Int, text: String = "", value: String? = nil, figures: [FigureOutput] = [],
    checks: [CheckResult] = [], failure: Diagnostic? = nil
  ) {
    self.blockIndex = blockIndex
    self.text = text
    self.value = value
    self.figures = figures
    self.checks = checks
    self.failure = failure
  }
}

/// The whole run of one notebook.
public struct RunResult: Equatable, Sendable, Codable {
  /// By `Block.index`: one entry per executed block that began to run; none for a block after a
  /// trap or a timeout, and none at all when the program did not compile.
  public var blocks: [Int: BlockResult]
  /// Values of inline expressions by index, already formatted as text.
  public var inlineValues: [Int: String]
  /// Compile errors, a trap outside any block, a timeout: anything that is not a block's.
  public var diagnostics: [Diagnostic]
  /// Whether this came from the cache.
  public var cached: Bool
  /// The value of each of the notebook's `params:` in this run (shown in the page header).
  public var parameters: [String: String] = [:]
  /// The numbering of this run's labelled figures, equations and tables, resolved once after
  /// check (`CrossReferences.apply`) and read by every format; nil until then (weave resolves
  /// it itself). Neither cached nor compared: it is a function of the notebook and the rest.
  public var references: CrossReferences?
  /// The tree of each figure caption the run shows, by its text, converted once with the
  /// numbering (`CrossReferences.apply`) and read by every format. Neither cached nor compared.
  public var captionTrees: [String: [MarkdownBlock]] = [:]

  enum CodingKeys: String, CodingKey { case blocks, inlineValues, diagnostics, cached, parameters }

  /// Equal when everything the run produced is equal (`references` follows from it).
  public static func == (a: RunResult, b: RunResult) -> Bool {
    a.blocks == b.blocks && a.inlineValues == b.inlineValues && a.diagnostics == b.diagnostics
      && a.cached == b.cached && a.parameters == b.parameters
  }

  /// A result; by default that of a notebook with no code (nothing ran, nothing failed).
  /// `parameters` starts empty.
  public init(
    blocks: [Int: BlockResult] = [:], inlineValues: [Int: String] = [:], diagnostics: [Diagnostic] = [],
    cached: Bool = false
  ) {
    self.blocks = blocks
    self.inlineValues = inlineValues
    self.diagnostics = diagnostics
    self.cached = cached
  }

  /// Every check, published outputs included, in notebook order.
  public var checks: [CheckResult] {
    blocks.keys.sorted().flatMap { blocks[$0]?.checks ?? [] }
  }

  /// Whether the notebook fails: an error diagnostic (a warning does not count), a failed check,
  /// or a block that did not run to its end.
  public var failed: Bool {
    !diagnostics.filter { $0.severity == .error }.isEmpty || checks.contains { !$0.passed }
      || blocks.values.contains { $0.failure != nil }
  }
}
