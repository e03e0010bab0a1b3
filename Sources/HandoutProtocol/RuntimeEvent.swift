// The protocol between a notebook program (through `HandoutKit`'s runtime) and `handout`
// (`Literate`'s runner): the one definition both sides import, so they cannot drift.
//
// - `HANDOUT_EVENTS=<file>`: one JSON object per line (`RuntimeEvent.jsonLine()`), appended as
//   things happen:
//     {"block":3,"event":"begin"}                      a block starts
//     {"block":3,"event":"end"}                        it finished normally
//     {"block":3,"event":"value","text":"[1] 0.5"}     its last expression, formatted
//     {"event":"inline","inline":0,"text":"0.5"}       an inline `swift EXPR`, formatted
//     {"actual":"0.51","block":3,"column":…,"difference":"|Δ| = 0.01 > tolerance 0","event":"check",
//      "expected":"0.5","file":…,"line":…,"literal":"0.51","passed":false}
//     {"alt":…,"block":3,"caption":…,"event":"figure","files":{"svg":"02-ann/neuron-1.svg",…},
//      "height":480,"label":"fig-neuron","name":"neuron-1","slide-height":500,"slide-width":889,
//      "width":640}   (label only when given; files also "slide-svg": the slide variant)
//     an animation's figure also has "frames":[{"svg":…,"slide-svg":…},…] and "frame-labels":[…]
//     {"block":3,"column":…,"event":"figure-error","file":…,"line":…,"text":…}  show() could not write
//     {"block":3,"column":…,"event":"figure-warning","file":…,"line":…,"text":…}  show() drew a figure
//                                                      that leaves points out, or draws no data
//     {"event":"data","file":"/abs/notebooks/points.csv"}  the program read a data file (`dataFile(_:)`)
//     {"event":"opened","files":["/abs/notebooks/b.txt",…],"written":["/abs/notebooks/m.txt"]}
//                                                      files it opened for reading, and for writing or renamed into
//                                                      place ("written", left out when none), since the last such
//                                                      event (at block starts and its end; see CReads.h)
//     {"event":"loaded","files":["/usr/lib/…/libcairo.so.2",…]}  at its end: the files it had mapped
//                                                      (libraries, fonts) and fontconfig's configuration
//     {"event":"finish"}                               the program reached its end
//   Keys are sorted, slashes unescaped; a field that is absent (a `nil` below) is left out.
// - `HANDOUT_NONCE=<random>`: at each block start the runtime flushes stdout and writes the line
//   `\u{1}HANDOUT-<nonce> begin <k>` (and `end <k>`) to stdout, so the runner can cut the
//   interleaved stdout+stderr stream into blocks. A program cannot forge a marker without
//   knowing the per-run nonce. stdout is line-buffered, stderr unbuffered, so lines keep their order.
//   `progress <text>` lines (from `progress(_:)`) are shown live by `handout` and kept out of the output.
// - `HANDOUT_FIGURES=<dir>`, `HANDOUT_NOTEBOOK=<name>`: `show(figure)` writes
//   `<dir>/<name>/<block id or given name>-<n>.{svg,png,pdf}` for the page and
//   `…-<n>.slide.{svg,png}` for the deck; an animation's frame k `…-<n>.f<k>.svg`, `.f<k>.slide.svg`.
// - `HANDOUT_PARAMS=<JSON object of strings>`: the notebook's parameter values.
// - `HANDOUT_READS=<file>`: the reads log, each entry written as it happens (CReads.h): every file
//   opened, looked at or listed, and every process started, with the block; a program that
//   crashes in a block loses none of that block's (its `opened` event is never sent).
// Without these variables (a notebook program run by hand, or a unit test) everything still
// works: values and failed expectations are printed instead.
import Foundation

