// The final write: the only code that touches the output folder.
//
// Layout (linked pages, the default):
//
//     out/<name>.html  -> <name>/.page.html   a relative symlink, made once, then never changed
//     out/<name>/          the handout's folder: its figures, the page itself (`.page.html`), its
//                          deck and its PDF
//     out/<name>.slides.html -> <name>/.slides.html   the slide deck (`render --slides`), the same way
//     out/<name>.pdf   -> <name>/.handout.pdf  the printed handout (`render --pdf`), the same way
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
  /// Handouts (by name) of `completeFolders` that are not among the outcomes but whose notebooks
  /// are still there (preview publishes only the notebooks that changed): kept as they are, as if
  /// rendered. Any other handout of a complete folder that is not among the outcomes is dropped.
  public var stillThere: Set<String> = []
  /// When this render happened: "failing since" for a notebook that starts failing now.
  public var now: Date
  /// Who the handouts are for: every notebook's values go through `Profile.apply` before anything
  /// is made from them (pages, decks, PDFs, figures folder, index entry). Default `.instructor`.
  public var profile: Profile

  /// Also write each handout's slide deck, `<name>.slides.html` (a link to
  /// `<name>/.slides.html`), woven from the same run as the page.
  public var slides: Bool

  /// Whether each handout gets its PDF (`<name>.pdf`). Default `.none`.
  public var pdf: PDFPublishing = .none

  /// `--force`: a folder whose handouts were written for the other profile has them removed
  /// first (only files Handout wrote). Default: such a folder is refused before anything changes.
  public var replaceOtherProfile = false

  /// Preview: the decks and PDFs an earlier render made stay, brought up to date from this run
  /// (a deck woven again; a PDF as this says: printed again when its page changed, or kept as it
  /// is). Default nil: a handout gets only what `slides` and `pdf` ask for, and the rest goes.
  public var keepProducts: PDFPublishing?

  /// Preview: the handouts (by name) this preview published before, so a page of theirs that
  /// changed changed with an edit; another's page differs from the one a render wrote (an edit
  /// before preview started, or the render's other options), and a PDF withheld says so.
  public var previewedBefore: Set<String> = []

  /// Handouts (by name) already in the folder, published again from their cached runs only so
  /// their links to the previous and next handout follow this render: each keeps the deck and PDF
  /// it has (the PDF printed again when this render prints), and gets no other.
  public var neighbours: Set<String> = []

  /// Where the stamps of the files Handout owns in the folder are kept between renders
  /// (`OwnedStamps.location`, in the cache), so a file unchanged since is not read again to be
  /// known as Handout's; nil: every owned file is read and hashed.
  public var ownedStamps: URL? = nil

  /// Options; by default a failing page goes beside the good handout, no folder is complete (no
  /// handout is forgotten), now is the current time, no decks, no PDF, and the instructor's
  /// profile. `completeFolders` are made absolute and standardized here, relative to the working
  /// folder.
  public init(
    publishFailures: Bool = false, completeFolders: [String] = [], now: Date = Date(), slides: Bool = false,
    pdf: PDFPublishing = .none, profile: Profile = .instructor, replaceOtherProfile: Bool = false
  ) {
    self.replaceOtherProfile = replaceOtherProfile
    self.pdf = pdf
    self.publishFailures = publishFailures
    self.slides = slides
    self.completeFolders = Set(completeFolders.map(Publisher.absolute))
    self.now = now
    self.profile = profile
  }
}

extension PublishOptions {
  /// Whether this render has the folder `folder` (absolute, standardized) whole
  /// (`completeFolders`), comparing the paths' bytes: `lectures-é/` with é as one code point and
  /// as `e` and a combining accent are two folders, which `Set<String>` holds for one (a render of
  /// one dropped the other's handouts).
  func hasWhole(_ folder: String) -> Bool { completeFolders.contains { $0.utf8.elementsEqual(folder.utf8) } }

  /// Whether the handout `name` is among `stillThere`, by its bytes (see `hasWhole`).
  func isStillThere(_ name: String) -> Bool { stillThere.contains { $0.utf8.elementsEqual(name.utf8) } }
}

/// What a render does about each handout's PDF, `<name>.pdf` → `<name>/.handout.pdf` (it lives in
/// the handout's folder, so page, figures and PDF change together).
public enum PDFPublishing: Sendable {
  /// No PDF: one left by an earlier render goes, since it would no longer match the page.
  case none
  /// Print one with this printer. When printing fails, the error names the notebook and the
  /// previous PDF is kept.
  case print(PDFPrinter)
  /// Keep the previous PDF as it is (a handout published again only for its links).
  case keepPrevious
  /// Printing was asked for but is impossible (no Chromium; why): a handout that has a PDF is kept
  /// whole, page, deck and PDF, as when a print fails (the new page beside the old PDF would say
  /// what the PDF does not); one without a PDF gets its page.
  case unprintable(String)
}

