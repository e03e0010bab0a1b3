// GitHub's alert syntax in prose: `> [!NOTE]` … renders as a callout box. `CommonMark` makes the
// tree's callouts; the kinds and their HTML are here.
import Foundation

/// One of GitHub's five alert kinds, and the HTML around a callout of that kind.
public enum Callout: String, CaseIterable, Sendable {
  /// `[!NOTE]`.
  case note
  /// `[!TIP]`.
  case tip
  /// `[!IMPORTANT]`.
  case important
  /// `[!WARNING]`.
  case warning
  /// `[!CAUTION]`.
  case caution

  /// The kind a blockquote's first line names: `[!NOTE]` in any case, with spaces around it
  /// allowed; nil for anything else (`[!FOO]`, `[!NOTE] text`).
  init?(marker: String) {
    let trimmed = marker.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("[!"), trimmed.hasSuffix("]"), trimmed.count > 3 else { return nil }
    self.init(rawValue: trimmed.dropFirst(2).dropLast().lowercased())
  }

  /// The title shown at the top of the box.
  var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

  /// `role` of the box: an alert for warnings and cautions (read out at once), a note otherwise.
  var role: String { self == .warning || self == .caution ? "alert" : "note" }

  /// The box's opening HTML: the `<div>`, then its title with an icon (a 16×16 outline drawn in
  /// the text colour, hidden from screen readers: the title says the same).
  var opening: String {
    "<div class=\"callout callout-\(rawValue)\" role=\"\(role)\">\n<p class=\"callout-title\">"
      + "<svg class=\"callout-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" "
      + "fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" "
      + "stroke-linejoin=\"round\">\(iconPaths)</svg>\(title)</p>\n"
  }

  /// The box's closing HTML.
  var closing: String { "</div>\n" }

  /// Outlines after GitHub's octicons: info, light bulb, speech bubble, triangle, octagon.
  private var iconPaths: String {
    switch self {
    case .note: "<circle cx=\"8\" cy=\"8\" r=\"6.5\"/><path d=\"M8 7.2v4.3M8 4.6v.1\"/>"
    case .tip:
      "<path d=\"M5.6 10.4C4.3 9.5 3.6 8.2 3.6 6.6a4.4 4.4 0 0 1 8.8 0c0 1.6-.7 2.9-2 3.8v1.4H5.6z\"/>"
        + "<path d=\"M6 14.2h4\"/>"
    case .important:
      "<path d=\"M2 2.5h12v8.5H8l-3.2 3v-3H2z\"/><path d=\"M8 4.8v3M8 9.3v.1\"/>"
    case .warning: "<path d=\"M8 1.8 14.8 13.8H1.2z\"/><path d=\"M8 6v4M8 11.8v.1\"/>"
    case .caution:
      "<path d=\"M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z\"/><path d=\"M8 4.6v4.2M8 11v.1\"/>"
    }
  }
}