/// One message from the notebook program to `handout`: a line of the `HANDOUT_EVENTS` file.
public enum RuntimeEvent: Equatable, Sendable {
  /// Block `block` (its index among the notebook's blocks) starts.
  case begin(block: Int)
  /// Block `block` finished normally.
  case end(block: Int)
  /// The last expression of a block, formatted; `block` is nil when shown outside any block.
  case value(block: Int?, text: String)
  /// Inline expression `index` of the prose (`swift EXPR`), formatted.
  case inline(index: Int, text: String)
  /// An `expect(…)` was judged.
  case check(Check)
  /// `show(…)` wrote a figure.
  case figure(Figure)
  /// `show(…)` could not write a figure; the handout must not go out without it.
  case figureError(FigureError)
  /// `show(…)` drew a figure that leaves some of its points out (NaN or infinite) or draws no data:
  /// a warning at the call (`text` says which), which does not fail the notebook.
  case figureWarning(FigureError)
  /// The program read (or looked for) the data file at the absolute path `file` (`dataFile(_:)`).
  case data(file: String)
  /// The absolute paths (as opened, symbolic links not followed) of the files the program opened
  /// for reading (`files`), and of those it opened for writing or renamed into place (`written`),
  /// since the last such event, each once per run: sent at block starts and before `loaded`, so
  /// they belong to the block that began last. `handout` keys the run on the files read beside the
  /// notebook or its data files, so a file read without `dataFile(_:)` cannot replay a stale run,
  /// and warns about those written there: a cached run does not write them again, and another
  /// notebook reading one depends on which notebook ran first.
  case opened(files: [String], written: [String])
  /// Sent just before `finish`: the absolute paths of the files the program had mapped (shared
  /// libraries, the fonts FreeType opened, fontconfig's caches) and fontconfig's configuration files.
  /// They change what it draws without being its data: an entry of the run cache records them.
  case loaded(files: [String])
  /// The program reached its end.
  case finish

  /// An `expect(…)`'s verdict, at the call's place in the notebook.
  public struct Check: Equatable, Sendable {
    /// The block it ran in; nil outside any block (in an inline expression).
    public var block: Int?
    /// The file of the `expect(…)` call as `#filePath` names it: in a tangled notebook the
    /// notebook's path (its `#sourceLocation`); elsewhere a Swift file of the program.
    public var file: String
    /// 1-based line of the call in `file`.
    public var line: Int
    /// 1-based column of the call in `file`, as `#column` gives it (the runner maps it to the
    /// notebook's column).
    public var column: Int
    /// Whether `actual` met `expected` (within the tolerance, for numbers).
    public var passed: Bool
    /// The expected value as the notebook states it, formatted (`0.5`, `[1.0, 2.0]`, `true`).
    public var expected: String
    /// The value the code produced, formatted as `expected` is; empty for a passed check (nothing
    /// shows it, and a 10 000-element one took 20 ms to format).
    public var actual: String
    /// Why they differ (`|Δ| = 0.01 > tolerance 0`, with the caller's message first); nil when
    /// there is nothing to say.
    public var difference: String?
    /// The actual value written as a Swift literal, for `handout check --update`; empty for a
    /// passed check (`--update` rewrites only failed ones).
    public var literal: String

    /// A verdict with every field given; the runtime makes one per `expect(…)` call.
    public init(
      block: Int?, file: String, line: Int, column: Int, passed: Bool, expected: String, actual: String,
      difference: String?, literal: String
    ) {
      self.block = block
      self.file = file
      self.line = line
      self.column = column
      self.passed = passed
      self.expected = expected
      self.actual = actual
      self.difference = difference
      self.literal = literal
    }
  }

