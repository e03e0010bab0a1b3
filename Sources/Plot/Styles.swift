/// Dash patterns in points (on, off, …); empty is solid.
public enum Dash {
  /// `[]`: a continuous line.
  public static let solid: [Double] = []
  /// `[5, 3]`: e.g. validation losses.
  public static let dashed: [Double] = [5, 3]
  /// `[1.2, 2.4]`: e.g. the epoch early stopping kept.
  public static let dotted: [Double] = [1.2, 2.4]
  /// `[6, 2.5, 1.2, 2.5]`.
  public static let dashDot: [Double] = [6, 2.5, 1.2, 2.5]
  /// `[9, 3.5]`.
  public static let longDash: [Double] = [9, 3.5]
}

/// How a line is stroked.
public struct LineStyle: Sendable, Equatable {
  /// Stroke colour.
  public var color: Color
  /// Width in points.
  public var width: Double
  /// Dash pattern in points; see `Dash`.
  public var dash: [Double]

  /// A grey 1.5 pt solid line unless told otherwise.
  public init(color: Color = Palette.grey, width: Double = 1.5, dash: [Double] = Dash.solid) {
    self.color = color
    self.width = width
    self.dash = dash
  }
}

/// Marker shapes for scatter series. The lectures draw class 0 as circles, class 1 as crosses.
public enum MarkerShape: String, Sendable, CaseIterable {
  /// The six shapes, in the order classes get them (`ClassColors.marker(_:)` in HandoutKit).
  case circle, cross, square, triangle, diamond, plus
}

/// How scatter markers look.
public struct MarkerStyle: Sendable, Equatable {
  /// The marker's shape.
  public var shape: MarkerShape
  /// Radius in points (half the marker's width); 3–4 reads well at 640×480.
  public var radius: Double
  /// Fill colour (for `cross` and `plus`: the stroke colour).
  public var fill: Color
  /// Edge colour (for `cross` and `plus`: a halo under the stroke), or nil for none.
  public var edge: Color?
  /// Edge width in points.
  public var edgeWidth: Double

  /// A blue circle of radius 3.5 pt with a 0.8 pt white edge unless told otherwise.
  public init(
    shape: MarkerShape = .circle, radius: Double = 3.5, fill: Color = Palette.blue,
    edge: Color? = .white, edgeWidth: Double = 0.8
  ) {
    self.shape = shape
    self.radius = radius
    self.fill = fill
    self.edge = edge
    self.edgeWidth = edgeWidth
  }
}

/// Axis scale.
public enum Scale: Sendable, Equatable {
  /// Values map linearly to positions.
  case linear
  /// Base-10 logarithm; values ≤ 0 are not drawn.
  case log10
}

/// Where a panel's legend goes.
public enum LegendPosition: Sendable, Equatable {
  /// The inside corner that covers the fewest data points.
  case best
  /// Fixed inside corners of the plot area.
  case topLeft, topRight, bottomLeft, bottomRight
  /// To the right of the plot area, outside it.
  case outsideRight
  /// No legend even when series are labelled.
  case hidden
}

/// Aspect ratio of a panel's plot area.
public enum Aspect: Sendable, Equatable {
  /// Fill the space available.
  case auto
  /// One data unit is as long on x as on y (an input plane is square when its domain is).
  case equal
}
