// The context of `handout.mustache`: the handout page, its printed page (the PDF's input) and the
// student edition's page.
import Foundation

/// What `handout.mustache` is given. Triple-brace keys (`body`, `styles`, `scripts`, `abstract`,
/// a contents entry's `html`) are HTML made by the weaver; every other string is text.
struct PageContext: TitledContext {
  /// A line of the contents: a heading or an exercise, with the level-3 ones under it.
  struct ContentsSection: Sendable {
    /// The heading's (or exercise box's) anchor.
    var id: String
    /// The heading's inner HTML.
    var html: String
    /// 1, 2 or 3 (a level-3 line stands here only when no level-2 one came before it).
    var level: Int
    /// An exercise box rather than a heading.
    var isExercise: Bool
    /// The level-3 headings and exercises after it, before the next section.
    var children: [ContentsLine]
    /// Whether `children` is not empty.
    var hasChildren: Bool
  }

  /// A level-3 line of the contents, under its section.
  struct ContentsLine: Sendable {
    /// The heading's (or exercise box's) anchor.
    var id: String
    /// The heading's inner HTML.
    var html: String
    /// 3 (or the level of an exercise box listed under a section).
    var level: Int
    /// An exercise box rather than a heading.
    var isExercise: Bool
  }

  /// An error or warning of the run or the notebook, in the problems banner.
  struct Problem: Sendable {
    /// `error` or `warning`.
    var severity: String
    /// Whether `severity` is `error`.
    var isError: Bool
    /// `file:line:column`, or the notebook's path.
    var `where`: String
    /// The message, as printed (pre-formatted text).
    var message: String
    /// `#<block anchor>` of the block holding the location, if one does.
    var href: String?
  }

  /// One `params:` parameter with the value this page was made with.
  struct ParameterValue: Sendable {
    /// The parameter's name.
    var name: String
    /// The value of this run.
    var value: String
    /// Whether `value` is the default.
    var isDefault: Bool
    /// The front matter's default.
    var `default`: String
  }

  /// `<html lang>`.
  var lang = "en"
  /// Course, title, subtitle, byline, abstract (each also a key of its own).
  var titleBlock: TitleBlock
  /// The handout's text: prose, code, outputs, figures, checks (HTML).
  var body: String
  /// The contents: top-level sections, each with its level-3 lines.
  var toc: [ContentsSection]
  /// Whether the page has at least two headings or exercises (then the contents are shown).
  var hasToc: Bool
  /// Errors and warnings of the run and the notebook.
  var problems: [Problem]
  /// Whether `problems` is not empty.
  var hasProblems: Bool
  /// Whether any problem is an error.
  var hasErrors: Bool
  /// The run did not fail.
  var statusOK: Bool
  /// The run failed (a check, a block, compilation).
  var statusFailed: Bool
  /// `all 5 checks verified`, `1 of 5 checks failed`, `… — stopped at block 3`.
  var statusText: String
  /// The badge's class: `ok`, `bad` or `muted` (nothing failed, nothing checked).
  var statusClass: String
  /// The badge's mark: ✓, ✗ or –.
  var statusMark: String
  /// `#<anchor>` of the block the run stopped at, when it stopped early.
  var stoppedHref: String?
  /// Checks that held.
  var checksPassed: Int
  /// Checks that failed.
  var checksFailed: Int
  /// At least one check held: the colophon says the published numbers were checked. (A section
  /// over `checksPassed` would show at 0 too: mustache opens a section over any number.)
  var hasChecks: Bool
  /// The notebook's path as given.
  var notebookPath: String
  /// The notebook's file name without `.md`.
  var name: String
  /// `handout <version>`.
  var generator: String
  /// Whether the run came from the cache.
  var cached: Bool
  /// The stylesheets (`<link>`s or inlined `<style>`s; the printed page adds its `@page` rules and
  /// `print.js`).
  var styles: String
  /// KaTeX's `<script>`.
  var scripts: String
  /// The parameters, with this run's values.
  var parameters: [ParameterValue]
  /// Whether `parameters` is not empty.
  var hasParameters: Bool
  /// The links to the course (index, previous, next); nil for a page woven alone and for the
  /// printed page.
  var navigation: NavigationContext?
}

/// The page's links to its course, as `handout.mustache` reads them.
struct NavigationContext: Sendable {
  /// A link: `href` percent-encoded, `title` as text.
  struct Link: Sendable {
    /// The page, relative to the output folder, percent-encoded.
    var href: String
    /// The linked page's title.
    var title: String
  }

  /// The course index.
  var index: Link
  /// The handout before this one, if any.
  var previous: Link?
  /// The handout after this one, if any.
  var next: Link?
  /// Whether there is a previous or a next handout.
  var hasPager: Bool

