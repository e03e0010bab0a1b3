// The course index: one entry per handout, through `index.mustache`.
import Foundation

/// One handout on the course index.
public struct IndexEntry: Equatable, Sendable {
  /// Notebook name (file name without `.md`).
  public var name: String
  /// The front matter's title, else the notebook name: the entry's link text.
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

  /// The entry for a notebook and its run: title from front matter (else the name), counts from
  /// `run.checks`, `failed` from `run.failed`, `problem` from the first error diagnostic or block
  /// failure.
  public init(notebook: Notebook, run: RunResult, href: String? = nil) {
    let checks = run.checks
    let firstProblem =
      run.diagnostics.first { $0.severity == .error }?.message
      ?? run.blocks.keys.sorted().lazy.compactMap { run.blocks[$0]?.failure?.message }.first
    self.init(
      name: notebook.name, title: notebook.frontMatter.title ?? notebook.name,
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
    let passed = entries.reduce(0) { $0 + $1.checksPassed }
    let failed = entries.reduce(0) { $0 + $1.checksFailed }
    let failedHandouts = entries.filter(\.failed).count
    let course = entries.lazy.compactMap(\.course).first
    let items: [[String: Any]] = entries.map { e in
      var item: [String: Any] = [
        "name": e.name, "title": e.title, "href": PageBuilder.hrefEncode(e.href), "passed": e.checksPassed,
        "failed": e.checksFailed, "isFailed": e.failed, "isOK": !e.failed,
        "statusText": statusText(passed: e.checksPassed, failed: e.checksFailed, broken: e.failed),
        "statusClass": statusBadge(passed: e.checksPassed, failed: e.checksFailed, broken: e.failed).cls,
        "statusMark": statusBadge(passed: e.checksPassed, failed: e.checksFailed, broken: e.failed).mark,
      ]
      if let s = e.subtitle { item["subtitle"] = s }
      if let p = e.problem { item["problem"] = p }
      item["hasPage"] = e.hasPage
      if let since = e.failingSince {
        // `2026-11-26T12:40:05Z` → `2026-11-26 12:40 UTC`.
        item["isFailing"] = true
        item["failingSinceISO"] = since
        item["failingSince"] = since.replacingOccurrences(of: "T", with: " ").prefix(16) + " UTC"
      }
      if let failed = e.failedHref { item["failedHref"] = PageBuilder.hrefEncode(failed) }
      if let slides = e.slidesHref { item["slidesHref"] = PageBuilder.hrefEncode(slides) }
      if let pdf = e.pdfHref { item["pdfHref"] = PageBuilder.hrefEncode(pdf) }
      return item
    }
    var context: [String: Any] = [
      "title": course ?? "Handouts",
      "entries": items,
      "hasEntries": !items.isEmpty,
      "checksPassed": passed,
      "checksFailed": failed,
      "handoutsFailed": failedHandouts,
      "allOK": failedHandouts == 0,
      "summary": failedHandouts == 0
        ? "\(entries.count) handout\(entries.count == 1 ? "" : "s"), \(passed) check\(passed == 1 ? "" : "s") verified"
        : "\(failedHandouts) of \(entries.count) handouts failed",
      "styles": try styles(options: options, templates: templates, katex: false),
      "generator": options.generator,
    ]
    if let apiReference { context["apiReference"] = apiReference }
    return template.render(context)
  }
}