  /// A figure `show(…)` wrote, in every format.
  public struct Figure: Equatable, Sendable {
    /// The block it was shown in; nil outside any block (the runner ignores it then).
    public var block: Int?
    /// The file stem, `<block id or given name>-<n>`.
    public var name: String
    /// Path of each format's file (`svg`, `png`, `pdf` for the page; `slide-svg` for the deck),
    /// relative to `HANDOUT_FIGURES`.
    public var files: [String: String]
    /// The text under the figure after "Figure n:" (inline Markdown and math); nil: no caption.
    public var caption: String?
    /// Text for readers who cannot see the figure (`alt` of `<img>`); `show(…)` fills it from the
    /// figure's own alt text, the caption, the title or the name when it is not given.
    public var alt: String
    /// Size in points.
    public var width: Double
    /// Height in points, as `width`.
    public var height: Double
    /// The cross-reference label `show(…, label:)` gave (`fig-boundary`): prose refers to the
    /// figure as `@fig-boundary`. nil: none given.
    public var label: String?
    /// The size of the slide variant (`files["slide-svg"]`), drawn from the same
    /// figure for the deck's 1280×720 frame; nil when there is none.
    public var slideWidth: Double?
    /// The slide variant's height, as `slideWidth`.
    public var slideHeight: Double?
    /// A figure of several panels: the smaller side of its smallest chart's plot area (a panel with
    /// axes) in its slide variant, in px of the 1280×720 frame (the deck warns below 200); nil for
    /// one panel, or no chart.
    public var slidePanel: Double?
    /// The size of the phone variant (`files["phone-svg"]`), the page's figure drawn for a narrow
    /// screen; nil when there is none (a figure narrow enough for a phone as it is, an animation).
    public var phoneWidth: Double?
    /// The phone variant's height, as `phoneWidth`.
    public var phoneHeight: Double?
    /// An animation's frames, in order, each one's files by the keys of `files` (whose files are
    /// then the poster: the last frame); nil for a still figure.
    public var frames: [[String: String]]?
    /// What each frame shows (`epoch 40`), as many as `frames`; nil for a still figure.
    public var frameLabels: [String]?

    /// A figure with every field given; the runtime makes one per `show(…)` that wrote its files.
    public init(
      block: Int?, name: String, files: [String: String], caption: String?, alt: String, width: Double,
      height: Double, label: String? = nil, slideWidth: Double? = nil, slideHeight: Double? = nil,
      frames: [[String: String]]? = nil, frameLabels: [String]? = nil
    ) {
      self.block = block
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
  }

  /// A figure that could not be written (or, for `figureWarning`, that was drawn with something to
  /// say about it), at its `show(…)` call.
  public struct FigureError: Equatable, Sendable {
    /// The block the `show(…)` ran in; nil outside any block.
    public var block: Int?
    /// The file of the `show(…)` call as `#filePath` names it (the notebook, once tangled).
    public var file: String
    /// 1-based line of the call in `file`.
    public var line: Int
    /// 1-based column of the call in `file`.
    public var column: Int
    /// What went wrong, for the person reading the diagnostic.
    public var text: String

    /// A failure with every field given, at the `show(…)` call.
    public init(block: Int?, file: String, line: Int, column: Int, text: String) {
      self.block = block
      self.file = file
      self.line = line
      self.column = column
      self.text = text
    }
  }

  /// The event's kind: the `"event"` field of its line.
  public enum Kind: String, CaseIterable, Codable, Sendable {
    /// The kinds of the cases of the same name; on the wire, the case's name.
    case begin, end, value, inline, check, figure
    /// The kind of `.figureError`: `figure-error` on the wire (the one name that differs).
    case figureError = "figure-error"
    /// The kind of `.figureWarning`: `figure-warning` on the wire.
    case figureWarning = "figure-warning"
    /// The kinds of `.data`, `.opened`, `.loaded` and `.finish`.
    case data, opened, loaded, finish
  }

  /// This event's kind.
  public var kind: Kind {
    switch self {
    case .begin: .begin
    case .end: .end
    case .value: .value
    case .inline: .inline
    case .check: .check
    case .figure: .figure
    case .figureError: .figureError
    case .figureWarning: .figureWarning
    case .data: .data
    case .opened: .opened
    case .loaded: .loaded
    case .finish: .finish
    }
  }
}
