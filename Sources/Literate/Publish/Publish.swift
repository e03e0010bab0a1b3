// The final write: the only code that touches the output folder.
//
// Layout (linked pages, the default):
//
//     out/<name>.html  -> <name>/.page.html   a relative symlink, made once, then never changed
//     out/<name>/          the handout's folder: its figures and the page itself (`.page.html`)
//     out/<name>.failed.html, out/<name>.failed/   the same pair for a failing page kept beside
//                          the last good handout
//     out/index.html, out/assets/, out/.handout-manifest.json
//
// Why the page lives inside its figures folder: a page and its figures must change together, and
// the only change a file system makes at once is one directory entry. A page file beside its
// figures folder is two entries, so some moment between the two moves shows a new page with old
// figures (or an old page with new ones), and a SIGKILL at that moment keeps it so. Here a render
// builds the whole new folder under a staging name in `out/`, then swaps it with `out/<name>/`
// by `renameat2(RENAME_EXCHANGE)`: one atomic step, after which the staging name holds the old
// folder, which is deleted. The symlink `<name>.html` resolves through `<name>/`, so whichever
// folder is in place, the page and the figures a reader gets are from the same render. A SIGKILL
// at any moment leaves either the old pair or the new one, plus a staging folder that the next
// render deletes. (On a file system without the exchange, the old folder is moved aside first:
// between the two renames the page is missing for a moment, never mismatched.)
//
// A self-contained page embeds its figures, so it is a plain file renamed into place; its folder
// holds the figure files for slides and is swapped the same way.
//
// Renders into one folder take turns (a `flock` on the folder for the whole write), so every
// `.handout-staging-*` entry seen while holding the lock belongs to a render that died: it is
// removed first.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How `Publisher.publish` treats failing notebooks, and which handouts it may forget.
public struct PublishOptions: Sendable {
  /// Publish a failing notebook's page as `<name>.html` even over a good one (for previews).
  /// Default: the good handout stays and the failing page goes beside it as `<name>.failed.html`.
  public var publishFailures: Bool
  /// Folders (absolute, standardized) whose every notebook this render has: a handout from one of
  /// them that is not among the outcomes is dropped from the index, and its files removed.
  public var completeFolders: Set<String>
  /// When this render happened: "failing since" for a notebook that starts failing now.
  public var now: Date

  public init(publishFailures: Bool = false, completeFolders: [String] = [], now: Date = Date()) {
    self.publishFailures = publishFailures
    self.completeFolders = Set(completeFolders.map(Publisher.absolute))
    self.now = now
  }
}

extension Notebook {
  /// The `href` of output file `<name><suffix>` relative to the output folder: every byte but
  /// letters, digits and `-._~` percent-encoded, so a space, a `#` or a `javascript:` prefix
  /// in a notebook's file name stays part of the path.
  public static func href(forName name: String, suffix: String = ".html") -> String {
    var allowed = CharacterSet()
    allowed.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    return (name + suffix).addingPercentEncoding(withAllowedCharacters: allowed) ?? name + suffix
  }
}

public enum Publisher {
  static let stagingPrefix = ".handout-staging-"
  static let manifestName = ".handout-manifest.json"
  /// The page inside its handout's folder (hidden: the folder is what slides take figures from).
  static let pageName = ".page.html"
  static let failedSuffix = ".failed"

  /// Refuses, before anything runs, notebooks whose handouts would overwrite each other's or
  /// Handout's own files: two notebooks with one name (also when only the case differs: many
  /// disks treat them as one), `index`, `assets`, `<x>.failed`, `.handout…`, `.`, `..`.
  /// - Throws: `HandoutError.notebook` with one error per clash, at line 1 of the later notebook.
  public static func checkOutputNames(_ paths: [String]) throws {
    var seen: [String: String] = [:]
    var errors: [Diagnostic] = []
    for path in paths {
      let name = Notebook.name(forPath: path)
      let key = name.lowercased()
      let at = SourceLocation(file: path, line: 1)
      var reason = outputNameProblem(name)
      if reason == nil, let other = seen[key] {
        let caseNote =
          Notebook.name(forPath: other) == name
          ? "" : " (file names that differ only in case are the same on many disks)"
        reason = "its handout \(name).html would overwrite the one of \(other)\(caseNote); rename one of them"
      }
      if let reason {
        errors.append(Diagnostic(.error, reason, at: at))
      } else {
        seen[key] = path
      }
    }
    if !errors.isEmpty { throw HandoutError.notebook(errors) }
  }