  /// The links of `navigation`, hrefs percent-encoded.
  init(_ navigation: CourseNavigation) {
    func link(_ link: CourseNavigation.Link) -> Link {
      Link(href: PageBuilder.hrefEncode(link.href), title: link.title)
    }
    index = link(navigation.index)
    previous = navigation.previous.map(link)
    next = navigation.next.map(link)
    hasPager = navigation.previous != nil || navigation.next != nil
  }
}

extension Weave {
  static func pageContext(
    notebook: Notebook, run: RunResult, options: WeaveOptions, templates: TemplateSet
  ) throws -> PageContext {
    var builder = PageBuilder(notebook: notebook, run: run, options: options)
    let body = builder.body()
    let fm = notebook.frontMatter
    var abstractRenderer = ProseRenderer(inlineValues: run.inlineValues, inlines: notebook.inlines)
    abstractRenderer.references = builder.prose.references
    let title = TitleBlock(
      frontMatter: fm, title: fm.title ?? builder.prose.firstH1 ?? notebook.name,
      showTitle: fm.title != nil || builder.prose.firstH1 == nil,
      abstract: fm.abstractBlocks.map { abstractRenderer.render($0, headings: false) },
      byline: .dateBesideAuthor)
    let passed = run.checks.filter(\.passed).count
    let failed = run.checks.count - passed
    let problems = pageProblems(notebook: notebook, run: run, locator: builder.locator)
    let badge = statusBadge(passed: passed, failed: failed, broken: run.failed)
    let status =
      builder.stop.map { stop in
        (passed + failed == 0
          ? "did not run to the end" : statusText(passed: passed, failed: failed, broken: true))
          + " — stopped at \(stop.summary)"
      } ?? statusText(passed: passed, failed: failed, broken: run.failed)
    var styles = try Self.styles(options: options, templates: templates, katex: true)
    if options.printed {
      styles +=
        "\n" + runningHeader(title: title.title, course: title.course) + "\n" + (try printScript(templates))
    }
    let parameters = fm.parameters.map { p in
      let value = run.parameters[p.name] ?? p.defaultValue
      return PageContext.ParameterValue(
        name: p.name, value: value, isDefault: value == p.defaultValue, default: p.defaultValue)
    }
    return PageContext(
      titleBlock: title, body: body, toc: contents(builder.prose.toc), hasToc: builder.prose.toc.count >= 2,
      problems: problems, hasProblems: !problems.isEmpty, hasErrors: problems.contains(where: \.isError),
      statusOK: !run.failed, statusFailed: run.failed, statusText: status, statusClass: badge.cls,
      statusMark: badge.mark, stoppedHref: builder.stop.map { "#" + $0.anchor }, checksPassed: passed,
      checksFailed: failed, hasChecks: passed > 0, notebookPath: notebook.shownPath, name: notebook.name,
      generator: options.generator,
      cached: run.cached, styles: styles, scripts: try scripts(options: options), parameters: parameters,
      hasParameters: !parameters.isEmpty,
      // Links on paper lead nowhere, and the PDF must not change when a neighbour's title does.
      navigation: options.printed ? nil : options.navigation.map(NavigationContext.init))
  }

  /// The run's diagnostics and the notebook's warnings, each linked to the block it is in.
  static func pageProblems(notebook: Notebook, run: RunResult, locator: PageBuilder.BlockLocator)
    -> [PageContext.Problem]
  {
    (run.diagnostics + notebook.warnings.map(notebook.shown)).map { d in
      PageContext.Problem(
        severity: d.severity.rawValue, isError: d.severity == .error,
        where: d.location?.description ?? notebook.shownPath, message: d.message,
        href: locator.block(containing: d.location).map { "#" + PageBuilder.anchor($0) })
    }
  }

  /// The contents: level-3 headings and exercises nest under the section before them (one
  /// before any section stands alone).
  static func contents(_ entries: [TOCEntry]) -> [PageContext.ContentsSection] {
    var sections: [PageContext.ContentsSection] = []
    for entry in entries {
      if entry.level == 3, !sections.isEmpty {
        sections[sections.count - 1].children.append(
          PageContext.ContentsLine(
            id: entry.id, html: entry.html, level: entry.level, isExercise: entry.isExercise))
        sections[sections.count - 1].hasChildren = true
      } else {
        sections.append(
          PageContext.ContentsSection(
            id: entry.id, html: entry.html, level: entry.level, isExercise: entry.isExercise, children: [],
            hasChildren: false))
      }
    }
    return sections
  }
}

extension Notebook {
  /// The notebook as its page names it: its folder's name and its file name (`notebooks/x.md`),
  /// the same whichever path `handout` was given (`notebooks/x.md`, `/home/…/notebooks/x.md`, or
  /// `x.md` from inside the folder), so a page does not depend on where `handout` was started.
  var shownPath: String {
    let parts = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
    return parts.suffix(2).filter { $0 != "/" }.joined(separator: "/")
  }
}