/// The final write: with `OutputFolder` and the manifest, the only code that touches the output
/// folder (its layout, and why each handout changes in one step, at the top of this file).
public enum Publisher {
  static let stagingPrefix = ".handout-staging-"
  static let manifestName = ".handout-manifest.json"
  /// The page inside its handout's folder (hidden: the folder is what slides take figures from).
  static let pageName = ".page.html"
  /// The slide deck inside its handout's folder, linked as `<name>.slides.html`.
  static let slidesName = ".slides.html"
  /// The printed handout inside its folder, linked as `<name>.pdf`.
  static let pdfName = ".handout.pdf"
  /// Beside it: the key of the page it was printed from (`PDFPrinter.key(page:)`).
  static let pdfKeyName = ".handout.pdf.key"
  static let failedSuffix = ".failed"

  /// Writes every outcome's handout, `<out>/assets/`, `<out>/index.html` (every handout of the
  /// folder, from its manifest) and the manifest; what each holds is made by `make`
  /// (`Pipeline.makers`).
  ///
  /// A notebook that fails (does not compile, traps, times out, fails a check) and has a good
  /// handout keeps it: its page goes to `<name>.failed.html` unless `options.publishFailures`.
  /// A notebook that is good again loses its `.failed` page. A notebook that could not be parsed or
  /// run keeps whatever it had.
  ///
  /// Each handout's page, deck and PDF are made by `make.handout`, asked once the handout's names
  /// are known free of a user's files; the index by `make.index` once `index.html` is, and the
  /// asset files by `make.assets`. Publish only stages and swaps them.
  ///
  /// - Returns: what was written, and problems of the write itself (a template error, a full
  ///   disk, …), each saying what happened to the previous handout; notes naming each good
  ///   handout kept over a failing page.
  /// - Throws: `HandoutError.file` when the output folder cannot be written at all (then
  ///   nothing in it changed).
  public static func publish(
    _ outcomes: [NotebookOutcome], to out: URL, weave: WeaveOptions,
    options: PublishOptions = PublishOptions(), make: ProductMakers
  ) throws -> PublishReport {
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
    } catch {
      throw HandoutError.file(FileError(out, error).writing)
    }
    let lock = open(out.path, O_RDONLY | O_CLOEXEC)
    defer { if lock >= 0 { close(lock) } }
    // Without the lock (a file system without flock) another render's staging could be live.
    let locked = lock >= 0 && flock(lock, LOCK_EX) == 0
    if locked { removeLeftovers(in: out) }

    var report = PublishReport()
    let manifest = Manifest.load(from: out.appendingPathComponent(manifestName))
    if let warning = manifest.warning { report.problems.append(Diagnostic(.warning, warning, at: nil)) }
    if let other = manifest.otherProfile(than: options.profile) {
      guard options.replaceOtherProfile else {
        throw HandoutError.file(
          FileError(path: out.path, reason: Publisher.otherProfileProblem(other, options.profile)).writing)
      }
      // Only a whole other edition is replaced: none of its pages may stay beside this one's.
      if let kept = otherEditionKept(manifest, in: out) {
        throw HandoutError.file(FileError(path: out.path, reason: forcedProblem(other, keptBy: kept)).writing)
      }
    }
    var folder = OutputFolder.reopened(out, manifest: manifest)
    OwnedStamps.apply(
      from: options.ownedStamps, to: &folder.manifest.ownership, out: out, sources: folder.known)
    do {
      try fm.createDirectory(at: folder.staging, withIntermediateDirectories: false)
    } catch {
      throw HandoutError.file(FileError(out, error).writing)
    }
    defer { try? removeTree(folder.staging) }
    // Made and staged beside the handouts (`StagedAssets`); done before the staging folder goes.
    let assets = StagedAssets(
      weave: weave, make: make.assets, current: folder.url(weave.assetsPath),
      staged: folder.staging.appendingPathComponent(weave.assetsPath))
    defer { _ = assets.result() }
    try replaceOtherEdition(in: &folder, for: options.profile)
    folder.manifest.profile = options.profile.rawValue
    let order = courseOrder(outcomes, manifest: folder.manifest, out: out, options: options)
    report.add(
      publishNotebooks(
        outcomes, into: &folder, order: order, weave: weave, options: options,
        linksBefore: Self.linksBefore(linksKept(outcomes, options: options), in: folder, out: out),
        prepare: make.prepare,
        make: make.handout)
    )
    report.problems += dropMissing(outcomes, from: &folder, options: options)

