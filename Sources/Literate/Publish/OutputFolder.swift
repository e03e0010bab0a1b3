// The output folder's own operations: staging, swapping a handout in whole, removing leftovers.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What publishing one handout wrote besides its page, and what went wrong after its swap.
struct HandoutWrite {
  /// What went wrong after the swap (an old folder that could not be deleted, a failed print, …).
  var messages: [String]
  /// A deck was written.
  var deck = false
  /// A PDF that matches the page is in place (printed, or kept because its page is the same).
  var pdf = false
}

/// The output folder during one write: its staging names and the moves that swap things in.
struct OutputFolder {
  let out: URL
  /// The folder's manifest as this write changes it; its `ownership` says which paths are
  /// Handout's to replace or remove (see `Ownership`).
  var manifest: Manifest
  /// This write's scratch folder inside `out`: index, manifest, asset and self-contained pages.
  let staging: URL
  /// Hashes of the files compared with what is in place, by stamp (`OwnedStamps`).
  let known = KnownHashes()
  private let tag = UUID().uuidString
  private var counter = 0

  init(out: URL, manifest: Manifest = Manifest()) {
    self.out = out
    self.manifest = manifest
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

  /// The first path among `names` (each at any depth) that Handout did not write, as an error.
  func refuseForeign(_ names: [String]) throws {
    for name in names {
      if let foreign = manifest.ownership.foreignPath(at: name, in: out) {
        throw ForeignFileError(out: out, relative: foreign)
      }
    }
  }

  /// Writes the manifest as it is now (with what is about to change recorded as pending), so a
  /// render stopped at any moment leaves a record that owns what is on disk.
  /// A manifest that holds those bytes already stays as it is (a render that changed nothing
  /// changes no file: a sync of the folder copies nothing).
  mutating func saveManifest() throws {
    let encoded = try manifest.encoded()
    if FileManager.default.contents(atPath: url(Publisher.manifestName).path) == encoded { return }
    try replaceFile(Publisher.manifestName, with: encoded)
  }

  /// Replaces `out/<name>`, a file Handout wrote (or nothing), with `data`, and records it.
  /// - Throws: `ForeignFileError` when `out/<name>` is not Handout's (then nothing changed).
  /// A file Handout wrote that holds `data` already is left as it is (its inode and times too: a
  /// browser or a preview does not reload it, a sync does not copy it).
  mutating func replaceOwnedFile(_ name: String, with data: Data) throws {
    try refuseForeign([name])
    let ownership = manifest.ownership
    if ownership.pending[name] == nil, ownership.files[name]?.sha256 == SHA256.hex(data),
      ownership.ownsFile(name, in: out)
    {
      return
    }
    manifest.ownership.expect(name, .file(data))
    defer { manifest.ownership.settle([name], in: out) }
    try saveManifest()
    try replaceFile(name, with: data)
  }

  /// Writes `data` as `out/<name>` by `rename(2)` (no ownership check: Handout's own names).
  mutating func replaceFile(_ name: String, with data: Data) throws {
    let temporary = stagingName()
    do {
      try Files.write(data, to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw FileError(url(name), error)
    }
    guard rename(temporary.path, url(name).path) == 0 else {
      let code = errno
      try? FileManager.default.removeItem(at: temporary)
      throw FileError(url(name), errno: code)
    }
  }

  /// Publishes the handout `order` describes: its page and figures as `<target>.html` and
  /// `<target>/`, all or nothing (see the file comment); with a deck, that as
  /// `<target>.slides.html`; and its PDF as the products say (`<target>.pdf` →
  /// `<target>/.handout.pdf`). A user's file under any of these names is refused first, then
  /// `make` makes the products, then they are staged and swapped in.
  /// - Throws: only when `<target>`'s previous page and figures are as they were (a user's file,
  ///   an error of `make`, a full disk, …).
  /// - Returns: what went wrong after the swap (an old folder that could not be deleted, …), and
  ///   a print that failed (the previous PDF is then kept).
  mutating func publishHandout(_ order: ProductOrder, make: ProductMaker) throws -> HandoutWrite {
    let target = order.target
    let names = Publisher.names(of: target)
    // Before anything is made: a user's file or folder under one of these names stays as it is.
    try refuseForeign(names)
    var swappedAt: timespec? = nil
    defer { manifest.ownership.settle(names, in: out, swappedAt: swappedAt) }
    // Then made, before anything is staged or replaced (a template error keeps all).
    let products = try make(order)
    // Looked at again: making takes seconds (a PDF prints), and a folder the user made meanwhile
    // under one of these names would be swapped out and deleted with the old one.
    try refuseForeign(names)
    // What is there is what this would write: nothing to do (the links are right too).
    if isInPlace(order, products) {
      return HandoutWrite(messages: [], deck: products.deck != nil, pdf: products.pdf.matchesPage)
    }
    let (html, deck) = (products.page, products.deck)
    let staged = stagingName()
    var keep = false
    defer { if !keep { try? Publisher.removeTree(staged) } }
    // What this writes into `staged`, hashed as written (not read back: `expectFolder`).
    var staging: [String: OwnedFile] = [:]
    do {
      try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: false)
      if let artifacts = order.artifacts {
        staging = try copyFigures(of: order.run, named: order.notebook.name, from: artifacts, to: staged)
      }
    } catch {
      throw FileError(url(target), error)
    }
    let selfContained = order.weave.selfContained
    let pdfMessages = try stagePDF(
      products.pdf, into: staged, as: target, withholding: order.withholdsUnprinted)
    var written = HandoutWrite(messages: pdfMessages, deck: deck != nil)
    written.pdf = products.pdf.matchesPage && exists("\(staged.lastPathComponent)/\(Publisher.pdfName)")
    if !selfContained {
      do {
        staging[Publisher.pageName] = try Files.writeOwned(
          html, to: staged.appendingPathComponent(Publisher.pageName))
        if let deck {
          staging[Publisher.slidesName] = try Files.writeOwned(
            deck, to: staged.appendingPathComponent(Publisher.slidesName))
        }
      } catch {
        throw FileError(url("\(target).html"), error)
      }
    }
    // What is about to be in place, recorded before it is (see `Ownership.pending`).
    manifest.ownership.expectFolder(staged, as: target, written: staging)
    manifest.ownership.expect("\(target).pdf", OwnedFile(link: "\(target)/\(Publisher.pdfName)"))
    if selfContained {
      manifest.ownership.expect("\(target).html", .file(html))
      if let deck { manifest.ownership.expect("\(target).slides.html", .file(deck)) }
    } else {
      manifest.ownership.expect("\(target).html", OwnedFile(link: "\(target)/\(Publisher.pageName)"))
      manifest.ownership.expect(
        "\(target).slides.html", OwnedFile(link: "\(target)/\(Publisher.slidesName)"))
    }
    do {
      try saveManifest()
    } catch {
      throw FileError(url(Publisher.manifestName), error)
    }
    swappedAt = OwnedStamps.now()
    written.messages +=
      selfContained
      ? try swapSelfContained(staged, page: html, deck: deck, as: target, keep: &keep)
      : try swapLinked(staged, hasDeck: deck != nil, as: target, keep: &keep)
    written.messages += linkPDF(target)
    return written
  }

  /// A self-contained handout in place: its deck and page renamed in, then its folder swapped.
  private mutating func swapSelfContained(
    _ staged: URL, page html: Data, deck: Data?, as target: String, keep: inout Bool
  ) throws -> [String] {
    var messages: [String] = []
    // The deck first: when the page cannot be written after it, the deck is new and the page
    // old, both whole; when the deck cannot be written, nothing changed.
    if let deck { try replaceFile("\(target).slides.html", with: deck) }
    try replaceFile("\(target).html", with: html)
    if deck == nil {
      do { try removeDeckLink(target) } catch { messages.append("\(error)") }
    }
    do {
      if let old = try swapFolder(staged, into: target) { messages += remove(old, was: target) }
      keep = true
    } catch {
      messages.append(
        "\(target).html was written, but the figure files in \(target)/ are still the previous ones: \(FileError(url(target), error).reason)"
      )
    }
    return messages
  }

  /// A linked handout in place: its folder swapped, its page and deck links made.
  private mutating func swapLinked(_ staged: URL, hasDeck: Bool, as target: String, keep: inout Bool) throws
    -> [String]
  {
    var messages: [String] = []
    let hadPage = exists("\(target).html")
    let linkedLater = try linkPage(target)
    // The deck's link resolves through `<target>/`: until the swap it shows the old folder's deck,
    // never a deck with another render's figures; without one there, it is made after the swap.
    let deckLater = try hasDeck && linkDeck(target)
    let old = try swapFolder(staged, into: target)
    keep = true
    if !hasDeck {
      // A render without --slides: the deck went with the old folder; its link goes too.
      do { try removeDeckLink(target) } catch { messages.append("\(error)") }
    }
    if deckLater {
      do {
        try replaceLink("\(target).slides.html", to: "\(target)/\(Publisher.slidesName)")
      } catch {
        messages.append(
          "the deck is in \(target)/, but \(target).slides.html could not be linked: \(error); render again")
      }
    }
    if linkedLater {
      do {
        try replaceLink(target)
      } catch {
        let previous = hadPage ? "is still the previous page" : "could not be linked"
        messages.append(
          "the figures in \(target)/ are new, but \(target).html \(previous): \(error); render again")
      }
    }
    if let old { messages += remove(old, was: target) }
    return messages
  }

  /// Copies the figure files `run` refers to (`FigureOutput.files` under `<name>/`) from the run's
  /// figures folder into `staged`: only those, so a file the run does not name (a solution's figure
  /// under the student profile, a figure whose block failed before showing it) is not published.
  /// A named file that is missing is skipped (the page marks its figure missing).
  /// - Returns: each copy as written (`Files.written`), by its path in `staged`.
  private func copyFigures(of run: RunResult, named name: String, from artifacts: Artifacts, to staged: URL)
    throws -> [String: OwnedFile]
  {
    var written: [String: OwnedFile] = [:]
    known.learn(artifacts)
    for (relative, source) in Self.figureFiles(of: run, named: name, from: artifacts) {
      written[relative] = try known.copy(source, to: staged.appendingPathComponent(relative))
    }
    return written
  }

  /// Puts the folder `staged` at `out/<name>` in one step: exchanged with the folder there, so no
  /// moment shows a mix or nothing.
  /// - Returns: where the previous folder now is (to delete), or nil when there was none.
  /// - Throws: when `out/<name>` is as it was.
  mutating func swapFolder(_ staged: URL, into name: String) throws -> URL? {
    let destination = url(name)
    var info = stat()
    guard lstat(destination.path, &info) == 0 else {
      guard rename(staged.path, destination.path) == 0 else { throw FileError(destination, errno: errno) }
      return nil
    }
    if info.st_mode & S_IFMT == S_IFDIR {
      // A handout's folder is staged in `out` itself: an exchange within one folder needs no
      // write permission on the two folders (a read-only figures folder is still replaced).
      let result = Files.exchange(staged.path, destination.path)
      if result == 0 { return staged }
      guard result == EINVAL || result == ENOSYS || result == ENOTSUP else {
        throw FileError(destination, errno: result)
      }
      return try moveAsideAndIn(staged, to: destination)
    }
    return try moveAsideAndIn(staged, to: destination)
  }

  /// The portable two-step replacement: the old entry aside, the new one in (and the old one
  /// back if that fails). Between the two steps `destination` does not exist.
  private mutating func moveAsideAndIn(_ staged: URL, to destination: URL) throws -> URL {
    let aside = stagingName()
    guard rename(destination.path, aside.path) == 0 else { throw FileError(destination, errno: errno) }
    guard rename(staged.path, destination.path) == 0 else {
      let code = errno
      rename(aside.path, destination.path)
      throw FileError(destination, errno: code)
    }
    return aside
  }

  /// Removes `<name>.html` and `<name>/` (a failing page no longer needed, a dropped notebook):
  /// the page first, so no moment shows it without its figures.
  /// - Throws: `ForeignFileError` (and nothing removed) when one of them is not Handout's.
  mutating func removeHandout(_ name: String) throws {
    let names = Publisher.names(of: name)
    try refuseForeign(names)
    defer { manifest.ownership.settle(names, in: out) }
    var info = stat()
    for link in [url("\(name).html"), url("\(name).pdf")] where lstat(link.path, &info) == 0 {
      if unlink(link.path) != 0 { throw FileError(link, errno: errno) }
    }
    try removeDeckLink(name)
    if lstat(url(name).path, &info) == 0 {
      let aside = stagingName()
      guard rename(url(name).path, aside.path) == 0 else { throw FileError(url(name), errno: errno) }
      try? Publisher.removeTree(aside)
    }
  }

  private func remove(_ old: URL, was name: String) -> [String] {
    do {
      try Publisher.removeTree(old)
      return []
    } catch {
      return [
        "the previous \(name)/ could not be deleted (\(FileError(old, error).reason)); it is left as \(old.lastPathComponent), which the next render removes"
      ]
    }
  }
}
