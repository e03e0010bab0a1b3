/// The pixels of a rendered figure, as the PNG holds them.
public struct Raster: Equatable, Sendable {
  /// Size in pixels (logical size × scale).
  public let width: Int
  /// Height in pixels (logical size × scale).
  public let height: Int
  /// Premultiplied ARGB words, row-major from the top-left pixel.
  public let argb: [UInt32]

  /// Colour of the pixel at column `x`, row `y` (un-premultiplied), or nil outside the image.
  public func color(x: Int, y: Int) -> Color? {
    guard x >= 0, y >= 0, x < width, y < height else { return nil }
    let word = argb[y * width + x]
    let a = Double((word >> 24) & 0xFF) / 255
    guard a > 0 else { return .clear }
    func channel(_ shift: UInt32) -> Double { Double((word >> shift) & 0xFF) / 255 / a }
    return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: a)
  }
}
