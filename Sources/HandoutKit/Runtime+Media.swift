// One figure drawn once for each medium: the page (SVG, PNG, PDF at the page's size and text)
// and the deck (SVG of the slide variant, `FigureSize.slide(for:)`), from the same `Figure`
// value in the same run.
import Foundation

extension _Handout {
  /// One file a figure is drawn into: its key in the event's `files`, the file name's ending after
  /// the stem, the format, and whether it is the slide variant.
  struct Variant: Sendable {
    var key: String
    var suffix: String
    var format: ImageFormat
    var slide: Bool

    /// A still figure's files: the page's SVG, PNG (2×) and PDF, and the slide's SVG, which the
    /// deck shows (a PNG of the slide variant was a fifth of the course's output and shown nowhere).
    static let still = [
      Variant(key: "svg", suffix: ".svg", format: .svg, slide: false),
      Variant(key: "png", suffix: ".png", format: .png, slide: false),
      Variant(key: "pdf", suffix: ".pdf", format: .pdf, slide: false),
      Variant(key: "slide-svg", suffix: ".slide.svg", format: .svg, slide: true),
    ]
    /// An animation's poster files besides its last frame's SVGs, which stand for it as they are.
    static let poster = [
      Variant(key: "png", suffix: ".png", format: .png, slide: false),
      Variant(key: "pdf", suffix: ".pdf", format: .pdf, slide: false),
    ]
    /// An animation frame's files: the page's SVG and the slide's SVG.
    static let frame = [
      Variant(key: "svg", suffix: ".svg", format: .svg, slide: false),
      Variant(key: "slide-svg", suffix: ".slide.svg", format: .svg, slide: true),
    ]
  }

  /// Draws each of `figures` as every one of `variants` into `folder`, as `<stem><suffix>`, and
  /// returns each figure's files by key, as `<prefix>/<file>`.
  ///
  /// The files are drawn side by side: the PNG's compression and the PDF's are most of a figure's
  /// time (zlib and libpng were 40% of a cold render's notebook run). Drawing only reads the
  /// figure (`Figure.data(_:scale:as:)` lays it out again for each size), each file has its own
  /// Cairo surface, and the notebook waits here, so nothing changes the figures meanwhile. Plain
  /// writes, not `Figure.write`'s atomic, synced ones: the folder is the run's own scratch space,
  /// which `handout` moves into its cache whole.
  static func drawMedia(
    _ figures: [Figure], in folder: URL, prefix: String, stems: [String], variants: [Variant]
  ) throws -> [[String: String]] {
    precondition(figures.count == stems.count)
    nonisolated(unsafe) let figures = figures
    let sizes = figures.map { (page: FigureSize.page(for: $0), slide: FigureSize.slide(for: $0)) }
    let errors = ErrorList()
    let count = figures.count * variants.count
    DispatchQueue.concurrentPerform(iterations: count) { i in
      let (f, v) = (i / variants.count, variants[i % variants.count])
      do {
        let path = folder.appendingPathComponent(stems[f] + v.suffix).path
        let size = v.slide ? sizes[f].slide : sizes[f].page
        try writeFile(try figures[f].data(v.format, scale: 2, as: size), to: path)
      } catch {
        errors.append(i, error)
      }
    }
    if let (_, error) = errors.first { throw error }
    return stems.map { stem in
      Dictionary(uniqueKeysWithValues: variants.map { ($0.key, "\(prefix)/\(stem)\($0.suffix)") })
    }
  }
}