  /// Why `name` cannot be a handout's output name on its own (it is not a file name, or it is
  /// one of Handout's own), or nil.
  static func outputNameProblem(_ name: String) -> String? {
    let key = name.lowercased()
    if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") {
      return "its name '\(name)' cannot name a handout; rename the file"
    } else if key == "index" {
      return "its handout would overwrite the course index (index.html); rename the file"
    } else if key == "assets" {
      return "its figures would go into assets/, which holds the stylesheet and KaTeX; rename the file"
    } else if key.hasSuffix(failedSuffix) {
      return
        "names ending in '\(failedSuffix)' are where failing pages go (\(name).html is the failing page of "
        + "\(name.dropLast(failedSuffix.count)).md); rename the file"
    } else if key.hasPrefix(".handout") {
      return "names starting with '.handout' are Handout's own files; rename the file"
    }
    return nil
  }

  /// Writes every outcome's handout, `<out>/assets/`, `<out>/index.html` (every handout of the
  /// folder, from its manifest) and the manifest.
  ///
  /// A notebook that fails (does not compile, traps, times out, fails a check) and has a good
  /// handout keeps it: its page goes to `<name>.failed.html` unless `options.publishFailures`.
  /// A notebook that is good again loses its `.failed` page. A notebook that could not be parsed or
  /// run keeps whatever it had.
  ///
  /// - Returns: problems of the write itself (a template error, a full disk, …), each saying what
  ///   happened to the previous handout; notes naming each good handout kept over a failing page.
  /// - Throws: `HandoutError.output` when the output folder cannot be written at all (then
  ///   nothing in it changed).
  public static func publish(
    _ outcomes: [NotebookOutcome], to out: URL, weave: WeaveOptions,
    options: PublishOptions = PublishOptions()
  ) throws -> [Diagnostic] {
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
    } catch {
      throw HandoutError.output(path: out.path, reason: (error as NSError).localizedDescription)
    }
    let lock = open(out.path, O_RDONLY | O_CLOEXEC)
    defer { if lock >= 0 { close(lock) } }
    // Without the lock (a file system without flock) another render's staging could be live.
    if lock >= 0 && flock(lock, LOCK_EX) == 0 { removeLeftovers(in: out) }

    var folder = OutputFolder(out: out)
    do {
      try fm.createDirectory(at: folder.staging, withIntermediateDirectories: false)
    } catch {
      throw HandoutError.output(path: out.path, reason: (error as NSError).localizedDescription)
    }
    defer { try? removeTree(folder.staging) }

    var problems: [Diagnostic] = []
    var manifest = Manifest.load(from: out.appendingPathComponent(manifestName))
    if let warning = manifest.warning { problems.append(Diagnostic(.warning, warning, at: nil)) }
    for outcome in outcomes {
      problems += publishNotebook(outcome, into: &folder, manifest: &manifest, weave: weave, options: options)
      // After each notebook, so a killed render leaves a manifest that says what is on disk; a
      // failure here is reported once, by the last save.
      _ = save(manifest, in: &folder)
    }
    problems += dropMissing(outcomes, from: &folder, manifest: &manifest, options: options)

    do {
      // A re-render usually finds them in place already: then the folder is left as it is.
      if !Weave.assetsAreCurrent(in: out, options: weave) {
        try Weave.installAssets(into: folder.staging, options: weave)
        let old = try folder.swapFolder(
          folder.staging.appendingPathComponent(weave.assetsPath), into: weave.assetsPath)
        if let old { try? removeTree(old) }
      }
    } catch {
      problems.append(problem(error, "assets were not installed", at: nil))
    }
    do {
      // `make docs` writes the API reference into `<out>/api/`: the index links it when it is there.
      let api = FileManager.default.fileExists(atPath: out.appendingPathComponent("api/index.html").path)
      let index = try Weave.index(
        entries: manifest.indexEntries(in: out), options: weave, apiReference: api ? "api/index.html" : nil)
      try folder.replaceFile("index.html", with: Data(index.utf8))
    } catch {
      problems.append(problem(error, "index.html was not written (the previous one is kept)", at: nil))
    }
    return problems + save(manifest, in: &folder)
  }

  /// One notebook: its manifest entry, then its page where the outcome says.
  static func publishNotebook(
    _ outcome: NotebookOutcome, into folder: inout OutputFolder, manifest: inout Manifest,
    weave: WeaveOptions,
    options: PublishOptions
  ) -> [Diagnostic] {
    let name = outcome.notebook?.name ?? Notebook.name(forPath: outcome.path)
    if let reason = outputNameProblem(name) {
      return [Diagnostic(.error, reason, at: SourceLocation(file: outcome.path, line: 1))]
    }
    let previous = manifest.entry(named: name)
    var entry = Manifest.Entry(outcome: outcome, name: name, previous: previous, now: options.now)
    defer { manifest.set(entry) }
    let at = SourceLocation(file: outcome.path, line: 1)
    guard let notebook = outcome.notebook, let run = outcome.run else { return [] }

    // An earlier page without a manifest (an older Handout wrote it) counts as good: kept.
    let hasGood = folder.exists("\(name).html") && (previous?.page ?? .good) == .good
    let inPlace = !outcome.failed || options.publishFailures || !hasGood
    let target = inPlace ? name : name + failedSuffix
    var problems: [Diagnostic] = []
    do {
      for message in try folder.publishHandout(
        notebook, run: run, artifacts: outcome.artifacts, as: target, weave: weave)
      {
        problems.append(Diagnostic(.error, message, at: at))
      }
    } catch {
      let kept = inPlace ? "the previous one is kept" : "the last good handout \(name).html is kept"
      return [problem(error, "the handout was not written (\(kept))", at: at)]
    }
    if inPlace {
      entry.page = outcome.failed ? .failing : .good
      entry.failedPage = false
      do {
        try folder.removeHandout(name + failedSuffix)
      } catch {
        problems.append(
          problem(error, "the old failing page \(name)\(failedSuffix).html was not removed", at: at))
        entry.failedPage = true
      }
    } else {
      entry.failedPage = true
      problems.append(
        Diagnostic(
          .note,
          "kept the last good handout \(name).html; this render's failing page is \(target).html",
          at: at))
    }
    return problems
  }

  /// Forgets the handouts of notebooks gone from a folder this render had whole, files and all.
  static func dropMissing(
    _ outcomes: [NotebookOutcome], from folder: inout OutputFolder, manifest: inout Manifest,
    options: PublishOptions
  ) -> [Diagnostic] {
    let rendered = Set(outcomes.map { $0.notebook?.name ?? Notebook.name(forPath: $0.path) })
    var problems: [Diagnostic] = []
    for entry in manifest.handouts where !rendered.contains(entry.name) {
      let source = URL(fileURLWithPath: entry.source).deletingLastPathComponent().path
      guard options.completeFolders.contains(source) else { continue }
      do {
        try folder.removeHandout(entry.name + failedSuffix)
        try folder.removeHandout(entry.name)
        manifest.remove(entry.name)
      } catch {
        problems.append(
          problem(error, "the handout of \(entry.source), which is gone, was not removed", at: nil))
      }
    }
    return problems
  }

  static func save(_ manifest: Manifest, in folder: inout OutputFolder) -> [Diagnostic] {
    do {
      try folder.replaceFile(manifestName, with: try manifest.encoded())
      return []
    } catch {
      return [
        problem(error, "\(manifestName) was not written (the index may miss handouts next time)", at: nil)
      ]
    }
  }

  /// One line for a failed write: a template's syntax error at the template's own line, so an
  /// editor jumps there; anything else at `place`.
  static func problem(_ error: Error, _ what: String, at place: SourceLocation?) -> Diagnostic {
    if case .templateSyntax(let file, let line, let column, let message) = error as? WeaveError {
      return Diagnostic(
        .error, "template syntax: \(message); fix the template (\(what))",
        at: SourceLocation(file: file, line: line, column: column))
    }
    if let error = error as? OutputError {
      return Diagnostic(.error, "\(what): \(error.path): \(error.reason)", at: place)
    }
    if error is WeaveError || error is HandoutError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    // Foundation's own errors (a full disk, a read-only folder) print as a dump; say it plainly.
    let nsError = error as NSError
    let path = (nsError.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
    return Diagnostic(.error, "\(what): \(path)\(nsError.localizedDescription)", at: place)
  }

  // MARK: Files

  /// Removes what interrupted renders left: every `.handout-staging-*` entry of `out`. Call only
  /// while holding the folder's lock (a live render's staging is then impossible).
  static func removeLeftovers(in out: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
    for name in names where name.hasPrefix(stagingPrefix) {
      try? removeTree(out.appendingPathComponent(name))
    }
  }

  /// Deletes a file or folder tree; a read-only folder in it (figures copied from a read-only
  /// place, `chmod a-w`) is made writable first.
  static func removeTree(_ url: URL) throws {
    let fm = FileManager.default
    do {
      try fm.removeItem(at: url)
    } catch {
      makeWritable(url.path)
      try fm.removeItem(at: url)
    }
  }

  private static func makeWritable(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
    chmod(path, (info.st_mode & 0o7777) | 0o700)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
      makeWritable(path + "/" + name)
    }
  }

  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }
}

