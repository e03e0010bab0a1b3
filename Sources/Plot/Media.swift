// One figure, drawn for each medium it is shown in: the page (and its PDF) and the slide deck.
// The text-size rule is stated in `Plot.md` and `FigureSize.page(for:)`/`slide(for:)`.
import Foundation

extension FigureStyle {
  /// The smallest text the styles draw, in points at scale 1: tick labels, legend entries and
  /// the colour bar's ticks. On a page a figure is shown at its size, so its text is this many
  /// CSS pixels at 100 % zoom.
  public static let smallestText = Metrics.tickFont.size
}

extension FigureSize {
  /// The smallest text a page figure shows, in CSS px at 100 % zoom.
  public static let pageText = 10.0
  /// The smallest text a slide figure shows, in px of the 1280×720 deck frame.
  public static let slideText = 18.0
  /// The width of a handout's text column (`handout.css`: `.page`, 46rem less its padding), the
  /// widest a page shows a figure at its own size; a wider one is shrunk to it.
  public static let pageColumn = 696.0
  /// The largest a slide variant is, in px of the 1280×720 frame: the frame less the slide's
  /// padding, and less a title and a caption (`slides.css`).
  public static let slideBox = (width: 1152.0, height: 500.0)
  /// The height of a square figure's slide variant, drawn to stand at the left of its slide with
  /// the caption beside it (`slides.css`): the frame less its padding and a slide title.
  public static let slideSideHeight = 560.0

  /// The size and style `figure` is drawn in for a handout page (and its PDF): its own, except
  /// that a figure wider than the page column, which the page shrinks, draws its text, lines and
  /// markers larger by as much, so that its smallest text still shows at `pageText` px, and that
  /// a narrower one whose legend stands beside its plot is drawn wider (`pageWidened`).
  public static func page(for figure: Figure) -> FigureSize {
    let shrink = min(1, pageColumn / figure.width)
    let needed = pageText / (FigureStyle.smallestText * shrink)
    let scale = max(figure.style.scale, needed)
    let size = FigureSize(width: figure.width, height: figure.height, style: FigureStyle(scale: scale))
    return pageWidened(size, for: figure)
  }

  /// A single panel narrower than the page column whose legend stands beside its plot (a `.best`
  /// legend that would cover data in every corner, or `.outsideRight`) is drawn wider by the
  /// legend's width, up to `pageColumn`, or by as much of it as its plot grows (a plot an equal
  /// aspect keeps square takes none: the figure keeps its width). 01's error surface, 600 px wide,
  /// had a plot of 297 × 391 px for a plane 2.8 wide and 2 high, beside its colour bar and legend.
  static func pageWidened(_ size: FigureSize, for figure: Figure) -> FigureSize {
    func plot(_ size: FigureSize) -> (plot: Rect, legend: Rect?)? {
      try? CairoCanvas.measuring { canvas in
        let panel = figure.layout(measure: canvas, size: size).panels[0]
        return (panel.plot, panel.outsideLegend)
      }
    }
    guard figure.panels.count == 1, size.width < pageColumn, let own = plot(size), let legend = own.legend
    else { return size }
    let widest = min(pageColumn, size.width + (legend.width + 10) * size.style.scale)
    guard let wide = plot(FigureSize(width: widest, height: size.height, style: size.style)) else {
      return size
    }
    let growth = (wide.plot.width - own.plot.width) * size.style.scale
    guard growth >= 8 else { return size }
    let width = min(widest, size.width + growth)
    return FigureSize(width: width.rounded(), height: size.height, style: size.style)
  }

  /// The size and style `figure` is drawn in for a slide: shown at this size in the 1280×720
  /// frame, at least 16:9 wide (a frame is wider than a page) and at most `slideBox`, with the
  /// figure's aspect kept when it is wider than 16:9, in a style whose smallest text is at least
  /// `slideText` px (the `.talk` style, or the figure's own when larger). A figure of several
  /// panels takes the whole box, its panels in the grid that gives them the most room
  /// (`slideGrid(for:)`), in the smallest style that keeps the text at `slideText` px.
  public static func slide(for figure: Figure) -> FigureSize {
    if let side = side(for: figure) { return side }
    if figure.panels.count > 1 { return slideGrid(for: figure) }
    let aspect = figure.width / figure.height
    let widest = 16.0 / 9.0
    let width = min(slideBox.width, slideBox.height * max(aspect, widest))
    let height = min(slideBox.height, width / aspect)
    // The text scale the figure's own style has against its size is kept, but never smaller than
    // what the slide's smallest text needs (`.talk` gives 20 px).
    let needed = slideText / FigureStyle.smallestText
    let scale = max(FigureStyle.talk.scale, needed, figure.style.scale * height / figure.height)
    let size = FigureSize(width: width.rounded(), height: height.rounded(), style: FigureStyle(scale: scale))
    return widened(size, for: figure)
  }

  /// A single panel whose legend stands beside its plot (a `.best` legend that would cover data in
  /// every corner, or `.outsideRight`) is drawn wider by the legend's width, up to `slideBox`: the
  /// plot keeps the width a slide gives it, the legend takes what the frame has spare beside it.
  /// At 889 px, deck 05's six optimiser curves had under half the figure beside their legend.
  static func widened(_ size: FigureSize, for figure: Figure) -> FigureSize {
    guard figure.panels.count == 1, size.width < slideBox.width,
      let legend = try? CairoCanvas.measuring({
        figure.layout(measure: $0, size: size).panels[0].outsideLegend
      })
    else { return size }
    let width = min(slideBox.width, size.width + (legend.width + 10) * size.style.scale)
    return FigureSize(width: width.rounded(), height: size.height, style: size.style)
  }

  /// A figure of one panel with an equal aspect (an input plane: a decision boundary, a loss
  /// surface), no wider than 3:2, is drawn for the slide `slideSideHeight` tall and only as wide
  /// as its square plot area and the furniture around it need, in the `.talk` style: the deck
  /// stands it at the left, its caption at the right. In the 1152×500 box, a plane with a colour
  /// bar and a legend beside it got a plot area of about 320×320 px.
  static func side(for figure: Figure) -> FigureSize? {
    guard figure.panels.count == 1, figure.axes.aspect == .equal, figure.width / figure.height <= 1.5 else {
      return nil
    }
    let scale = max(FigureStyle.talk.scale, slideText / FigureStyle.smallestText, figure.style.scale)
    let probe = FigureSize(width: slideBox.width, height: slideSideHeight, style: FigureStyle(scale: scale))
    guard
      let panel = try? CairoCanvas.measuring({ figure.layout(measure: $0, size: probe).panels[0] }),
      panel.plot.width > 0
    else { return nil }
    let spare = (panel.available.width - panel.plot.width) * scale
    let width = min(slideBox.width, max(slideSideHeight, slideBox.width - spare))
    return FigureSize(width: width.rounded(), height: slideSideHeight, style: FigureStyle(scale: scale))
  }
}
