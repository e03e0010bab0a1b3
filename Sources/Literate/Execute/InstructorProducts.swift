// Which files a notebook program read are the instructor's published handouts: public code that
// read `output/03-x.html` (or its deck, a figure of its folder, the index) rendered earlier with
// solutions put the answer on the student's page. A file is the instructor's when a folder above it
// holds the manifest of an instructor's edition (`.handout-manifest.json`: every file Handout
// published there, and the user's own beside them), or when it holds what only the instructor's
// page or deck shows: a solution's box or a deck's speaker notes (a copy of the page elsewhere, a
// hard link, a failing page). A student edition that read one is refused, and no run that read one
// is cached (the student edition of a notebook without solutions is its instructor's run).
import Foundation

enum InstructorProducts {
  /// What only the instructor's page, self-contained page or deck holds (`Page.swift`,
  /// `slides.mustache`): the student edition has no solution and no speaker notes.
  static let markers = [
    "<details class=\"solution\"><summary>Solution",
    "<aside class=\"notes\" aria-label=\"Speaker notes\">",
  ].map { Data($0.utf8) }

  /// The machine's own folders: no handout is published there, and the program reads its
  /// libraries, fonts and configuration there on every run. `/var/` and `/opt/` are not among
  /// them (`/var/www`).
  static let systemFolders = [
    "/usr/", "/etc/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/bin/", "/sbin/", "/run/",
    "/proc/", "/sys/", "/dev/", "/nix/", "/snap/", "/gnu/",
  ]

  /// The files of `read` (absolute) that are the instructor's published handouts, not under any of
  /// `excluded` (the run's own folders), each once, as the program named them.
  static func reads(_ read: [String], excluded: [URL]) -> [String] {
    let own = excluded.flatMap { url in
      Set([url.standardizedFileURL.path, url.resolvingSymlinksInPath().path]).map { $0 + "/" }
    }
    var folders: [String: Bool] = [:]
    var seen = Set<String>()
    return read.compactMap { path in
      let standard = URL(fileURLWithPath: path).standardizedFileURL.path
      // The machine's files (most of what a program opens: fonts, locale) are passed over before
      // any link is resolved: resolving each path costs an lstat per folder, after the run.
      guard seen.insert(standard).inserted, !systemFolders.contains(where: standard.hasPrefix) else {
        return nil
      }
      let resolved = URL(fileURLWithPath: standard).resolvingSymlinksInPath().path
      guard !own.contains(where: { standard.hasPrefix($0) || resolved.hasPrefix($0) }) else { return nil }
      let inFolder = [standard, resolved].contains { inInstructorsFolder($0, known: &folders) }
      return inFolder || holdsMarker(resolved) ? standard : nil
    }
  }

  /// Whether a folder above `path` holds the manifest of an instructor's edition.
  /// `known`: the folders already looked at.
  static func inInstructorsFolder(_ path: String, known: inout [String: Bool]) -> Bool {
    var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    while folder.path != "/" && !folder.path.isEmpty {
      let key = folder.path
      if let answer = known[key] {
        if answer { return true }
      } else {
        let manifest = folder.appendingPathComponent(".handout-manifest.json")
        var answer = false
        if FileManager.default.fileExists(atPath: manifest.path) {
          let loaded = Manifest.load(from: manifest)
          answer = (loaded.profile ?? Profile.instructor.rawValue) != Profile.student.rawValue
        }
        known[key] = answer
        if answer { return true }
      }
      folder.deleteLastPathComponent()
    }
    return false
  }

  /// Whether the regular file at `path` holds what only an instructor's page or deck shows.
  static func holdsMarker(_ path: String) -> Bool {
    guard DataInputs.isRegularOrAbsent(path),
      let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    else { return false }
    return markers.contains { data.range(of: $0) != nil }
  }

  /// The first file of the instructor's handouts that `output`'s program read, or that a `data:`
  /// glob of `notebook` copies in for it; nil when there is none.
  static func read(_ output: RunOutput, notebook: Notebook) -> String? {
    if let read = output.instructorReads.first { return read }
    let folder = Pipeline.folder(of: notebook.path)
    return reads(notebook.frontMatter.data.flatMap { DataInputs.expand($0, in: folder) }, excluded: []).first
  }

  /// The error at the notebook's first line for a student edition whose code read `path`.
  static func error(reading path: String, notebook: String) -> (Diagnostic, Diagnostic) {
    let message =
      "this notebook's code reads \(URL(fileURLWithPath: path).lastPathComponent), a file of a handout "
      + "published for the instructor (with solutions or speaker notes); "
      + "the student's page would show what the code makes of it: read another file"
    let at = SourceLocation(file: notebook, line: 1)
    return (Diagnostic(.error, message, at: at), Diagnostic(.error, message, at: at))
  }
}
