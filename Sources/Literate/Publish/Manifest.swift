// The output folder's manifest: which handouts it holds, which fail and since when.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - The manifest

/// `<out>/.handout-manifest.json`: every handout of the folder, so the index lists them all when
/// one notebook is rendered alone, and since when each is failing.
struct Manifest: Codable {
  enum Page: String, Codable { case good, failing }

  struct Entry: Codable, Equatable {
    var name: String
    /// The notebook's path relative to the output folder when it was last rendered (no absolute
    /// path: the folder is published as a web site). Older manifests hold an absolute one.
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
    /// What `<name>.html` shows once the render that saved this has swapped its page in; that
    /// render clears it when it saves again. One stopped in between leaves it, and the next render
    /// settles it against the disk (`settlePages`): a good page already swapped in is good.
    var pendingPage: Page?
  }

  var version = 2
  var handouts: [Entry] = []
  /// Who the folder's handouts are for (`render --profile`); nil: instructor (a manifest written
  /// before profiles were recorded).
  var profile: String? = nil
  /// Every file Handout wrote in the folder: only these are ever replaced or removed.
  var ownership = Ownership()
  /// Why the manifest in place could not be read (it is then started again), or what was dropped
  /// from it.
  var warning: String? = nil

  enum CodingKeys: String, CodingKey { case version, handouts, profile, files, pending }

  init() {}