/// A write into the output folder that failed, with the path a person knows (not a staging one).
struct OutputError: Error, CustomStringConvertible {
  var path: String
  var reason: String
  var description: String { "\(path): \(reason)" }

  init(_ path: URL, _ reason: String) {
    self.path = path.path
    self.reason = reason
  }

  init(_ path: URL, errno code: Int32) { self.init(path, String(cString: strerror(code))) }

  init(_ path: URL, _ error: Error) {
    if let error = error as? OutputError {
      self = error
    } else if case .io(_, let message) = error as? WeaveError {
      self.init(path, message)
    } else {
      self.init(path, (error as NSError).localizedDescription)
    }
  }
}

/// The output folder during one write: its staging names and the moves that swap things in.
struct OutputFolder {
  let out: URL
  /// This write's scratch folder inside `out`: index, manifest, asset and self-contained pages.
  let staging: URL
  private let tag = UUID().uuidString
  private var counter = 0

  init(out: URL) {
    self.out = out
    staging = out.appendingPathComponent(Publisher.stagingPrefix + tag, isDirectory: true)
  }

  /// A fresh staging name directly in `out` (same folder as what it replaces: see `swapFolder`).
  mutating func stagingName() -> URL {
    counter += 1
    return out.appendingPathComponent("\(Publisher.stagingPrefix)\(tag)-\(counter)")
  }

