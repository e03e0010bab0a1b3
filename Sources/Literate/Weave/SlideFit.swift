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
}

/// The estimated height of one slide's content at scale 1, in CSS px, built up piece by piece as
/// `SlideBuilder` adds them. Deterministic: the same notebook and run give the same estimate.
struct SlideEstimate: Equatable {
  private(set) var height = 0.0

  /// Lines `text` takes when `width` px hold `perLine` characters' worth of `character` px each.
  private static func lines(_ count: Int, width: Double, character: Double) -> Double {
    max(1, (Double(count) * character / width).rounded(.up))
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
      case ";" where inEntity: inEntity = false; count += 1
      case "\n": continue
      default: if !inTag && !inEntity { count += 1 }
      }
    }
    return count
  }

  /// A top-level prose block; `opensSlide` when it is the slide's first content (a heading there
  /// is the slide's title whatever its level).
  mutating func prose(_ kind: CommonMark.TopLevelKind, html: String, opensSlide: Bool) {
    let m = SlideMetrics.self
    switch kind {
    case .thematicBreak: return
    case .heading(let level) where level <= 2 || opensSlide:
      height +=
        Self.lines(Self.visibleCount(html), width: m.width, character: m.titleCharacter) * m.titleLine + 26
    case .heading:
      height += Self.lines(Self.visibleCount(html), width: m.width, character: 14.5) * 37.5 + 29
    case .other:
      height += Self.other(html)
    }
  }

  /// A paragraph, list, table, quote, callout or display math.
  private static func other(_ html: String) -> Double {
    let m = SlideMetrics.self
    if html.hasPrefix("<ul") || html.hasPrefix("<ol") {
      let items = html.components(separatedBy: "<li").dropFirst()
      return items.reduce(14.4) { sum, item in
        sum + lines(visibleCount("<" + item), width: m.width - 40, character: m.textCharacter) * m.textLine
          + 4
      }
    }
    if html.contains("<table") {
      let rows = max(1, html.components(separatedBy: "<tr").count - 1)
      return Double(rows) * 49 + 14.4 + (html.contains("<figcaption") ? 30 : 0)
    }
    let displays = html.components(separatedBy: "math display").count - 1
    if displays > 0, visibleCount(html) < 400 {
      return Double(displays) * 84
    }
    let boxed = html.hasPrefix("<blockquote") || html.contains("class=\"callout")
    let text = lines(visibleCount(html), width: m.width - (boxed ? 40 : 0), character: m.textCharacter)
    return text * m.textLine + 14.4 + (boxed ? 40 : 0)
  }

  /// A code block and what it showed (as the page shows it: text and value unless a published
  /// output stands for them, figures, the passed-checks line).
  mutating func block(_ block: Block, result: BlockResult?, published: Bool) {
    let m = SlideMetrics.self
    var h = 31.2
    if block.language == "output" {
      height += h + Self.outputHeight(block.code)
      return
    }
    if block.echo || !block.isExecuted {
      let lines = block.code.split(separator: "\n", omittingEmptySubsequences: false).reduce(0.0) {
        $0 + Self.lines($1.count, width: m.width - 36, character: m.codeCharacter)
      }
      h += 44 + lines * m.codeLine
    }
    if let result, block.isExecuted, block.showOutput {
      if !result.text.isEmpty, !published { h += Self.outputHeight(result.text) }
      if let value = result.value, !published { h += Self.outputHeight(value) }
      for figure in result.figures {
        let tall = figure.width == 1280 && figure.height == 720
        h += (tall ? m.slideFigureHeight : m.figureHeight) + 54
      }
      if result.checks.contains(where: { $0.passed && !(published && $0.kind == .publishedOutput) }) {
        h += 26
      }
    }
    height += h
  }

  /// A published output under its block: its head and its text.
  mutating func published(_ published: PublishedOutput) {
    height += 56 + Self.outputHeight(published.text)
  }

  /// An exercise's box (its own margins, border and numbered head), or a collapsed solution.
  mutating func division(_ kind: Division.Kind) {
    switch kind {
    case .exercise: height += 110
    case .solution: height += 81
    default: break
    }
  }

  /// An output box: its label, padding and lines (outputs scroll sideways: one line each).
  private static func outputHeight(_ text: String) -> Double {
    let lines = Double(text.split(separator: "\n", omittingEmptySubsequences: false).count)
    return 12 + 31 + 16.8 + lines * SlideMetrics.codeLine
  }

  /// How many px of content (at scale 1) are left over at the smallest scale; 0 when it fits.
  var overflow: Int {
    max(0, Int((height - SlideMetrics.room / SlideMetrics.minimumScale).rounded(.up)))
  }
}