  init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
    handouts = try c.decodeIfPresent([Entry].self, forKey: .handouts) ?? []
    profile = try c.decodeIfPresent(String.self, forKey: .profile)
    ownership.files = try c.decodeIfPresent([String: OwnedFile].self, forKey: .files) ?? [:]
    ownership.pending = try c.decodeIfPresent([String: OwnedFile].self, forKey: .pending) ?? [:]
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(version, forKey: .version)
    try c.encode(handouts, forKey: .handouts)
    try c.encodeIfPresent(profile, forKey: .profile)
    try c.encode(ownership.files, forKey: .files)
    if !ownership.pending.isEmpty { try c.encode(ownership.pending, forKey: .pending) }
  }

  /// The folder's manifest; a damaged one is started again, and entries whose names could reach
  /// outside the folder (`../victim`, `/etc`) or onto Handout's own files are dropped, so nothing
  /// is ever written or removed through them.
  static func load(from url: URL) -> Manifest {
    guard let data = try? Data(contentsOf: url) else { return Manifest() }
    var manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(Manifest.self, from: data)
    } catch {
      var fresh = Manifest()
      fresh.warning =
        "\(url.path) could not be read (\(error)); it is written anew and the index lists this render's handouts"
      return fresh
    }
    let bad = manifest.handouts.filter { Publisher.outputNameProblem($0.name) != nil }
    manifest.handouts.removeAll { Publisher.outputNameProblem($0.name) != nil }
    let ownership = manifest.ownership.validated()
    if !bad.isEmpty || ownership != manifest.ownership {
      manifest.warning =
        "\(url.path) names files outside the output folder, Handout's own, or files Handout never writes "
        + "(\(bad.map(\.name).joined(separator: ", "))); "
        + "they are ignored, and nothing is written or removed through them"
    }
    manifest.ownership = ownership
    if manifest.version < 2 { manifest.adoptLegacy(in: url.deletingLastPathComponent()) }
    manifest.version = 2
    return manifest
  }

  /// A manifest from before files were recorded (version 1) lists the handouts Handout wrote:
  /// their pages, decks, PDFs and folders, the index and the assets are taken as Handout's, as
  /// they are now, so the first render after an upgrade replaces them as before.
  mutating func adoptLegacy(in out: URL) {
    var names = ["index.html"]
    for entry in handouts {
      for base in [entry.name, entry.name + Publisher.failedSuffix] {
        names += ["\(base).html", "\(base).slides.html", "\(base).pdf"]
      }
    }
    for name in names where ownership.files[name] == nil {
      // Only what an older Handout wrote there: a page (a file, or its link), a deck or PDF link.
      // A plain deck or PDF file beside the handout is the user's (`Ownership.isCredible`).
      if var file = OwnedFile.of(out.appendingPathComponent(name).path), Ownership.isCredible(name, file),
        file.link != nil || !name.hasSuffix(".slides.html")
      {
        file.stamp = nil  // not known to be trusted (`OwnedStamps`)
        ownership.files[name] = file
      }
    }
    for folder in ["assets"] + handouts.flatMap({ [$0.name, $0.name + Publisher.failedSuffix] }) {
      for (path, var file) in Ownership.fingerprints(under: out.appendingPathComponent(folder)) {
        file.stamp = nil
        ownership.files[folder + "/" + path] = file
      }
    }
  }

  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self) + Data("\n".utf8)
  }

  func entry(named name: String) -> Entry? { handouts.first { $0.name == name } }

  /// The profile the folder's handouts were written for, when it is not `profile` and there are
  /// handouts (an empty folder is anyone's).
  func otherProfile(than profile: Profile) -> String? {
    let mine = self.profile ?? Profile.instructor.rawValue
    return mine != profile.rawValue && !handouts.isEmpty ? mine : nil
  }

  mutating func set(_ entry: Entry) {
    if let i = handouts.firstIndex(where: { $0.name == entry.name }) {
      handouts[i] = entry
    } else {
      handouts.append(entry)
    }
  }

  mutating func remove(_ name: String) { handouts.removeAll { $0.name == name } }

  /// What a stopped render left pending of its entries' pages, settled against `out` before its
  /// files are (`Ownership.settle` forgets what was pending): an entry's page is what it was
  /// about to be only where that page, as staged, is the one in place.
  mutating func settlePages(in out: URL) {
    for i in handouts.indices {
      guard let page = handouts[i].pendingPage else { continue }
      handouts[i].pendingPage = nil
      let name = handouts[i].name
      let linked = "\(name)/\(Publisher.pageName)"
      let key = ownership.pending[linked] != nil ? linked : "\(name).html"
      if let staged = ownership.pending[key], staged.sha256 != nil,
        staged.matches(out.appendingPathComponent(key).path, verified: ownership.verified)
      {
        handouts[i].page = page
      }
    }
  }

  /// The index's entries, by notebook path: a link only to pages that exist.
  func indexEntries(in out: URL) -> [IndexEntry] {
    handouts.sorted { ($0.source, $0.name) < ($1.source, $1.name) }.map { e in
      var entry = IndexEntry(
        name: e.name, title: e.title, subtitle: e.subtitle, course: e.course,
        href: e.name + ".html", checksPassed: e.checksPassed, checksFailed: e.checksFailed,
        failed: e.failed, problem: e.problem)
      // Only what Handout wrote is linked: a file of the user's with a handout's name never is.
      func has(_ name: String) -> Bool {
        ownership.ownsFile(name, in: out)
          && FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path)
      }
      entry.hasPage = has("\(e.name).html")
      entry.failingSince = e.failed ? e.failingSince : nil
      if has("\(e.name).slides.html") { entry.slidesHref = e.name + ".slides.html" }
      if has("\(e.name).pdf") { entry.pdfHref = e.name + ".pdf" }
      let failed = e.name + Publisher.failedSuffix
      if e.failedPage, has("\(failed).html") { entry.failedHref = failed + ".html" }
      return entry
    }
  }
}

extension Manifest.Entry {
  /// The entry after `outcome`: what it says now, the page and failing time carried over.
  init(outcome: NotebookOutcome, name: String, previous: Manifest.Entry?, now: Date, out: URL) {
    let notebook = outcome.notebook
    self.init(
      name: name, source: Publisher.relativePath(of: outcome.path, from: out),
      title: notebook?.title ?? previous?.title ?? name,
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
