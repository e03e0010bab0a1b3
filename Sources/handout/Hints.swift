// A second line after an error that stopped everything, for the mistakes a newcomer makes first:
// `handout` outside a course, a subcommand mistyped (read as a path: `render` is the default), a
// folder of Quarto or R Markdown files.
import Foundation

enum Hints {
  static let subcommands = ["render", "check", "preview", "tangle", "new"]

  /// What to do about `paths` when they gave no notebook to run, or nil.
  static func forPaths(_ paths: [String]) -> String? {
    let fm = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
        if path == "notebooks" {
          return "hint: there is no notebooks/ folder here: run handout in a course's folder, start one with "
            + "`handout new DIR`, or name the notebooks (`handout render x.md`)"
        }
        guard !path.contains("/"), !path.contains("."),
          let near = subcommands.min(by: { distance(path, $0) < distance(path, $1) }),
          distance(path, near) <= 2
        else { continue }
        return "hint: \(path) is no subcommand (did you mean \(near)?); they are "
          + subcommands.dropLast().joined(separator: ", ") + " and " + subcommands.last!
      }
      guard isDirectory.boolValue, let names = try? fm.contentsOfDirectory(atPath: path),
        !names.contains(where: { $0.lowercased().hasSuffix(".md") && $0 != "README.md" })
      else { continue }
      let others = names.filter { name in
        [".qmd", ".rmd", ".ipynb"].contains { name.lowercased().hasSuffix($0) }
      }.sorted()
      guard let last = others.last else { continue }
      let listed = others.count == 1 ? last : others.dropLast().joined(separator: ", ") + " and " + last
      return "hint: \(path) holds \(listed): Handout reads Markdown notebooks named *.md (```swift blocks "
        + "run; rename a .qmd or .Rmd to .md and see what check says)"
    }
    return nil
  }

  /// Levenshtein distance: the fewest one-character edits that make `a` into `b`.
  static func distance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var row = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = row
    }
    return previous[b.count]
  }
}
