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
    // One pass for an opaque image (every figure): its rows are converted while the alpha is
    // checked, and only an image with a translucent pixel is converted again as RGBA.
    var opaque = true
    var pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3 + 1) { out, count in
      opaque = rgb(argb: argb, width: width, height: height, stride: stride, into: out.baseAddress!)
      count = opaque ? width * height * 3 : 0
    }
    if !opaque {
      pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) { out, count in
        rgba(argb: argb, width: width, height: height, stride: stride, into: out.baseAddress!)
        count = width * height * 4
      }
    }
    let channels = opaque ? 3 : 4

    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    image.width = png_uint_32(width)
    image.height = png_uint_32(height)
    image.format = png_uint_32(opaque ? PNG_FORMAT_FLAG_COLOR : PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    image.flags = png_uint_32(PNG_IMAGE_FLAG_FAST)
    // zlib's worst case for the filtered rows (libpng's PNG_ZLIB_MAX_SIZE) plus room for the
    // chunks around them: the write never needs more, so it is one pass. The buffer is not
    // cleared first: a figure's file is a few percent of it, and only the pages written to are
    // touched (clearing 3–5 MB per PNG, and faulting every page of it in, cost more than libpng).
    let raw = (width * channels + 1) * height
    let capacity = raw + (raw + 7) / 8 + (raw + 63) / 64 + 11 + 4096
    var written = capacity
    var ok: Int32 = 0
    let file = [UInt8](unsafeUninitializedCapacity: capacity) { memory, count in
      ok = pixels.withUnsafeBytes { source in
        png_image_write_to_memory(&image, memory.baseAddress, &written, 0, source.baseAddress, 0, nil)
      }
      count = ok != 0 && written <= capacity ? written : 0
    }
    defer { png_image_free(&image) }
    guard ok != 0, written <= capacity else {
      let message = withUnsafeBytes(of: image.message) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      throw PlotError.renderFailed(
        "PNG encoding failed: \(message.isEmpty ? "libpng gave no reason" : message)")
    }
    return file
  }

  /// Writes each pixel's red, green and blue bytes to `out` (which has room for one byte more:
  /// each pixel is stored as a 4-byte word, the next pixel overwriting its fourth byte); false as
  /// soon as a pixel is not opaque, with `out` left part written.
  private static func rgb(
    argb: UnsafeRawPointer, width: Int, height: Int, stride: Int, into out: UnsafeMutablePointer<UInt8>
  ) -> Bool {
    var o = UnsafeMutableRawPointer(out)
    for row in 0..<height {
      let line = argb + row * stride
      var alpha: UInt32 = 0xFF00_0000
      for col in 0..<width {
        let p = line.loadUnaligned(fromByteOffset: 4 * col, as: UInt32.self)
        alpha &= p
        // Bytes red, green, blue in memory order (the fourth is overwritten or past the end).
        let word = (p >> 16) & 0xFF | p & 0xFF00 | (p & 0xFF) << 16
        o.storeBytes(of: word.littleEndian, as: UInt32.self)
        o += 3
      }
      if alpha != 0xFF00_0000 { return false }
    }
    return true
  }

  /// Writes each pixel as red, green, blue and alpha, the colour divided by alpha exactly as
  /// Cairo's writer does (rounded, 0 where alpha is 0).
  private static func rgba(
    argb: UnsafeRawPointer, width: Int, height: Int, stride: Int, into out: UnsafeMutablePointer<UInt8>
  ) {
    var i = 0
    for row in 0..<height {
      let line = argb + row * stride
      for col in 0..<width {
        let p = line.loadUnaligned(fromByteOffset: 4 * col, as: UInt32.self)
        let a = p >> 24
        var (r, g, b) = ((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF)
        if a == 0 {
          (r, g, b) = (0, 0, 0)
        } else if a < 255 {
          (r, g, b) = ((r * 255 + a / 2) / a, (g * 255 + a / 2) / a, (b * 255 + a / 2) / a)
        }
        out[i] = UInt8(truncatingIfNeeded: r)
        out[i + 1] = UInt8(truncatingIfNeeded: g)
        out[i + 2] = UInt8(truncatingIfNeeded: b)
        out[i + 3] = UInt8(truncatingIfNeeded: a)
        i += 4
      }
    }
  }
}
