/// Errors Plot reports. The text a person reads is made in `description`.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// The file name does not end in `.svg`, `.png` or `.pdf`.
  case unknownFormat(path: String)
  /// Width, height or scale is not a positive finite number, or the image would be too large.
  case invalidSize(width: Double, height: Double, scale: Double)
  /// Cairo reported an error while drawing or encoding.
  case renderFailed(String)
  /// The file could not be written.
  case writeFailed(path: String, reason: String)

  /// The message a person reads: the path or size and what went wrong.
  public var description: String {
    switch self {
    case .unknownFormat(let path):
      return "\(path): unknown image format (use .svg, .png or .pdf)"
    case .invalidSize(let width, let height, let scale):
      return "invalid figure size \(width)×\(height) pt at scale \(scale)"
    case .renderFailed(let reason):
      return "drawing failed: \(reason)"
    case .writeFailed(let path, let reason):
      return "\(path): cannot write figure: \(reason)"
    }
  }
}

/// Output file formats.
public enum ImageFormat: String, CaseIterable, Sendable {
  /// Scalable vector graphics (the handout's copy), PNG (raster, the slides' copy), PDF (print).
  case svg, png, pdf

  /// The format named by a path's extension (case-insensitive), or nil.
  public init?(pathExtension: String) {
    self.init(rawValue: pathExtension.lowercased())
  }
}
