// The course index: one entry per handout, through `index.mustache`.
import Foundation

/// One handout on the course index.
public struct IndexEntry: Equatable, Sendable {
  /// Notebook name (file name without `.md`).
  public var name: String
  /// The page's title (`Notebook.title`: front matter, else the first `#` heading, else the name): the entry's link text.
  public var title: String
  /// The front matter's subtitle, shown under the title.
  public var subtitle: String?
  /// Course name from front matter; the index is titled by the first entry that has one.
  public var course: String?
  /// Path of the handout relative to the index, as on disk, e.g. `02-ann.html`; the index
  /// percent-encodes it (`javascript:x.html` must not become a `javascript:` link).
  public var href: String
  /// How many expectations and published outputs held in the handout's run.
  public var checksPassed: Int
  /// How many did not.
  public var checksFailed: Int
  /// Anything failed: a check, a block, compilation.
  public var failed: Bool
  /// One line on why, when the notebook did not render or run (compile error, timeout, …).
  public var problem: String?
  /// Whether `href` exists (a notebook that never rendered has no page to link).
  public var hasPage = true
  /// ISO 8601 time of the first of the failing renders up to now, when failing.
  public var failingSince: String?
  /// The failing page kept beside the last good handout (`<name>.failed.html`), if any: a path as
  /// on disk, which the index percent-encodes like `href`.
  public var failedHref: String?
  /// The handout's slide deck (`<name>.slides.html`), when one was rendered: a path as on disk,
  /// percent-encoded by the index like `href`.
  public var slidesHref: String?
  /// The handout's printed PDF (`<name>.pdf`), when one was printed: a path as on disk,
  /// percent-encoded by the index like `href`.
  public var pdfHref: String?

  /// An entry with a page (`hasPage`), not failing since any earlier render.
  public init(
    name: String, title: String, subtitle: String? = nil, course: String? = nil, href: String,
    checksPassed: Int, checksFailed: Int, failed: Bool, problem: String? = nil
  ) {
    self.name = name
    self.title = title
    self.subtitle = subtitle
    self.course = course
    self.href = href
    self.checksPassed = checksPassed
    self.checksFailed = checksFailed
    self.failed = failed
    self.problem = problem
  }

  /// The entry for a notebook and its run: title as `Notebook.title` (front matter, first `#`
  /// heading, name), counts from `run.checks`, `failed` from `run.failed`, `problem` from the
  /// first error diagnostic or block failure.
  public init(notebook: Notebook, run: RunResult, href: String? = nil) {
    let checks = run.checks
    let firstProblem =
      run.diagnostics.first { $0.severity == .error }?.message
      ?? run.blocks.keys.sorted().lazy.compactMap { run.blocks[$0]?.failure?.message }.first
    self.init(
      name: notebook.name, title: notebook.title,
      subtitle: notebook.frontMatter.subtitle, course: notebook.frontMatter.course,
      href: href ?? notebook.name + ".html", checksPassed: checks.filter(\.passed).count,
      checksFailed: checks.filter { !$0.passed }.count, failed: run.failed,
      problem: firstProblem.map { String($0.split(separator: "\n").first ?? "") })
  }
}

extension Weave {
  /// The course index: every handout with its title, subtitle and check status, and a link to
  /// the API reference when `apiReference` (a relative href) is given.
  /// - Throws: `WeaveError` as `page`.
  public static func index(entries: [IndexEntry], options: WeaveOptions, apiReference: String? = nil) throws
    -> String
  {
    let templates = TemplateSet(options: options)
    let template = try templates.template(named: "index.mustache")
    let partials = try templates.partials()
    let passed = entries.reduce(0) { $0 + $1.checksPassed }
    let failed = entries.reduce(0) { $0 + $1.checksFailed }
    let failedHandouts = entries.filter(\.failed).count
    let courses = IndexContext.courses(entries.map(\.course))
    let summary =
      failedHandouts == 0
      ? "\(entries.count) handout\(entries.count == 1 ? "" : "s"), \(passed) check\(passed == 1 ? "" : "s") verified"
      : "\(failedHandouts) of \(entries.count) handouts failed"
    let context = IndexContext(
      title: courses.course ?? "Handouts", entries: entries.map(IndexContext.Entry.init),
      groups: IndexContext.groups(entries, headed: courses.headed),
      hasEntries: !entries.isEmpty,
      checksPassed: passed, checksFailed: failed, handoutsFailed: failedHandouts, allOK: failedHandouts == 0,
      summary: summary, styles: try styles(options: options, templates: templates, katex: false),
      generator: options.generator, apiReference: apiReference)
    return template.render(TemplateValue(context), library: partials)
  }
}