    if let problem = installAssets(into: &folder, weave: weave, staged: assets) {
      report.problems.append(problem)
    }
    if let problem = publishIndex(into: &folder, weave: weave, make: make.index) {
      report.problems.append(problem)
    } else {
      report.index = true
    }
    report.problems += save(in: &folder)
    OwnedStamps.save(
      folder.manifest.ownership, to: options.ownedStamps, out: out, sources: folder.known, locked: locked)
    return report
  }

  /// The manifest of `out`, its files' stamps from `options.ownedStamps` (see `OwnedStamps`).
  static func loadManifest(of out: URL, options: PublishOptions) -> Manifest {
    var manifest = Manifest.load(from: out.appendingPathComponent(manifestName))
    OwnedStamps.apply(from: options.ownedStamps, to: &manifest.ownership, out: out)
    return manifest
  }

  /// Forgets the handouts of notebooks gone from a folder this render had whole, files and all.
  static func dropMissing(
    _ outcomes: [NotebookOutcome], from folder: inout OutputFolder, options: PublishOptions
  ) -> [Diagnostic] {
    // By their bytes: see `PublishOptions.hasWhole`.
    let rendered = Set(outcomes.map { Array(($0.notebook?.name ?? Notebook.name(forPath: $0.path)).utf8) })
    var problems: [Diagnostic] = []
    for entry in folder.manifest.handouts
    where !rendered.contains(Array(entry.name.utf8)) && !options.isStillThere(entry.name) {
      let source = URL(fileURLWithPath: entry.source, relativeTo: folder.out).standardizedFileURL
        .deletingLastPathComponent().path
      guard options.hasWhole(source) else { continue }
      do {
        try forget(entry.name, in: &folder)
      } catch {
        problems.append(
          problem(error, "the handout of \(entry.source), which is gone, was not removed", at: nil))
      }
    }
    return problems
  }

  /// Removes a handout, its failing page too, and its manifest entry (only files Handout wrote).
  static func forget(_ name: String, in folder: inout OutputFolder) throws {
    try folder.removeHandout(name + failedSuffix)
    try folder.removeHandout(name)
    folder.manifest.remove(name)
  }

  static func save(in folder: inout OutputFolder) -> [Diagnostic] {
    do {
      try folder.saveManifest()
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
    if let error = error as? ForeignFileError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    if let error = error as? PDFNotPrinted { return Diagnostic(.error, "\(what): \(error)", at: place) }
    if let error = error as? FileError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    if case .file(let error) = error as? HandoutError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    if error is WeaveError || error is HandoutError {
      return Diagnostic(.error, "\(what): \(error)", at: place)
    }
    // Foundation's own errors (a full disk, a read-only folder) print as a dump; say it plainly.
    let path = (error as NSError).userInfo[NSFilePathErrorKey] as? String
    return Diagnostic(
      .error, "\(what): \(path.map { "\($0): " } ?? "")\(FileError.reason(of: error, at: path))", at: place)
  }

  // MARK: Files

  /// Removes what interrupted renders left: every staging entry of `out` (`isStagingName`). Call
  /// only while holding the folder's lock (a live render's staging is then impossible).
  static func removeLeftovers(in out: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
    for name in names where isStagingName(name) {
      try? removeTree(out.appendingPathComponent(name))
    }
  }

  /// Whether `name` has the shape of a staging entry a render makes (`OutputFolder`):
  /// `.handout-staging-<uuid>`, or that and `-<n>`. Anything else is the user's, whatever it
  /// starts with (`.handout-staging-notes/` was deleted with every file in it).
  static func isStagingName(_ name: String) -> Bool {
    guard name.utf8.starts(with: stagingPrefix.utf8) else { return false }
    let rest = Substring(name.utf8.dropFirst(stagingPrefix.utf8.count))
    let uuidLength = 36
    guard rest.utf8.count >= uuidLength, UUID(uuidString: String(rest.prefix(uuidLength))) != nil else {
      return false
    }
    let tail = rest.dropFirst(uuidLength)
    return tail.isEmpty
      || (tail.first == "-" && tail.count > 1 && tail.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
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

  /// The names a handout `target` has in the output folder: its folder, page, deck and PDF.
  static func names(of target: String) -> [String] {
    [target, "\(target).html", "\(target).slides.html", "\(target).pdf"]
  }

  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// `path` relative to the folder `base` (`../notebooks/01.md`), both made absolute first.
  static func relativePath(of path: String, from base: URL) -> String {
    let target = absolute(path).split(separator: "/", omittingEmptySubsequences: true)
    let from = absolute(base.path).split(separator: "/", omittingEmptySubsequences: true)
    var common = 0
    while common < min(target.count, from.count), target[common] == from[common] { common += 1 }
    let up = Array(repeating: "..", count: from.count - common)
    return (up + target[common...].map(String.init)).joined(separator: "/")
  }
}

extension OutputFolder {
  /// The folder `out` as a render finds it, with its `manifest`: what a render stopped before its
  /// last save left pending is settled first against what is on disk (`Ownership.settle`). A
  /// render stopped after a swap leaves the new version recorded only as pending; were it left so,
  /// the next render's own pending record would replace it, and a render stopped again before its
  /// swap would leave a file on disk that no record owns (refused as the user's ever after).
  /// Its entries' pages are settled the same way (`Manifest.settlePages`).
  static func reopened(_ out: URL, manifest: Manifest) -> OutputFolder {
    var folder = OutputFolder(out: out, manifest: manifest)
    folder.manifest.settlePages(in: out)
    folder.manifest.ownership.settle(Array(manifest.ownership.pending.keys), in: out)
    return folder
  }
}
