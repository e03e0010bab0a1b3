// Slides that fit: the deck's script shrinks a slide whose content is taller than the frame, but
// never below `SlideMetrics.minimumScale`; content that would need more is a located warning
// (`render --slides`, `check`), estimated here without a browser from what each slide holds.
import Foundation

/// The deck's geometry and type, in CSS px of the 1280×720 frame (`templates/slides.css`; keep the
/// two in step). Calibrated against Chromium's layout of the course's decks (`SlideFitTests`).
enum SlideMetrics {
  /// The smallest scale the deck's script applies (`MIN_SHRINK` in `slides.mustache`): code at 22 px
  /// is then 16.5 px, readable from the back row.
  static let minimumScale = 0.75
  /// The frame's height less its padding (40 px above and below).
  static let room = 640.0
  /// The frame's width less its padding (64 px each side).
  static let width = 1152.0
  /// Body text: 24 px serif, line height 1.4; an average character's width.
  static let textLine = 33.6
  static let textCharacter = 11.2
  /// Code and output on a slide: 22 px monospace (0.6 em wide), line height 1.35.
  static let codeLine = 29.7
  static let codeCharacter = 13.25
  /// A slide title (`#`, `##`, or the heading that opens the slide): 42 px sans, line height 1.25.
  static let titleLine = 52.5
  static let titleCharacter = 23.0
  /// A figure's image on a slide; a 1280×720 slide figure is drawn taller.
  static let figureHeight = 480.0
  static let slideFigureHeight = 570.0
  /// The tallest a slide variant is drawn under a title with its caption under it
  /// (`FigureSize.slideBox`); a taller one is a square figure's, its caption beside it.
  static let figureBox = 500.0
  /// A figure's caption: 24 px serif (the decks' floor for prose, the body's size), line height
  /// 1.4; an animation's frame label, 24 px too.
  static let captionLine = 33.6
  static let captionCharacter = 11.2
  static let frameLabelLine = 33.6
  /// A figure's panel smaller than this on a side (px of the frame) is too small to read from the
  /// back of the room (`FigureSize.slidePanelReadable` in Plot).
  static let readablePanel = 200.0
}

/// The estimated height of one slide's content, in CSS px at scale 1, built up piece by piece as
/// `SlideBuilder` adds them: fixed heights (margins, figures, output lines, which scroll sideways)
/// and runs of text that wrap, so the height can be had at any width (the deck's script widens a
/// slide's content as it shrinks it: at 75 % its lines are 1536 px long). Deterministic: the same
/// notebook and run give the same estimate.
struct SlideEstimate: Equatable {
  /// Text that wraps: its characters, their average width, its line height, and the px its box
  /// takes from the slide's width (a list's indent, a code box's padding).
  struct Run: Equatable {
    var characters: Int
    var character: Double
    var line: Double
    var inset = 0.0
    /// How much shorter a wrapped line's continuations are (a code line's hanging indent).
    var hang = 0.0
  }

  private(set) var fixed = 0.0
  private(set) var runs: [Run] = []
  /// The smallest panel of the slide's figures' slide variants (`FigureOutput.slidePanel`), in px
  /// of the frame; nil when no figure of several panels is on the slide.
  private(set) var smallestPanel: Double?
  /// The bottom margin of what was added last, when known (a title's, a cell's): CSS collapses it
  /// with the next element's top margin, and out of the slide's content at its end.
  private(set) var lastMargin = 0.0

  /// The content's height when its lines are `width` px long (default: the slide's at scale 1).
  func height(width: Double = SlideMetrics.width) -> Double {
    fixed - lastMargin
      + runs.reduce(0) { sum, run in
        let room = width - run.inset
        let long = Double(run.characters) * run.character - room
        return sum + (long <= 0 ? 1 : 1 + (long / max(1, room - run.hang)).rounded(.up)) * run.line
      }
  }

  var height: Double { height() }

  /// How many px of content are left over at the smallest scale, where the script has widened the
  /// content to `width / minimumScale`; 0 when it fits.
  var overflow: Int {
    let m = SlideMetrics.self
    return max(0, Int((height(width: m.width / m.minimumScale) - m.room / m.minimumScale).rounded(.up)))
  }

  private mutating func text(
    _ count: Int, _ character: Double, _ line: Double, inset: Double = 0, hang: Double = 0
  ) {
    runs.append(Run(characters: count, character: character, line: line, inset: inset, hang: hang))
  }

  /// The text a reader sees of rendered prose (tags dropped, a few entities counted as one).
  static func visibleCount(_ html: String) -> Int {
    var count = 0
    var inTag = false
    var inEntity = false
    for c in html {
      switch c {
      case "<": inTag = true
      case ">" where inTag: inTag = false
      case "&" where !inTag: inEntity = true
      case ";" where inEntity:
        inEntity = false
        count += 1
      case "\n": continue
      default: if !inTag && !inEntity { count += 1 }
      }
    }
    return count
  }

