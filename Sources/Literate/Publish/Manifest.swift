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
        href: e.name + ".html", checksPassed: e.checksPassed, checksFailed: e.checksFailed,
        failed: e.failed, problem: e.problem)
      let fm = FileManager.default
      entry.hasPage = fm.fileExists(atPath: out.appendingPathComponent("\(e.name).html").path)
      entry.failingSince = e.failed ? e.failingSince : nil
      if fm.fileExists(atPath: out.appendingPathComponent("\(e.name).slides.html").path) {
        entry.slidesHref = e.name + ".slides.html"
      }
      if fm.fileExists(atPath: out.appendingPathComponent("\(e.name).pdf").path) {
        entry.pdfHref = e.name + ".pdf"
      }
      let failed = e.name + Publisher.failedSuffix
      if e.failedPage, fm.fileExists(atPath: out.appendingPathComponent("\(failed).html").path) {
        entry.failedHref = failed + ".html"
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