  func url(_ name: String) -> URL { out.appendingPathComponent(name) }

  /// Whether `out/<name>` exists (a dangling symlink does not).
  func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: url(name).path) }

  /// Writes `data` as `out/<name>` by `rename(2)`.
  mutating func replaceFile(_ name: String, with data: Data) throws {
    let temporary = stagingName()
    do {
      try Files.write(data, to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw OutputError(url(name), error)
    }
    guard rename(temporary.path, url(name).path) == 0 else {
      let code = errno
      try? FileManager.default.removeItem(at: temporary)
      throw OutputError(url(name), errno: code)
    }
  }

  /// Publishes `notebook`'s page and figures as `<target>.html` and `<target>/`, all or nothing
  /// (see the file comment).
  /// - Throws: only when `<target>`'s previous page and figures are as they were.
  /// - Returns: what went wrong after the swap (an old folder that could not be deleted, …).
  mutating func publishHandout(
    _ notebook: Notebook, run: RunResult, artifacts: Artifacts?, as target: String, weave: WeaveOptions
  ) throws -> [String] {
    let fm = FileManager.default
    let staged = stagingName()
    var keep = false
    defer { if !keep { try? Publisher.removeTree(staged) } }
    do {
      let source = artifacts?.figures.appendingPathComponent(notebook.name, isDirectory: true)
      if let source, fm.fileExists(atPath: source.path) {
        try fm.copyItem(at: source, to: staged)
      } else {
        try fm.createDirectory(at: staged, withIntermediateDirectories: false)
      }
    } catch {
      throw OutputError(url(target), error)
    }
    var options = weave
    options.figureRoot = artifacts?.figures
    // A linked page names its figures by where they will be; an embedded one reads them in the run.
    let page = weave.selfContained ? run : run.relocatingFigures(from: notebook.name, to: target)
    let html = Data(try Weave.page(notebook: notebook, run: page, options: options).utf8)

    if weave.selfContained {
      try replaceFile("\(target).html", with: html)
      var messages: [String] = []
      do {
        if let old = try swapFolder(staged, into: target) { messages += remove(old, was: target) }
        keep = true
      } catch {
        messages.append(
          "\(target).html was written, but the figure files in \(target)/ are still the previous ones: \(OutputError(url(target), error).reason)"
        )
      }
      return messages
    }

    do {
      try Files.write(html, to: staged.appendingPathComponent(Publisher.pageName))
    } catch {
      throw OutputError(url("\(target).html"), error)
    }
    let linkedLater = try linkPage(target)
    let old = try swapFolder(staged, into: target)
    keep = true
    var messages: [String] = []
    if linkedLater {
      do {
        try replaceLink(target)
      } catch {
        messages.append(
          "the figures in \(target)/ are new, but \(target).html is still the previous page: \(error); render again"
        )
      }
    }
    if let old { messages += remove(old, was: target) }
    return messages
  }

  /// Makes `<target>.html` the symlink to `<target>/.page.html` before the folder swap, when that
  /// loses nothing. Returns true when it must wait until after the swap.
  ///
  /// - A missing page, or the symlink already: nothing to lose.
  /// - A plain page file (an older Handout, or a self-contained page) beside its folder: it is
  ///   hard-linked into that folder as `.page.html` first, so the symlink shows the same page
  ///   until the swap. Where that fails, or without a folder, the symlink waits for the swap (a
  ///   self-contained page needs no figures; an old one meets new figures for that one moment).
  private mutating func linkPage(_ target: String) throws -> Bool {
    let link = url("\(target).html")
    let wanted = "\(target)/\(Publisher.pageName)"
    if let current = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
      if current != wanted { try replaceLink(target) }
      return false
    }
    var info = stat()
    guard lstat(link.path, &info) == 0 else {
      try replaceLink(target)
      return false
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw OutputError(link, "is not a file; remove it")
    }
    let adopted = url(target).appendingPathComponent(Publisher.pageName)
    unlink(adopted.path)
    guard hardLink(link.path, adopted.path) == 0 else { return true }
    try replaceLink(target)
    return false
  }

  /// Points `<target>.html` at `<target>/.page.html`, atomically.
  private mutating func replaceLink(_ target: String) throws {
    let temporary = stagingName()
    let link = url("\(target).html")
    guard symlink("\(target)/\(Publisher.pageName)", temporary.path) == 0 else {
      let code = errno
      guard code == EPERM || code == ENOTSUP || code == ENOSYS else { throw OutputError(link, errno: code) }
      // FAT and exFAT (a USB stick) have no symlinks.
      throw OutputError(
        link,
        "this file system has no symbolic links, which a linked handout needs (\(String(cString: strerror(code)))); "
          + "render elsewhere and copy it with `cp -rL`, or use --self-contained")
    }
    guard rename(temporary.path, link.path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw OutputError(link, errno: code)
    }
  }

  /// Puts the folder `staged` at `out/<name>` in one step: exchanged with the folder there, so no
  /// moment shows a mix or nothing.
  /// - Returns: where the previous folder now is (to delete), or nil when there was none.
  /// - Throws: when `out/<name>` is as it was.
  mutating func swapFolder(_ staged: URL, into name: String) throws -> URL? {
    let destination = url(name)
    var info = stat()
    guard lstat(destination.path, &info) == 0 else {
      guard rename(staged.path, destination.path) == 0 else { throw OutputError(destination, errno: errno) }
      return nil
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      // A handout's folder is staged in `out` itself: an exchange within one folder needs no
      // write permission on the two folders (a read-only figures folder is still replaced).
      let result = exchange(staged.path, destination.path)
      if result == 0 { return staged }
      guard result == EINVAL || result == ENOSYS || result == ENOTSUP else {
        throw OutputError(destination, errno: result)
      }
      return try moveAsideAndIn(staged, to: destination)
    }
    return try moveAsideAndIn(staged, to: destination)
  }

  /// The portable two-step replacement: the old entry aside, the new one in (and the old one
  /// back if that fails). Between the two steps `destination` does not exist.
  private mutating func moveAsideAndIn(_ staged: URL, to destination: URL) throws -> URL {
    let aside = stagingName()
    guard rename(destination.path, aside.path) == 0 else { throw OutputError(destination, errno: errno) }
    guard rename(staged.path, destination.path) == 0 else {
      let code = errno
      rename(aside.path, destination.path)
      throw OutputError(destination, errno: code)
    }
    return aside
  }

  /// Removes `<name>.html` and `<name>/` (a failing page no longer needed, a dropped notebook):
  /// the page first, so no moment shows it without its figures.
  mutating func removeHandout(_ name: String) throws {
    let link = url("\(name).html")
    var info = stat()
    if lstat(link.path, &info) == 0, unlink(link.path) != 0 { throw OutputError(link, errno: errno) }
    if lstat(url(name).path, &info) == 0 {
      let aside = stagingName()
      guard rename(url(name).path, aside.path) == 0 else { throw OutputError(url(name), errno: errno) }
      try? Publisher.removeTree(aside)
    }
  }

  private func remove(_ old: URL, was name: String) -> [String] {
    do {
      try Publisher.removeTree(old)
      return []
    } catch {
      return [
        "the previous \(name)/ could not be deleted (\(OutputError(old, error).reason)); it is left as \(old.lastPathComponent), which the next render removes"
      ]
    }
  }

  /// Exchanges two paths at once: 0, or the error number (EINVAL/ENOSYS where the file system or
  /// the C library cannot).
  private func exchange(_ a: String, _ b: String) -> Int32 {
    #if canImport(Glibc)
      // Swift's Glibc module leaves out `renameat2` (it needs _GNU_SOURCE): looked up by name.
      typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return ENOSYS }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 1 << 1  // linux/fs.h
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 ? 0 : errno
    #elseif canImport(Darwin)
      return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0 ? 0 : errno
    #else
      return ENOSYS
    #endif
  }
}