/// What `index.mustache` is given: the course and one entry per handout. Every string is text
/// but `styles` (HTML); every href is percent-encoded.
struct IndexContext {
  /// One handout on the index.
  struct Entry {
    /// The notebook's file name without `.md`.
    var name: String
    /// Its title (front matter, else the first `#` heading, else the name).
    var title: String
    /// Its subtitle, if any.
    var subtitle: String?
    /// Its page.
    var href: String
    /// Whether the page exists (a notebook that never rendered has none).
    var hasPage: Bool
    /// Checks that held.
    var passed: Int
    /// Checks that failed.
    var failed: Int
    /// Anything failed.
    var isFailed: Bool
    /// Nothing failed.
    var isOK: Bool
    /// `all 5 checks verified`, `1 of 5 checks failed`, …
    var statusText: String
    /// The badge's class: `ok`, `bad` or `muted`.
    var statusClass: String
    /// The badge's mark: ✓, ✗ or –.
    var statusMark: String
    /// One line on why it did not render or run.
    var problem: String?
    /// Whether it fails since an earlier render (then `failingSince` is set).
    var isFailing: Bool
    /// When it started failing: `2026-11-26 12:40 UTC`.
    var failingSince: String?
    /// The same time in ISO 8601, for `<time datetime>`.
    var failingSinceISO: String?
    /// The failing page kept beside the last good one.
    var failedHref: String?
    /// The slide deck, when one was rendered.
    var slidesHref: String?
    /// The PDF, when one was printed.
    var pdfHref: String?

    /// The entry of `e`, hrefs percent-encoded.
    init(_ e: IndexEntry) {
      let badge = Weave.statusBadge(passed: e.checksPassed, failed: e.checksFailed, broken: e.failed)
      name = e.name
      title = e.title
      subtitle = e.subtitle
      href = PageBuilder.hrefEncode(e.href)
      hasPage = e.hasPage
      passed = e.checksPassed
      failed = e.checksFailed
      isFailed = e.failed
      isOK = !e.failed
      statusText = Weave.statusText(passed: e.checksPassed, failed: e.checksFailed, broken: e.failed)
      statusClass = badge.cls
      statusMark = badge.mark
      problem = e.problem
      isFailing = e.failingSince != nil
      failingSinceISO = e.failingSince
      // `2026-11-26T12:40:05Z` → `2026-11-26 12:40 UTC`.
      failingSince = e.failingSince.map { $0.replacingOccurrences(of: "T", with: " ").prefix(16) + " UTC" }
      failedHref = e.failedHref.map(PageBuilder.hrefEncode)
      slidesHref = e.slidesHref.map(PageBuilder.hrefEncode)
      pdfHref = e.pdfHref.map(PageBuilder.hrefEncode)
    }
  }

  /// The handouts of one course, in the index's order: a run of entries that name the same one.
  struct Group {
    /// The course's name, as a heading over its handouts: set only when the index lists the
    /// handouts of more than one course.
    var course: String?
    /// Its handouts.
    var entries: [Entry]
  }

  /// The course's name (`courses(_:)`), else `Handouts`.
  var title: String
  /// The handouts, in the index's order.
  var entries: [Entry]
  /// The same handouts, in runs of one course each (`index.mustache` lists these).
  var groups: [Group]
  /// Whether `entries` is not empty.
  var hasEntries: Bool
  /// Checks that held, over all handouts.
  var checksPassed: Int
  /// Checks that failed, over all handouts.
  var checksFailed: Int
  /// Handouts that failed.
  var handoutsFailed: Int
  /// No handout failed.
  var allOK: Bool
  /// `6 handouts, 120 checks verified` or `1 of 6 handouts failed`.
  var summary: String
  /// The stylesheet (`handout.css`, linked or inlined).
  var styles: String
  /// `handout <version>`.
  var generator: String
  /// The API reference's href, when there is one.
  var apiReference: String?
}

extension IndexContext {
  /// The course that titles the index (nil: `Handouts`), and whether its handouts go under course
  /// headings, from the `course` each handout's front matter names: the course they all name; with
  /// several, the one named by more than half of those that name one, else none, and a heading over each course's
  /// handouts. (The first one's course titled the index, and 04–06 of the course named another.)
  static func courses(_ named: [String?]) -> (course: String?, headed: Bool) {
    var counts: [String: Int] = [:]
    for case let course? in named { counts[course, default: 0] += 1 }
    if counts.count == 1, let only = counts.keys.first { return (only, false) }
    let naming = counts.values.reduce(0, +)
    let majority = counts.first { $0.value * 2 > naming }?.key
    return (majority, counts.count > 1)
  }

  /// `entries` in runs of one course, each headed by its course when `headed`.
  static func groups(_ entries: [IndexEntry], headed: Bool) -> [Group] {
    var groups: [Group] = []
    for entry in entries {
      let course = headed ? entry.course : nil
      if let last = groups.last, last.course == course {
        groups[groups.count - 1].entries.append(Entry(entry))
      } else {
        groups.append(Group(course: course, entries: [Entry(entry)]))
      }
    }
    return groups
  }
}
