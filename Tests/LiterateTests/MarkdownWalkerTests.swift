import Foundation
import XCTest

@testable import Literate

/// The prose tree's HTML walker writes what cmark-gfm's own HTML renderer writes for the same
/// Markdown (so the course's pages did not change when prose became a tree).
final class MarkdownWalkerTests: XCTestCase {
  static let tricky = [
    "# H1\n\nSetext\n===\n\nA *b* **c** ***d*** ****e**** ~~f~~ `g & <h>` \"q\" 'r' -- --- ...",
    "1. one\n2. two\n\n   para\n3. three\n\n- a\n- b\n  - c\n\n7. seven\n",
    "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n| x |\n\n| only | head |\n|---|---|\n",
    "<div>\n<script>x</script>\n</div>\n\nInline <b>bold</b> <SCRIPT src=x> <style/> <iframe>\n",
    "[l](http://a.b/c?d=1&e='f' \"T&\") ![alt *em* `c`\nline](i.png \"t\") <http://x.y/z%20 > www.a.com x@y.z",
    "    indented\n    code & <x>\n\n```swift extra\nlet a = \"<b>\"\n```\n\n~~~\nplain\n~~~\n",
    "> quote\n> > nested\n\n---\n\n***\n\nhard  \nbreak\\\nback &amp; &copy; &#35; \\* \\_",
    "- [ ] task\n- loose\n\n- list\n\n* other\n+ marker\n\ntext<br>more",
    "Ünïcödé — ‘x’ “y” 😀 é\u{301}\n\n<!-- comment -->\n\n<?php x ?>\n",
  ]

  func testTheWalkerWritesWhatCmarkWrites() throws {
    var sources = Self.tricky
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    for folder in ["notebooks", "Tests/Fixtures"] {
      let dir = root.appendingPathComponent(folder)
      for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      where file.hasSuffix(".md") {
        guard let notebook = try? Notebook.load(path: dir.appendingPathComponent(file).path) else { continue }
        for case .prose(let prose) in notebook.nodes {
          // Math, inline values, references and callouts are Handout's own, not cmark's.
          let own = prose.allInlines.contains {
            switch $0 {
            case .math, .inlineValue, .reference, .captionMarker: true
            default: false
            }
          }
          let callout = prose.blocks.contains { if case .callout = $0 { true } else { false } }
          if !own, !callout { sources.append(prose.markdown) }
        }
      }
    }
    XCTAssertGreaterThan(sources.count, 40)
    for markdown in sources {
      var renderer = ProseRenderer()
      let walked = renderer.render(ProseRenderer.parse(markdown), headings: false)
      XCTAssertEqual(walked, CommonMark.referenceHTML(markdown), markdown)
    }
  }
}