/// `link(2)` (a local named `link` would hide it).
private func hardLink(_ from: String, _ to: String) -> Int32 { link(from, to) }

extension RunResult {
  /// The same run with its figure files under `<target>/` instead of `<name>/` (a failing page's
  /// own folder).
  func relocatingFigures(from name: String, to target: String) -> RunResult {
    guard name != target else { return self }
    var result = self
    let prefix = name + "/"
    for (k, block) in blocks {
      var block = block
      for i in block.figures.indices {
        block.figures[i].files = block.figures[i].files.mapValues { file in
          file.hasPrefix(prefix) ? target + "/" + file.dropFirst(prefix.count) : file
        }
      }
      result.blocks[k] = block
    }
    return result
  }
}

// MARK: - The manifest

/// `<out>/.handout-manifest.json`: every handout of the folder, so the index lists them all when
/// one notebook is rendered alone, and since when each is failing.
struct Manifest: Codable {
  enum Page: String, Codable { case good, failing }

  struct Entry: Codable, Equatable {
    var name: String
    /// The notebook's absolute path when it was last rendered.
    var source: String
    var title: String
    var subtitle: String?
    var course: String?
    var checksPassed = 0
    var checksFailed = 0
    /// The last render failed.
    var failed = false
    var problem: String?
    /// ISO 8601 time of the first failing render of the current run of failures.
    var failingSince: String?
    /// What `<name>.html` shows, if it was written.
    var page: Page?
    /// A `<name>.failed.html` is published beside the good page.
    var failedPage = false
  }

