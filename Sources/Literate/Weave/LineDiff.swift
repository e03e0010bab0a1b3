// The line diff a published output that differs is shown with.

/// A line diff for published outputs (longest common subsequence; outputs are short).
enum LineDiff {
  enum Line: Equatable { case same(String), removed(String), added(String) }

  /// The lines of `expected` → `actual`. Lines equal but for trailing spaces count as the same
  /// (the runner's comparison ignores them too), so only real differences are marked; the
  /// expected line's text is kept. - Complexity: O(n·m) in lines.
  static func diff(expected: String, actual: String) -> [Line] {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard a.count * b.count <= 4_000_000 else {
      return a.map(Line.removed) + b.map(Line.added)
    }
    func key(_ s: String) -> Substring {
      var s = s[...]
      while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
      return s
    }
    let ka = a.map(key)
    let kb = b.map(key)
    var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lcs[i][j] = ka[i] == kb[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out: [Line] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, ka[i] == kb[j] {
        out.append(.same(a[i])); i += 1; j += 1
      } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
        out.append(.removed(a[i])); i += 1
      } else {
        out.append(.added(b[j])); j += 1
      }
    }
    return out
  }

  /// Escaped HTML lines: `<span class="del">- …</span>`, `<span class="ins">+ …</span>`, `  …`.
  static func html(expected: String, actual: String) -> String {
    diff(expected: expected, actual: actual).map { line in
      switch line {
      case .same(let s): "  " + HTML.escape(s)
      case .removed(let s): "<span class=\"del\">- \(HTML.escape(s))</span>"
      case .added(let s): "<span class=\"ins\">+ \(HTML.escape(s))</span>"
      }
    }.joined(separator: "\n")
  }
}
