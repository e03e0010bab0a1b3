// The final write: the only code that touches the output folder.
//
// Everything is first written into a staging folder inside the output folder (same file system),
// then moved into place: a file by `rename(2)` (atomic), a folder by moving the old one aside,
// moving the new one in, and deleting the old one. A notebook that could not be parsed or woven
// keeps its previous handout untouched.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public enum Publisher {
  /// Writes `<out>/<name>.html` and `<out>/<name>/` (figures) for every outcome that has a run,
  /// `<out>/assets/` and `<out>/index.html`.
  ///
  /// - Returns: per-notebook problems of the write itself (a template error, …), which leave that
  ///   notebook's previous handout in place.
  /// - Throws: `HandoutError.output` when the output folder cannot be written at all.
  public static func publish(_ outcomes: [NotebookOutcome], to out: URL, weave: WeaveOptions) throws
    -> [Diagnostic]
  {
    let fm = FileManager.default
    let staging = out.appendingPathComponent(".handout-staging-\(UUID().uuidString)", isDirectory: true)
    do {
      try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    } catch {
      throw HandoutError.output(path: out.path, reason: (error as NSError).localizedDescription)
    }
    defer { try? fm.removeItem(at: staging) }

    var problems: [Diagnostic] = []
    var staged: [String] = []
    var entries: [IndexEntry] = []
    for outcome in outcomes {
      guard let notebook = outcome.notebook, let run = outcome.run else {
        let name = Notebook.name(forPath: outcome.path)
        entries.append(
          IndexEntry(
            name: name, title: outcome.notebook?.frontMatter.title ?? name, href: "\(name).html",
            checksPassed: 0,
            checksFailed: 0, failed: true,
            problem: outcome.error.map { String($0.description.split(separator: "\n").first ?? "") }))
        continue
      }
      do {
        var options = weave
        if let figures = run.figureDirectory {
          options.figureRoot = URL(fileURLWithPath: figures, isDirectory: true)
        }
        let html = try Weave.page(notebook: notebook, run: run, options: options)
        try Files.write(Data(html.utf8), to: staging.appendingPathComponent("\(notebook.name).html"))
        staged.append("\(notebook.name).html")
        if let figures = run.figureDirectory {
          let source = URL(fileURLWithPath: figures).appendingPathComponent(notebook.name, isDirectory: true)
          if fm.fileExists(atPath: source.path) {
            try fm.copyItem(at: source, to: staging.appendingPathComponent(notebook.name, isDirectory: true))
          }
        }
        // Also when there are no figures now: a folder of stale ones must go.
        if !fm.fileExists(atPath: staging.appendingPathComponent(notebook.name).path) {
          try fm.createDirectory(
            at: staging.appendingPathComponent(notebook.name), withIntermediateDirectories: true)
        }
        staged.append(notebook.name)
        entries.append(IndexEntry(notebook: notebook, run: run))
      } catch {
        staged.removeAll { $0 == "\(notebook.name).html" || $0 == notebook.name }
        problems.append(
          problem(
            error, "the handout was not written (the previous one is kept)",
            at: SourceLocation(file: notebook.path, line: 1)))
        entries.append(IndexEntry(notebook: notebook, run: run))
      }
    }

    do {
      // A re-render usually finds them in place already: then the folder is left as it is.
      if !Weave.assetsAreCurrent(in: out, options: weave) {
        try Weave.installAssets(into: staging, options: weave)
        staged.append(weave.assetsPath)
      }
    } catch {
      problems.append(problem(error, "assets were not installed", at: nil))
    }
    do {
      let index = try Weave.index(entries: entries, options: weave)
      try Files.write(Data(index.utf8), to: staging.appendingPathComponent("index.html"))
      staged.append("index.html")
    } catch {
      problems.append(problem(error, "index.html was not written (the previous one is kept)", at: nil))
    }

    // Renders into the same folder at once stage apart; their moves take turns, or one could move
    // the other's new folder aside between its own two moves and fail.
    let lock = open(out.path, O_RDONLY)
    if lock >= 0 { flock(lock, LOCK_EX) }
    defer { if lock >= 0 { close(lock) } }
    for name in staged {
      try moveIntoPlace(
        staging.appendingPathComponent(name), to: out.appendingPathComponent(name), trashIn: staging)
    }
    return problems
  }

  /// One line for a failed write: a template's syntax error at the template's own line, so an
  /// editor jumps there; anything else at `place`.
  static func problem(_ error: Error, _ what: String, at place: SourceLocation?) -> Diagnostic {
    if case .templateSyntax(let file, let line, let column, let message) = error as? WeaveError {
      return Diagnostic(
        .error, "template syntax: \(message); fix the template (\(what))",
        at: SourceLocation(file: file, line: line, column: column))
    }
    if error is WeaveError || error is HandoutError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    // Foundation's own errors (a full disk, a read-only folder) print as a dump; say it plainly.
    let nsError = error as NSError
    let path = (nsError.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
    return Diagnostic(.error, "\(what): \(path)\(nsError.localizedDescription)", at: place)
  }

  /// Replaces `destination` by `source`: a file atomically, a folder by a swap.
  static func moveIntoPlace(_ source: URL, to destination: URL, trashIn trash: URL) throws {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    fm.fileExists(atPath: source.path, isDirectory: &isDirectory)
    do {
      if isDirectory.boolValue {
        if fm.fileExists(atPath: destination.path) {
          let old = trash.appendingPathComponent("old-\(UUID().uuidString)")
          try fm.moveItem(at: destination, to: old)
        }
        try fm.moveItem(at: source, to: destination)
      } else if rename(source.path, destination.path) != 0 {
        throw HandoutError.output(path: destination.path, reason: String(cString: strerror(errno)))
      }
    } catch let error as HandoutError {
      throw error
    } catch {
      throw HandoutError.output(path: destination.path, reason: (error as NSError).localizedDescription)
    }
  }
}
