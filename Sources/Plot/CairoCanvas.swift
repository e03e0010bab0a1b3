// The only file in Plot that talks to Cairo. Every C object is created and destroyed here
// (`defer` frees); no C pointer leaves this file. An image surface draws into memory that
// outlives it: PNGEncoder reads the pixels after Cairo is done with them. Everything above it is
// plain Swift that calls the drawing methods of `CairoCanvas`.
internal import CCairo
import Foundation

/// Measured size of a run of text, in points.
struct TextSize: Equatable {
  /// Advance width of the string.
  var width: Double
  /// Font ascent (above the baseline) for the size used; the same for every string.
  var ascent: Double
  /// Font descent (below the baseline), positive.
  var descent: Double
  /// Height of the ink of the digit "0" (used to centre numbers vertically).
  var digitHeight: Double
  /// `ascent + descent`: the height a line of this text occupies.
  var lineHeight: Double { ascent + descent }
}

/// A font request: DejaVu Sans at a size in points.
struct Font: Equatable {
  var size: Double
  var bold: Bool = false
}

/// Something that can tell how large text will be. Layout depends only on this, so it can be
/// computed before drawing (and identically for every output format: hint metrics are off).
protocol TextMeasuring {
  func measure(_ text: String, font: Font) -> TextSize
}

/// How a piece of text sits relative to its anchor point.
public enum HorizontalAlignment: Sendable {
  /// `left`: the text starts at the anchor; `center`: it is centred on it; `right`: it ends there.
  case left, center, right
}
/// Vertical placement relative to the anchor point: `top` and `bottom` use the font's ascent and
/// descent, `center` centres the height of a digit, `baseline` puts the baseline on the point.
public enum VerticalAlignment: Sendable {
  /// The `top`, vertical `center`, `baseline` or `bottom` of the text at the anchor.
  case top, center, baseline, bottom
}

/// Line cap and join choices exposed to the drawing code.
enum LineCap { case butt, round, square }

/// A drawing surface backed by a Cairo context.
///
/// Create one only through `CairoCanvas.render(...)` or `CairoCanvas.measuring()`; the canvas
/// is valid only inside the closure it is passed to.
final class CairoCanvas: TextMeasuring {
  private let cr: OpaquePointer
  private let fontOptions: OpaquePointer
  /// The smallest text drawn so far, in units of the output (font size times the current scale);
  /// infinity before any.
  private(set) var smallestText = Double.infinity

