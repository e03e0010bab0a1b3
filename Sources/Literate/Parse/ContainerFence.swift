// A fenced code block that Markdown opens inside a blockquote, a callout or a list item, or indented
// four spaces or more. The scanner runs only blocks whose fence starts its line (up to three spaces
// in), so this one is shown, never run; the prose lexer must read it as a block, not as a code span
// from its opening backticks to its closing ones (a ```swift block read so was an inline expression:
// its `>` markers compiled as code, or its code ran as a value shown in place of the block).

extension ProseLexer {
  /// The info words of the fenced code block the backtick run `s[i..<i + run]` opens inside a
  /// container, or nil when it opens none: at least three backticks, nothing before it on its line
  /// but container markers (`>`, a list item's `-`, `+`, `*`, `1.`, `1)`) and spaces, at least one
  /// marker or four spaces, and no backtick after it on its line.
  static func containerFence(_ s: [Character], at i: Int, run: Int) -> [String]? {
    guard run >= 3 else { return nil }
    var start = i
    while start > 0, s[start - 1] != "\n" { start -= 1 }
    let before = s[start..<i]
    guard before.allSatisfy({ " \t>-+*.)0123456789".contains($0) }),
      before.contains(where: { $0 != " " }) || before.count >= 4
    else { return nil }
    var end = i + run
    while end < s.count, s[end] != "\n" {
      if s[end] == "`" { return nil }
      end += 1
    }
    return s[(i + run)..<end].split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0) }
  }

  /// Whether a container's fenced block with `info` is Swift code meant to run (not `eval=false`).
  static func isUnrunSwift(_ info: [String]) -> Bool {
    info.first == "swift" && !info.contains("eval=false")
  }

  static let unrunFenceMessage =
    "a ```swift block inside a blockquote, callout or list item, or indented four spaces or more, is shown "
    + "but never run: Handout runs a block whose fence starts its line (up to 3 spaces in); move it there, "
    + "or add eval=false to show it only"
}
