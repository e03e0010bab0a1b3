// One figure drawn at a time in a process. Debian 12's Cairo 1.16 is not safe for text on two
// threads at once: a scaled font released on one thread while another has its glyph cache frozen
// aborts the process (`cairo_scaled_font_destroy: Assertion '! scaled_font->cache_frozen' failed`:
// notebook 02's activation curves crashed so, once, in a same-bits render of the course, whose
// runtime draws figures on two threads). Figures are still prepared on two threads; Cairo draws
// one at a time. A PNG's pixels are converted and deflated after the lock is released (the
// image surface draws into memory of its own and is destroyed under the lock).
import Foundation

extension CairoCanvas {
  /// Held by every use of Cairo (`render`, `withPixels`, `measuring`); recursive, as drawing measures.
  static let lock = NSRecursiveLock()
}