  private init(cr: OpaquePointer) {
    self.cr = cr
    let options = cairo_font_options_create()!
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_subpixel_order(options, CAIRO_SUBPIXEL_ORDER_DEFAULT)
    cairo_set_font_options(cr, options)
    self.fontOptions = options
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT)
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
  }

  deinit {
    cairo_font_options_destroy(fontOptions)
  }

  // MARK: - Surfaces

  /// Error text from a Cairo status code.
  private static func message(_ status: cairo_status_t) -> String {
    String(cString: cairo_status_to_string(status))
  }

  /// Collects bytes written by Cairo's stream callbacks.
  private final class ByteSink {
    var bytes: [UInt8] = []
  }

  private static let writeToSink: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
  }

  /// Draws with `draw` onto a new surface of `width`×`height` points and returns the encoded file.
  ///
  /// - PNG: an ARGB image of `ceil(width·scale)`×`ceil(height·scale)` pixels with device scale
  ///   `scale`, so drawing code works in points; encoded after Cairo has let go of the pixels.
  /// - SVG: document unit px, so the root `width`/`height` equal the logical size. Ids in the
  ///   output still carry Cairo's process-wide counters; `SVGIdentifiers` makes them stable.
  /// - PDF: the creation date is fixed so that the same drawing gives the same bytes.
  static func render(
    format: ImageFormat, width: Double, height: Double, scale: Double,
    draw: (CairoCanvas) throws -> Void
  ) throws -> [UInt8] {
    if format == .png {
      return try withPixels(width: width, height: height, scale: scale, draw: draw) {
        try PNGEncoder.encode(argb: $0, width: $1, height: $2, stride: 4 * $1)
      }
    }
    lock.lock()
    defer { lock.unlock() }
    let sink = ByteSink()
    let closure = Unmanaged.passUnretained(sink).toOpaque()
    try withExtendedLifetime(sink) {
      let surface: OpaquePointer
      if format == .svg {
        guard let s = cairo_svg_surface_create_for_stream(writeToSink, closure, width, height)
        else { throw PlotError.renderFailed("cannot create SVG surface") }
        cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1)
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX)
        surface = s
      } else {
        guard let s = cairo_pdf_surface_create_for_stream(writeToSink, closure, width, height)
        else { throw PlotError.renderFailed("cannot create PDF surface") }
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Handout Plot")
        surface = s
      }
      defer { cairo_surface_destroy(surface) }
      let status = cairo_surface_status(surface)
      guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.renderFailed(message(status)) }
      try drawAndFinish(surface: surface, draw: draw)
      cairo_surface_finish(surface)
      let finished = cairo_surface_status(surface)
      guard finished == CAIRO_STATUS_SUCCESS else { throw PlotError.renderFailed(message(finished)) }
    }
    return sink.bytes
  }

  /// Draws with `draw` onto an image surface and returns its pixels (what the PNG would hold).
  static func raster(
    width: Double, height: Double, scale: Double, draw: (CairoCanvas) throws -> Void
  ) throws -> Raster {
    try withPixels(width: width, height: height, scale: scale, draw: draw) { memory, pw, ph in
      let words = memory.assumingMemoryBound(to: UInt32.self)
      return Raster(width: pw, height: ph, argb: Array(UnsafeBufferPointer(start: words, count: pw * ph)))
    }
  }

  /// Draws with `draw` onto an image surface over memory of its own and hands `body` the pixels
  /// (`width`×`height` words, rows 4·`width` bytes apart). Cairo draws under the lock and the
  /// surface is destroyed there; `body` (the PNG's conversion and deflate, most of a figure's
  /// time) runs after, while another thread draws.
  private static func withPixels<T>(
    width: Double, height: Double, scale: Double, draw: (CairoCanvas) throws -> Void,
    _ body: (UnsafeRawPointer, Int, Int) throws -> T
  ) throws -> T {
    let (pw, ph) = pixelSize(width: width, height: height, scale: scale)
    // ARGB32 rows are whole 32-bit words: Cairo's stride for them is 4 bytes a pixel.
    guard Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(pw))) == 4 * pw,
      let memory = calloc(pw * ph, 4)  // cleared, as Cairo's own: transparent black
    else { throw PlotError.renderFailed("cannot create image surface") }
    defer { free(memory) }
    try {
      lock.lock()
      defer { lock.unlock() }
      guard
        let surface = cairo_image_surface_create_for_data(
          memory.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32, Int32(pw), Int32(ph),
          Int32(4 * pw))
      else { throw PlotError.renderFailed("cannot create image surface") }
      defer { cairo_surface_destroy(surface) }
      let status = cairo_surface_status(surface)
      guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.renderFailed(message(status)) }
      cairo_surface_set_device_scale(surface, scale, scale)
      try drawAndFinish(surface: surface, draw: draw)
      cairo_surface_flush(surface)
    }()
    return try body(UnsafeRawPointer(memory), pw, ph)
  }

  /// A canvas on a tiny image surface, for measuring text outside of a render.
  static func measuring<T>(_ body: (CairoCanvas) throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1) else {
      throw PlotError.renderFailed("cannot create image surface")
    }
    defer { cairo_surface_destroy(surface) }
    guard let cr = cairo_create(surface) else { throw PlotError.renderFailed("no context") }
    defer { cairo_destroy(cr) }
    let canvas = CairoCanvas(cr: cr)
    return try body(canvas)
  }

  private static func drawAndFinish(surface: OpaquePointer, draw: (CairoCanvas) throws -> Void)
    throws
  {
    guard let cr = cairo_create(surface) else { throw PlotError.renderFailed("no context") }
    defer { cairo_destroy(cr) }
    let canvas = CairoCanvas(cr: cr)
    try draw(canvas)
    let status = cairo_status(cr)
    guard status == CAIRO_STATUS_SUCCESS else { throw PlotError.renderFailed(message(status)) }
    cairo_surface_flush(surface)
  }

  /// Pixel dimensions of a figure of `width`×`height` points drawn at `scale`.
  static func pixelSize(width: Double, height: Double, scale: Double) -> (Int, Int) {
    (max(1, Int((width * scale).rounded(.up))), max(1, Int((height * scale).rounded(.up))))
  }

  // MARK: - State

  func save() { cairo_save(cr) }
  func restore() { cairo_restore(cr) }

  func setColor(_ color: Color) {
    cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
  }

  func setLineWidth(_ width: Double) { cairo_set_line_width(cr, width) }

  /// Dash lengths in points; empty for a solid line.
  func setDash(_ pattern: [Double], offset: Double = 0) {
    pattern.withUnsafeBufferPointer { buffer in
      cairo_set_dash(cr, buffer.baseAddress, Int32(buffer.count), offset)
    }
  }

  func setLineCap(_ cap: LineCap) {
    switch cap {
    case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
    case .square: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
    }
  }

  /// Restricts drawing to a rectangle until the matching `restore()`.
  func clip(to rect: Rect) {
    cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
    cairo_clip(cr)
  }

  func translate(_ dx: Double, _ dy: Double) { cairo_translate(cr, dx, dy) }
  /// Scales everything drawn after it (text, lines, markers, positions) by `factor`.
  func scale(_ factor: Double) { cairo_scale(cr, factor, factor) }
  func rotate(_ radians: Double) { cairo_rotate(cr, radians) }

  // MARK: - Paths

  func newPath() { cairo_new_path(cr) }
  func move(to p: Point) { cairo_move_to(cr, p.x, p.y) }
  func line(to p: Point) { cairo_line_to(cr, p.x, p.y) }
  func closePath() { cairo_close_path(cr) }
  func rectangle(_ r: Rect) { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }

  func circle(center: Point, radius: Double) {
    cairo_new_sub_path(cr)
    cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
    cairo_close_path(cr)
  }

  func stroke() { cairo_stroke(cr) }
  func fill() { cairo_fill(cr) }
  func fillPreserve() { cairo_fill_preserve(cr) }
  func paint() { cairo_paint(cr) }

  // MARK: - Text

  private func select(_ font: Font) {
    cairo_select_font_face(
      cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
      font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, font.size)
  }

  func measure(_ text: String, font: Font) -> TextSize {
    select(font)
    var extents = cairo_text_extents_t()
    cairo_text_extents(cr, text, &extents)
    var fontExtents = cairo_font_extents_t()
    cairo_font_extents(cr, &fontExtents)
    var digit = cairo_text_extents_t()
    cairo_text_extents(cr, "0", &digit)
    return TextSize(
      width: extents.x_advance, ascent: fontExtents.ascent, descent: fontExtents.descent,
      digitHeight: -digit.y_bearing)
  }

  /// Draws `text` anchored at `point`, rotated by `angle` radians (counter-clockwise on the page
  /// for positive values, so `.pi / 2` reads bottom to top).
  func text(
    _ text: String, at point: Point, font: Font, color: Color,
    horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
    angle: Double = 0
  ) {
    guard !text.isEmpty else { return }
    let size = measure(text, font: font)
    let dx: Double
    switch horizontal {
    case .left: dx = 0
    case .center: dx = -size.width / 2
    case .right: dx = -size.width
    }
    let dy: Double
    switch vertical {
    case .top: dy = size.ascent
    case .center: dy = size.digitHeight / 2
    case .baseline: dy = 0
    case .bottom: dy = -size.descent
    }
    var m = cairo_matrix_t()
    cairo_get_matrix(cr, &m)
    smallestText = min(smallestText, font.size * (abs(m.xx * m.yy - m.xy * m.yx)).squareRoot())
    cairo_save(cr)
    cairo_translate(cr, point.x, point.y)
    if angle != 0 { cairo_rotate(cr, -angle) }
    cairo_move_to(cr, dx, dy)
    setColor(color)
    cairo_show_text(cr, text)
    cairo_new_path(cr)
    cairo_restore(cr)
  }

  // MARK: - Images

  /// Paints an image of `columns`×`rows` colours (row 0 at the top) stretched over `rect`.
  ///
  /// The image is padded by one replicated pixel on every side and clipped to `rect`, so with
  /// smoothing the edges stay fully opaque (no fade to transparent, no seams) in every format
  /// without relying on `CAIRO_EXTEND_PAD`, which the SVG backend would rasterise.
  ///
  /// A crisp image (`smooth: false`) is stored with each cell as a block of `k`×`k` pixels, about
  /// two pixels per point: browsers smooth an SVG's embedded image whatever Cairo's filter says
  /// (Cairo writes no `image-rendering`), and then only the blocks' one-pixel edges blur, not
  /// whole cells (an 8×8 digit, a confusion matrix's cells).
  func image(columns: Int, rows: Int, colors: [Color], in rect: Rect, smooth: Bool) {
    precondition(colors.count == columns * rows, "image needs columns × rows colours")
    image(columns: columns, rows: rows, words: colors.map(\.premultipliedARGB), in: rect, smooth: smooth)
  }

  /// `image(columns:rows:colors:in:smooth:)` with the colours as Cairo's premultiplied ARGB
  /// words (`Color.premultipliedARGB`).
  func image(columns: Int, rows: Int, words: [UInt32], in rect: Rect, smooth: Bool) {
    precondition(words.count == columns * rows, "image needs columns × rows colours")
    guard columns > 0, rows > 0, rect.width > 0, rect.height > 0 else { return }
    var k = 1
    if !smooth {
      let cell = max(rect.width / Double(columns), rect.height / Double(rows))
      k = min(64, max(1, Int((2 * cell).rounded(.up))))
      while k > 1 && (columns * k + 2) * (rows * k + 2) > 4_000_000 { k -= 1 }
    }
    let pw = columns * k + 2
    let ph = rows * k + 2
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pw), Int32(ph))
    else { return }
    defer { cairo_surface_destroy(surface) }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS,
      let data = cairo_image_surface_get_data(surface)
    else { return }
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    for py in 0..<ph {
      let row = min(max(py - 1, 0) / k, rows - 1)
      let rowPointer = UnsafeMutableRawPointer(data + py * stride)
      for px in 0..<pw {
        let col = min(max(px - 1, 0) / k, columns - 1)
        rowPointer.storeBytes(of: words[row * columns + col], toByteOffset: px * 4, as: UInt32.self)
      }
    }
    cairo_surface_mark_dirty(surface)

    guard let pattern = cairo_pattern_create_for_surface(surface) else { return }
    defer { cairo_pattern_destroy(pattern) }
    // Pattern space → user space: pixel (1, 1) starts at rect's top-left corner.
    let sx = Double(columns * k) / rect.width
    let sy = Double(rows * k) / rect.height
    var matrix = cairo_matrix_t()
    cairo_matrix_init(&matrix, sx, 0, 0, sy, 1 - rect.x * sx, 1 - rect.y * sy)
    cairo_pattern_set_matrix(pattern, &matrix)
    cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
    cairo_pattern_set_extend(pattern, CAIRO_EXTEND_NONE)
    cairo_save(cr)
    cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
    cairo_clip(cr)
    cairo_set_source(cr, pattern)
    cairo_paint(cr)
    cairo_restore(cr)
  }
}