  var version = 1
  var handouts: [Entry] = []
  /// Why the manifest in place could not be read (it is then started again).
  var warning: String? = nil

  enum CodingKeys: String, CodingKey { case version, handouts }

  static func load(from url: URL) -> Manifest {
    guard let data = try? Data(contentsOf: url) else { return Manifest() }
    do {
      return try JSONDecoder().decode(Manifest.self, from: data)
    } catch {
      var fresh = Manifest()
      fresh.warning =
        "\(url.path) could not be read (\(error)); it is written anew and the index lists this render's handouts"
      return fresh
    }
  }

  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self) + Data("\n".utf8)
  }

  func entry(named name: String) -> Entry? { handouts.first { $0.name == name } }

  mutating func set(_ entry: Entry) {
    if let i = handouts.firstIndex(where: { $0.name == entry.name }) {
      handouts[i] = entry
    } else {
      handouts.append(entry)
    }
  }

  mutating func remove(_ name: String) { handouts.removeAll { $0.name == name } }

  /// The index's entries, by notebook path: a link only to pages that exist.
  func indexEntries(in out: URL) -> [IndexEntry] {
    handouts.sorted { ($0.source, $0.name) < ($1.source, $1.name) }.map { e in
      var entry = IndexEntry(
        name: e.name, title: e.title, subtitle: e.subtitle, course: e.course,
        href: Notebook.href(forName: e.name), checksPassed: e.checksPassed, checksFailed: e.checksFailed,
        failed: e.failed, problem: e.problem)
      let fm = FileManager.default
      entry.hasPage = fm.fileExists(atPath: out.appendingPathComponent("\(e.name).html").path)
      entry.failingSince = e.failed ? e.failingSince : nil
      let failed = e.name + Publisher.failedSuffix
      if e.failedPage, fm.fileExists(atPath: out.appendingPathComponent("\(failed).html").path) {
        entry.failedHref = Notebook.href(forName: failed)
      }
      return entry
    }
  }
}

extension Manifest.Entry {
  /// The entry after `outcome`: what it says now, the page and failing time carried over.
  init(outcome: NotebookOutcome, name: String, previous: Manifest.Entry?, now: Date) {
    let notebook = outcome.notebook
    self.init(
      name: name, source: Publisher.absolute(outcome.path),
      title: notebook?.frontMatter.title ?? previous?.title ?? name,
      subtitle: notebook.map { $0.frontMatter.subtitle } ?? previous?.subtitle,
      course: notebook.map { $0.frontMatter.course } ?? previous?.course)
    if let notebook, let run = outcome.run {
      let summary = IndexEntry(notebook: notebook, run: run)
      checksPassed = summary.checksPassed
      checksFailed = summary.checksFailed
      problem = summary.problem
    } else if let error = outcome.error {
      problem = String(error.description.split(separator: "\n").first ?? "")
    }
    failed = outcome.failed
    failingSince = failed ? previous?.failingSince ?? Self.timestamp(now) : nil
    page = previous?.page
    failedPage = previous?.failedPage ?? false
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
