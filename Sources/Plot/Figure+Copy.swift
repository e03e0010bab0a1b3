// A figure's independent copy: `show(…)` draws a figure's download files after it has returned,
// while the notebook goes on, and the notebook may change its figure meanwhile.

extension Figure {
  /// An independent copy: the same size, style, title, id, alt text, colour bar and panels with
  /// the same marks and settings. Changing either afterwards does not change the other, and both
  /// draw the same bytes until one is changed.
  public func copy() -> Figure {
    let copy = Figure(width: width, height: height, rows: rows, columns: columns)
    copy.title = title
    copy.id = id
    copy.style = style
    copy.explicitAltText = explicitAltText
    copy.sharedColorBar = sharedColorBar
    for (original, panel) in zip(panels, copy.panels) {
      panel.copyState(of: original)
    }
    return copy
  }
}

extension Axes {
  /// Takes every stored setting and mark of `other` (all plain values).
  func copyState(of other: Axes) {
    title = other.title
    x = other.x
    y = other.y
    aspect = other.aspect
    showAxes = other.showAxes
    showGrid = other.showGrid
    legend = other.legend
    simplifiesLines = other.simplifiesLines
    marks = other.marks
    colorBar = other.colorBar
    nextColorIndex = other.nextColorIndex
  }
}