  /// A top-level prose block; `opensSlide` when it is the slide's first content (a heading there
  /// is the slide's title whatever its level).
  mutating func prose(_ kind: ProseRenderer.TopLevelKind, html: String, opensSlide: Bool) {
    let m = SlideMetrics.self
    switch kind {
    case .thematicBreak: return
    case .heading(let level) where level <= 2 || opensSlide:
      text(Self.visibleCount(html), m.titleCharacter, m.titleLine)
      // Its rule (padding and border, 9 px) and its bottom margin (0.7 rem).
      fixed += 26
      lastMargin = 16.8
    case .heading:
      text(Self.visibleCount(html), 14.5, 37.5)
      fixed += 29
      lastMargin = 0
    case .other:
      other(html)
      lastMargin = 0
    }
  }

  /// A paragraph, list, table, quote, callout or display math.
  private mutating func other(_ html: String) {
    let m = SlideMetrics.self
    if html.hasPrefix("<ul") || html.hasPrefix("<ol") {
      let items = html.components(separatedBy: "<li").dropFirst()
      for item in items { text(Self.visibleCount("<" + item), m.textCharacter, m.textLine, inset: 40) }
      fixed += 14.4 + 4 * Double(items.count)
      return
    }
    if html.contains("<table") {
      let rows = max(1, html.components(separatedBy: "<tr").count - 1)
      fixed += Double(rows) * 49 + 14.4 + (html.contains("<figcaption") ? 30 : 0)
      return
    }
    let displays = html.components(separatedBy: "math display").count - 1
    if displays > 0, Self.visibleCount(html) < 400 {
      fixed += Double(displays) * 84
      return
    }
    let boxed = html.hasPrefix("<blockquote") || html.contains("class=\"callout")
    text(Self.visibleCount(html), m.textCharacter, m.textLine, inset: boxed ? 40 : 0)
    fixed += 14.4 + (boxed ? 40 : 0)
  }

  /// A code block and what it showed (as the page shows it: text and value unless a published
  /// output stands for them, figures, the passed-checks line with `details`). Code wraps; outputs
  /// scroll.
  mutating func block(_ block: Block, result: BlockResult?, published: Bool, details: Bool) {
    let m = SlideMetrics.self
    // The cell's margins (0.6 and 0.7 rem): the top one collapses with a title's above it.
    fixed += max(0, 14.4 - lastMargin) + 16.8
    lastMargin = 16.8
    if block.language == "output" {
      fixed += Self.outputHeight(block.code)
      return
    }
    if block.echo || !block.isExecuted {
      fixed += 44
      for line in block.code.split(separator: "\n", omittingEmptySubsequences: false) {
        // Its continuations hang four columns past its indent, at most 16 (`handout.css`).
        let indent = line.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 2 : 1) }
        let hang = Double(min(indent + 4, 16)) * m.codeCharacter
        text(line.count, m.codeCharacter, m.codeLine, inset: 36, hang: hang)
      }
    }
    guard let result, block.isExecuted, block.showOutput else { return }
    if !result.text.isEmpty, !published { fixed += Self.outputHeight(result.text) }
    if let value = result.value, !published { fixed += Self.outputHeight(value) }
    for figure in result.figures { self.figure(figure) }
    if details, result.checks.contains(where: { $0.passed && !(published && $0.kind == .publishedOutput) }) {
      fixed += 26
    }
  }

  /// A figure as the deck shows it. A slide variant at its own size: a square one
  /// (`slideSideHeight`, taller than the figure box) stands at the left with its caption in the
  /// column beside it and no margins, so the slide holds its height alone; another has the
  /// figure's margins and its caption under it (`slides.css`). A page figure at the box's height.
  private mutating func figure(_ figure: FigureOutput) {
    let m = SlideMetrics.self
    guard let shown = figure.shown(on: .slide), shown.isSlideVariant else {
      let tall = figure.width == 1280 && figure.height == 720
      fixed += (tall ? m.slideFigureHeight : m.figureHeight) + 54
      return
    }
    if let panel = figure.slidePanel { smallestPanel = min(smallestPanel ?? panel, panel) }
    if shown.height > m.figureBox {
      fixed += shown.height
      return
    }
    // "Figure n: " and the caption's text, 24 px, under the image (0.3 rem above it); the
    // figure's own margins collapse with its cell's.
    fixed += shown.height + 7.2 + (figure.frames == nil ? 0 : m.frameLabelLine)
    text(10 + (figure.caption ?? "").count, m.captionCharacter, m.captionLine)
  }

  /// A published output under its block: its head (the verification badge, with `details`) and
  /// its text.
  mutating func published(_ published: PublishedOutput, details: Bool) {
    lastMargin = 0
    fixed += (details ? 56 : 26) + Self.outputHeight(published.text)
  }

  /// An exercise's box (its own margins, border and numbered head), or a collapsed solution.
  mutating func division(_ kind: Division.Kind) {
    lastMargin = 0
    switch kind {
    case .exercise: fixed += 110
    case .solution: fixed += 81
    default: break
    }
  }

  /// An output box: its margin, its label ("Output", 24 px at line height 1.4 under 8.4 px of
  /// padding), its text's padding and lines (outputs scroll sideways: one line each).
  private static func outputHeight(_ text: String) -> Double {
    let lines = Double(text.split(separator: "\n", omittingEmptySubsequences: false).count)
    return 12 + 42 + 16.8 + lines * SlideMetrics.codeLine
  }
}
