import CCairo
import XCTest

@testable import Plot

/// The PNG writer (libpng's simplified API, fast setting) must hold exactly the pixels Cairo drew.
/// Decoded here with Cairo's own PNG reader, which premultiplies again: for opaque images that is
/// the identity, so the decoded surface must equal the raster word for word.
final class PNGEncoderTests: XCTestCase {
  /// Decodes `png` with `cairo_image_surface_create_from_png_stream` into ARGB32 words.
  private func decode(_ png: [UInt8]) throws -> (width: Int, height: Int, argb: [UInt32]) {
    final class Reader {
      var bytes: [UInt8]
      var offset = 0
      init(_ bytes: [UInt8]) { self.bytes = bytes }
    }
    let reader = Reader(png)
    let read: cairo_read_func_t = { closure, data, length in
      let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
      let n = Int(length)
      guard let data, reader.offset + n <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
      for i in 0..<n { data[i] = reader.bytes[reader.offset + i] }
      reader.offset += n
      return CAIRO_STATUS_SUCCESS
    }
    let surface = withExtendedLifetime(reader) {
      cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())!
    }
    defer { cairo_surface_destroy(surface) }
    XCTAssertEqual(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS)
    let width = Int(cairo_image_surface_get_width(surface))
    let height = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    let data = UnsafeRawPointer(cairo_image_surface_get_data(surface)!)
    var argb: [UInt32] = []
    for row in 0..<height {
      for col in 0..<width {
        argb.append(data.loadUnaligned(fromByteOffset: row * stride + 4 * col, as: UInt32.self))
      }
    }
    return (width, height, argb)
  }

  /// Colour type byte of the IHDR chunk: 2 = RGB, 6 = RGBA.
  private func colorType(_ png: [UInt8]) -> UInt8 { png[25] }

  func testFigurePNGHoldsTheDrawnPixels() throws {
    for figure in [Gallery.field(), Gallery.lines()] {
      let raster = try figure.raster()
      let png = try figure.data(.png)
      XCTAssertEqual(colorType(png), 2, "an opaque figure is written as RGB")
      let decoded = try decode(png)
      XCTAssertEqual(decoded.width, raster.width)
      XCTAssertEqual(decoded.height, raster.height)
      XCTAssertTrue(decoded.argb == raster.argb, "decoded PNG differs from the raster")
    }
  }

  /// The RGBA bytes stored in `png`, read with libpng's simplified API (no conversion).
  private func storedRGBA(_ png: [UInt8]) -> [UInt8] {
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    let began = png.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
    XCTAssertNotEqual(began, 0)
    image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    var pixels = [UInt8](repeating: 0, count: Int(image.width * image.height) * 4)
    let finished = pixels.withUnsafeMutableBytes {
      png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
    }
    XCTAssertNotEqual(finished, 0)
    return pixels
  }

  func testTranslucentPixelsAreUnpremultipliedAsCairoDoes() throws {
    // Premultiplied words (alpha, red, green, blue): opaque, half-transparent, fully transparent,
    // and alphas where the rounding of c·255/a matters: 1·255/6 = 42.5 → 43, 2·255/7 = 72.9 → 73,
    // 1·255/7 = 36.4 → 36.
    let words: [UInt32] = [0xFFFF_0000, 0x8000_8000, 0x0000_0000, 0x0601_0201, 0x0701_0200]
    let png = try words.withUnsafeBytes {
      try PNGEncoder.encode(argb: $0.baseAddress!, width: words.count, height: 1, stride: 4 * words.count)
    }
    XCTAssertEqual(colorType(png), 6, "a translucent image keeps its alpha")
    XCTAssertEqual(
      storedRGBA(png),
      [
        255, 0, 0, 255,
        0, 255, 0, 128,
        0, 0, 0, 0,
        43, 85, 43, 6,
        36, 73, 0, 7,
      ])
    // Cairo's reader premultiplies again and gets the words back.
    XCTAssertEqual(try decode(png).argb, words)
  }
  /// The one translucent pixel is the image's last: the single pass converts every row as RGB,
  /// finds it at the end, and the image is written as RGBA all the same.
  func testTranslucentLastPixelMakesTheImageRGBA() throws {
    let (width, height) = (5, 3)
    var words = (0..<(width * height)).map {
      0xFF00_0000 | UInt32(truncatingIfNeeded: $0 &* 0x0102_0305) & 0xFF_FFFF
    }
    words[words.count - 1] = 0x8040_2010
    let png = try words.withUnsafeBytes {
      try PNGEncoder.encode(argb: $0.baseAddress!, width: width, height: height, stride: 4 * width)
    }
    XCTAssertEqual(colorType(png), 6, "a translucent image keeps its alpha")
    XCTAssertEqual(try decode(png).argb, words)
  }

  /// Opaque rows with padding between them (a stride wider than the row) and every byte value in
  /// every channel: the bytes written are each pixel's red, green and blue.
  func testOpaqueRowsWithPaddingKeepEveryChannel() throws {
    let (width, height, stride) = (256, 3, 4 * 256 + 12)
    var memory = [UInt8](repeating: 0x5A, count: stride * height)
    for row in 0..<height {
      for col in 0..<width {
        let c = UInt32(col)
        let word = 0xFF00_0000 | (c << 16) | ((255 - c) << 8) | ((c &* 7 &+ UInt32(row)) & 0xFF)
        withUnsafeBytes(of: word) {
          memory.replaceSubrange((row * stride + 4 * col)..<(row * stride + 4 * col + 4), with: $0)
        }
      }
    }
    let png = try memory.withUnsafeBytes {
      try PNGEncoder.encode(argb: $0.baseAddress!, width: width, height: height, stride: stride)
    }
    XCTAssertEqual(colorType(png), 2, "an opaque image is written as RGB")
    let rgba = storedRGBA(png)
    for row in 0..<height {
      for col in 0..<width {
        let i = 4 * (row * width + col)
        XCTAssertEqual(
          Array(rgba[i..<(i + 4)]), [UInt8(col), UInt8(255 - col), UInt8((col * 7 + row) & 0xFF), 255])
      }
    }
  }
}
