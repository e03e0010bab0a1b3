// Which notebooks a folder holds: its `*.md` files and those of its subfolders, as Quarto renders a
// project. `check notebooks/` on a course kept in `notebooks/week1/`, `notebooks/week2/` checked
// only the top folder's notebooks and said all passed (a false green), and `render` left the weeks
// out the same way.
import Foundation

extension Pipeline {
  /// A folder's notebooks and the folders they were looked for in (the folder itself first). A
  /// notebook is a `*.md` file (by its bytes, `isMarkdownName`) other than `README.md` whose name
  /// does not start with `.`; subfolders are walked except those whose names start with `.`
  /// (`.git`, `.handout-cache`) or `_` (`_shared/`, the folder's shared code; Quarto's rule), and a
  /// folder reached twice through symbolic links is walked once. Files are sorted by their path
  /// relative to `folder`, so `a.md` comes before `week1/b.md`. Folders that are not the course's
  /// are not walked either (`isNotCourse`).
  static func walk(_ folder: String) -> (notebooks: [String], folders: [String]) {
    let fm = FileManager.default
    let base = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
    // By their bytes: `Set<String>` holds `café` (é) and `café` (e and a combining accent), two
    // folders, for one.
    var visited = Set<[UInt8]>()
    var notebooks: [(relative: String, path: String)] = []
    var folders: [String] = []
    func visit(_ path: String, relative: String) {
      let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
      guard visited.insert(Array(real.utf8)).inserted else { return }
      folders.append(path)
      for name in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() where !name.hasPrefix(".") {
        let child = path == "/" ? "/\(name)" : "\(path)/\(name)"
        let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: child, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          if !name.hasPrefix("_") && !isNotCourse(child, name: name) { visit(child, relative: childRelative) }
        } else if isMarkdownName(name) && name != "README.md" {
          notebooks.append((childRelative, child))
        }
      }
    }
    visit(base, relative: "")
    return (notebooks.sorted { $0.relative < $1.relative }.map(\.path), folders)
  }

  /// A subfolder that holds no course, though `handout render .` in a course's repository meets it
  /// and its packages ship `*.md` files: a folder Handout rendered into (its manifest), a Python
  /// virtualenv (`pyvenv.cfg`, whatever its name), `node_modules/`, R's `renv/` and `packrat/`.
  private static func isNotCourse(_ path: String, name: String) -> Bool {
    if ["node_modules", "renv", "packrat"].contains(where: { Array($0.utf8) == Array(name.utf8) }) {
      return true
    }
    let fm = FileManager.default
    return fm.fileExists(atPath: "\(path)/\(Publisher.manifestName)")
      || fm.fileExists(atPath: "\(path)/pyvenv.cfg")
  }
}
