// PNG files from the pixels Cairo drew, through libpng's simplified write API.
//
// Cairo's own `cairo_surface_write_to_png` uses libpng's defaults: zlib level 6 and every row
// filter tried on every row. On a figure at 2× that was 70–100 ms of encoding, three quarters of
// the PNG's time and the largest single cost of a cold render's notebook run. libpng's
// `PNG_IMAGE_FLAG_FAST` (one filter, a fast zlib level) encodes the same pixels in 15–20 ms; the
// files are 10–130% larger. The PNG is the slides' copy of a figure (the handout shows the SVG).
internal import CCairo

enum PNGEncoder {
  /// Encodes `height` rows of `width` pixels, `stride` bytes apart, in Cairo's ARGB32 layout
  /// (native-endian 32-bit words, colour premultiplied by alpha). An image whose every pixel is
  /// opaque (every figure: its background is white) is written as 8-bit RGB; any other as RGBA,
  /// with alpha divided out exactly as Cairo's writer does (rounded, 0 where alpha is 0).
  static func encode(argb: UnsafeRawPointer, width: Int, height: Int, stride: Int) throws -> [UInt8] {
    precondition(width > 0 && height > 0 && stride >= 4 * width, "a Cairo image surface")
    let opaque = isOpaque(argb: argb, width: width, height: height, stride: stride)
    let channels = opaque ? 3 : 4
    let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { out, count in
      var i = 0
      for row in 0..<height {
        let line = argb + row * stride
        for col in 0..<width {
          let p = line.loadUnaligned(fromByteOffset: 4 * col, as: UInt32.self)
          let a = p >> 24
          var r = (p >> 16) & 0xFF
          var g = (p >> 8) & 0xFF
          var b = p & 0xFF
          if !opaque {
            if a == 0 {
              (r, g, b) = (0, 0, 0)
            } else if a < 255 {
              (r, g, b) = ((r * 255 + a / 2) / a, (g * 255 + a / 2) / a, (b * 255 + a / 2) / a)
            }
          }
          out[i] = UInt8(truncatingIfNeeded: r)
          out[i + 1] = UInt8(truncatingIfNeeded: g)
          out[i + 2] = UInt8(truncatingIfNeeded: b)
          if !opaque { out[i + 3] = UInt8(truncatingIfNeeded: a) }
          i += channels
        }
      }
      count = i
    }

    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    image.width = png_uint_32(width)
    image.height = png_uint_32(height)
    image.format = png_uint_32(opaque ? PNG_FORMAT_FLAG_COLOR : PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    image.flags = png_uint_32(PNG_IMAGE_FLAG_FAST)
    // zlib's worst case for the filtered rows (libpng's PNG_ZLIB_MAX_SIZE) plus room for the
    // chunks around them: the write never needs more, so it is one pass.
    let raw = (width * channels + 1) * height
    var capacity = raw + (raw + 7) / 8 + (raw + 63) / 64 + 11 + 4096
    var file = [UInt8](repeating: 0, count: capacity)
    let ok = file.withUnsafeMutableBytes { memory in
      pixels.withUnsafeBytes { source in
        png_image_write_to_memory(&image, memory.baseAddress, &capacity, 0, source.baseAddress, 0, nil)
      }
    }
    defer { png_image_free(&image) }
    guard ok != 0, capacity <= file.count else {
      let message = withUnsafeBytes(of: image.message) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      throw PlotError.renderFailed(
        "PNG encoding failed: \(message.isEmpty ? "libpng gave no reason" : message)")
    }
    file.removeSubrange(capacity...)
    return file
  }

  private static func isOpaque(argb: UnsafeRawPointer, width: Int, height: Int, stride: Int) -> Bool {
    for row in 0..<height {
      let line = argb + row * stride
      for col in 0..<width where line.loadUnaligned(fromByteOffset: 4 * col, as: UInt32.self) < 0xFF00_0000 {
        return false
      }
    }
    return true
  }
}
