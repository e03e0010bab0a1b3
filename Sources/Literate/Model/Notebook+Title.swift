// The title a notebook goes by outside its own page: its course-index entry and its neighbours'
// previous and next links.
import Foundation

extension Notebook {
  /// The front matter's `title`, else the text of the first `#` heading the page shows (not one
  /// inside `::: slides`, speaker notes or a solution), else the file name: what the page is
  /// titled, and so what the course index and the neighbouring pages call it.
  public var title: String {
    if let title = frontMatter.title { return title }
    var hidden = 0
    for node in nodes {
      switch node {
      case .open(let division) where [.slides, .notes, .solution].contains(division.kind): hidden += 1
      case .close(let division) where [.slides, .notes, .solution].contains(division.kind): hidden -= 1
      case .prose(let prose) where hidden == 0:
        for case .heading(level: 1, let inlines) in prose.blocks {
          let text = Self.plainText(inlines)
          if !text.isEmpty { return text }
        }
      default: continue
      }
    }
    return name
  }

  /// What a reader sees of `inlines`, without a run: an inline value is its expression, a
  /// reference its label.
  static func plainText(_ inlines: [MarkdownInline]) -> String {
    inlines.map { inline in
      switch inline {
      case .text(let t), .code(let t): t
      case .html, .image, .captionMarker: ""
      case .softBreak, .lineBreak: " "
      case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c): plainText(c)
      case .math(let span): span.tex
      case .inlineValue: ""
      case .reference(let label, _): "@" + label
      }
    }.joined()
  }
}
