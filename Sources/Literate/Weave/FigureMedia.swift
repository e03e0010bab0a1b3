// Which of a figure's files each medium shows, and an animation's HTML: on the page a stack of
// frames with a slider and a play button (the page's script drives them), in the deck the same
// stack stepped by the arrow keys (the deck's script), in print a grid of up to six frames.
import Foundation

/// What a figure is woven for: the page (and the PDF printed from it) or the slide deck.
enum FigureMedium: Equatable {
  case page, slide
}

/// The file a medium shows of one figure, with its extension and the size it is shown at.
struct ShownFigure: Equatable {
  var file: String
  var ext: String
  var width: Double
  var height: Double
  /// The slide variant (the deck shows it at its own size).
  var isSlideVariant = false
}

extension FigureOutput {
  /// The file `medium` shows: the slide variant in the deck when the run drew one, else the
  /// page's SVG (or PNG, JPEG); nil when the figure has none of them.
  func shown(on medium: FigureMedium) -> ShownFigure? {
    if medium == .slide, let file = files["slide-svg"], let width = slideWidth, let height = slideHeight {
      return ShownFigure(file: file, ext: "svg", width: width, height: height, isSlideVariant: true)
    }
    guard let ext = ["svg", "png", "jpg"].first(where: { files[$0] != nil }), let file = files[ext] else {
      return nil
    }
    return ShownFigure(file: file, ext: ext, width: width, height: height)
  }
}

extension PageBuilder {
  /// One `<img>` of a figure's file, at the size it is shown at. A slide variant taller than a
  /// slide's figure box (500 px) is a square figure's, drawn to stand beside its caption
  /// (`FigureSize.slide(for:)` in Plot; `slides.css`): class `slide-side`.
  func image(_ src: String, _ shown: ShownFigure, alt: String, attributes: String = "") -> String {
    let side = shown.isSlideVariant && shown.height > SlideMetrics.figureBox ? " slide-side" : ""
    let variant = shown.isSlideVariant ? " class=\"slide-variant\(side)\"" : ""
    return "<img\(variant) src=\"\(src)\" width=\"\(Self.cssNumber(shown.width))\""
      + " height=\"\(Self.cssNumber(shown.height))\" alt=\"\(HTML.escape(alt))\""
      + " loading=\"eager\" decoding=\"async\"\(attributes)>"
  }

  /// The narrowest screen that is not a phone's, as `handout.css`'s breakpoint (36rem).
  static let phoneMedia = "(max-width: 36rem)"

  /// A still figure's `<img>`, in a `<picture>` with its phone variant on the page when the run
  /// drew one (`FigureSize.phone(for:)` in Plot): a screen narrower than `phoneMedia` shows the
  /// phone's SVG, which `handout.css` stretches to the column. The deck shows its slide variant,
  /// and print (an A4 page is wider) the page's figure: the page woven for the PDF has none.
  func pageImage(_ figure: FigureOutput, src: String, shown: ShownFigure) -> String {
    let img = image(src, shown, alt: figure.alt)
    return phonePicture(img, files: figure.files, of: figure, shown: shown) ?? img
  }

  /// `img` in a `<picture>` with the phone variant among `files` (a still's, or an animation
  /// frame's, which `figure`'s phone size is), with `attributes` (an animation's frame number,
  /// label, hidden); nil where the page serves none (`pageImage`).
  func phonePicture(
    _ img: String, files: [String: String], of figure: FigureOutput, shown: ShownFigure,
    attributes: String = ""
  ) -> String? {
    guard medium == .page, !options.printed, !shown.isSlideVariant, let file = files["phone-svg"],
      let width = figure.phoneWidth, let height = figure.phoneHeight, let phone = source(file, ext: "svg")
    else { return nil }
    return "<picture\(attributes)><source media=\"\(Self.phoneMedia)\" srcset=\"\(phone)\""
      + " type=\"image/svg+xml\" width=\"\(Self.cssNumber(width))\" height=\"\(Self.cssNumber(height))\">"
      + "\(img)</picture>"
  }

  /// An animation: every frame stacked in one `.frames` box, one visible at a time (the last on
  /// the page, the first in the deck), on the page in a `<picture>` with its phone variant, a range slider and a play button under it on the page
  /// (keyboard: the slider takes the arrow keys, the button Enter and Space), and for print a
  /// grid of up to six frames, the first, the last and evenly spaced ones between.
  func animation(_ figure: FigureOutput, id: String, caption: String, shown: ShownFigure) -> String {
    let frames = figure.frames ?? []
    let labels = figure.frameLabels ?? []
    func label(_ k: Int) -> String { k < labels.count ? labels[k] : "frame \(k + 1)" }
    let start = medium == .slide ? 0 : frames.count - 1
    var stack = ""
    var grid = ""
    let printed = Set(Self.chosenFrames(count: frames.count, at: 6))
    for (k, files) in frames.enumerated() {
      var frame = shown
      frame.file = (shown.isSlideVariant ? files["slide-svg"] : files[shown.ext]) ?? shown.file
      guard let src = source(frame.file, ext: frame.ext) else { continue }
      let alt = "\(figure.alt) (\(label(k)))"
      let hidden = k == start ? "" : " hidden"
      let attributes = " data-frame=\"\(k)\" data-label=\"\(HTML.escape(label(k)))\"\(hidden)"
      // On the page a frame with a phone variant is a `<picture>` that carries the attributes.
      let img = image(src, frame, alt: alt)
      stack +=
        phonePicture(img, files: files, of: figure, shown: frame, attributes: attributes)
        ?? image(src, frame, alt: alt, attributes: attributes)
      if printed.contains(k), medium == .page {
        grid +=
          "<figure class=\"frame-cell\">" + image(src, frame, alt: alt)
          + "<figcaption>\(HTML.escape(label(k)))</figcaption></figure>"
      }
    }
    var html =
      "<figure class=\"figure animation\" id=\"\(id)\">"
      + "<div class=\"frames\" data-frame=\"\(start)\" data-count=\"\(frames.count)\">\(stack)</div>"
    if medium == .page {
      let max = Swift.max(0, frames.count - 1)
      html +=
        "<div class=\"frame-controls\">"
        + "<button type=\"button\" class=\"frame-play\" aria-label=\"Play\">▶</button>"
        + "<input type=\"range\" class=\"frame-slider\" min=\"0\" max=\"\(max)\" step=\"1\" value=\"\(start)\""
        + " aria-label=\"Frame of the animation\" aria-valuetext=\"\(HTML.escape(label(start)))\">"
        + "<output class=\"frame-label\">\(HTML.escape(label(start)))</output></div>"
        + "<div class=\"frame-grid\">\(grid)</div>"
    } else {
      html += "<div class=\"frame-label\">\(HTML.escape(label(start)))</div>"
    }
    return html + Self.figcaption(caption) + "</figure>\n"
  }

  /// Up to `n` frames of `count`, in order: the first, the last and evenly spaced ones between.
  static func chosenFrames(count: Int, at n: Int) -> [Int] {
    guard count > n else { return Array(0..<count) }
    return (0..<n).map { i in Int((Double(i) * Double(count - 1) / Double(n - 1)).rounded()) }
  }
}
