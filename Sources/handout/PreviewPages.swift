// Which file of the output folder `handout preview` serves for a page's address.
import Foundation

/// The pages `handout preview` serves, by address.
enum PreviewPages {
  /// The page served for `relative`: a handout's failing page (`x.failed.html`, its deck
  /// `x.failed.slides.html`) where the folder has one, in place of the last good one it keeps
  /// (preview shows what the notebook makes now; the folder keeps what it would publish). The
  /// failing page sits beside the good one, so its relative links resolve the same.
  static func shown(_ relative: String, in root: URL) -> String {
    guard !relative.contains("/"), relative != "index.html", !relative.contains(".failed.") else {
      return relative
    }
    let base =
      relative.hasSuffix(".slides.html")
      ? String(relative.dropLast(".slides.html".count)) : String(relative.dropLast(".html".count))
    let failing = relative.hasSuffix(".slides.html") ? "\(base).failed.slides.html" : "\(base).failed.html"
    let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(failing).path)
    return exists ? failing : relative
  }

  /// The handout a page belongs to: `x.html`, `x.failed.html` and the deck `x.slides.html` are
  /// handout `x`'s; nil for a page inside a folder. (The index is `index`, which no handout can be
  /// named.)
  static func handoutName(of relative: String) -> String? {
    guard !relative.contains("/") else { return nil }
    var name = String(relative.dropLast(".html".count))
    for suffix in [".slides", ".failed"] where name.hasSuffix(suffix) {
      name = String(name.dropLast(suffix.count))
    }
    return name
  }
}
