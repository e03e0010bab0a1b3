import Foundation
import Mustache
import XCTest

@testable import Literate

/// The templates are given typed structs (`PageContext`, `DeckContext`, `IndexContext`, one
/// `TitleBlock`), which swift-mustache reads by reflection. These tests pin how it reads them, that
/// every key a shipped template uses is a key of its context (a misspelt or renamed key renders
/// as nothing, silently), and that a user's template keeps the keys templates always had.
final class TemplateContextTests: XCTestCase {
  // MARK: How swift-mustache reads a struct

  private struct Item { var title: String; var note: String? }
  private struct Holder {
    var title = "outer"
    var note: String? = "outer note"
    var missing: String? = nil
    var yes = true
    var no = false
    var zero = 0
    var items = [Item(title: "a", note: "n"), Item(title: "b", note: nil)]
    var none: [Item] = []
    var nested: Item? = Item(title: "inner", note: nil)
    var computed: String { "computed" }
  }

  func testMustacheReadsAStructsStoredPropertiesAsADictionarysKeys() throws {
    func render(_ text: String, _ library: MustacheLibrary? = nil) throws -> String {
      try MustacheTemplate(string: text).render(Holder(), library: library)
    }
    XCTAssertEqual(try render("{{title}}"), "outer")
    // nil is a missing key: no section, and a variable looks further up the stack.
    XCTAssertEqual(try render("[{{missing}}]{{#missing}}M{{/missing}}{{^missing}}none{{/missing}}"), "[]none")
    XCTAssertEqual(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}not{{/no}}"), "Ynot")
    // An item's nil `note` is found on the holder, as a dictionary without the key was.
    XCTAssertEqual(try render("{{#items}}({{title}}: {{note}}){{/items}}"), "(a: n)(b: outer note)")
    XCTAssertEqual(try render("{{#none}}x{{/none}}{{^none}}empty{{/none}}"), "empty")
    XCTAssertEqual(try render("{{#nested}}{{title}}{{/nested}} {{nested.title}}"), "inner inner")
    // A number is a value, not a truth: 0 opens its section (as it did in a dictionary).
    XCTAssertEqual(try render("{{#zero}}zero is shown{{/zero}}"), "zero is shown")
    // Computed properties are not keys.
    XCTAssertEqual(try render("[{{computed}}]"), "[]")
    // A partial on a line of its own replaces the line, its own indentation and line ends kept.
    var library = MustacheLibrary()
    try library.register("  <p>{{title}}</p>\n  {{#missing}}m{{/missing}}\n", named: "p")
    XCTAssertEqual(try render("<a>\n{{> p}}\n</a>", library), "<a>\n  <p>outer</p>\n  \n</a>")
  }

  func testATitledContextReadsItsTitleBlocksFieldsAsItsOwn() throws {
    let fm = FrontMatter(title: "T", author: "A", date: "D", course: "C")
    let deck = Self.deck(TitleBlock(frontMatter: fm, title: "T", byline: .dateOnItsOwnLine))
    let template = try MustacheTemplate(
      string: "{{title}}|{{titleBlock.title}}|{{course}}|{{^subtitle}}no subtitle{{/subtitle}}|{{name}}")
    XCTAssertEqual(template.render(deck), "T|T|C|no subtitle|deck-name")
    // Where the date goes: beside the author on the page, on its own line in the deck.
    let page = TitleBlock(frontMatter: fm, title: "T", byline: .dateBesideAuthor)
    XCTAssertEqual([page.dateBesideAuthor, page.dateAlone], [true, false])
    let deckBlock = TitleBlock(frontMatter: fm, title: "T", byline: .dateOnItsOwnLine)
    XCTAssertEqual([deckBlock.dateBesideAuthor, deckBlock.dateAlone], [false, true])
    let noAuthor = TitleBlock(frontMatter: FrontMatter(date: "D"), title: "T", byline: .dateBesideAuthor)
    XCTAssertEqual([noAuthor.dateBesideAuthor, noAuthor.dateAlone], [false, true])
    let noDate = TitleBlock(frontMatter: FrontMatter(author: "A"), title: "T", byline: .dateOnItsOwnLine)
    XCTAssertEqual([noDate.dateBesideAuthor, noDate.dateAlone], [false, false])
  }

  // MARK: The shipped templates against their contexts

  /// Every variable and section of each shipped template (and of the partials it includes) is a
  /// key of its context, where mustache would look for it, with every optional value given.
  func testEveryKeyOfTheShippedTemplatesIsInItsContext() throws {
    let templates = TemplateSet(options: WeaveFixture.options())
    let cases: [(String, Any)] = [
      ("handout.mustache", Self.page()), ("slides.mustache", Self.deck()),
      ("index.mustache", Self.index()),
    ]
    for (name, context) in cases {
      var walker = KeyWalker(templates: templates)
      try walker.walk(try templates.text(named: name), stack: [context])
      XCTAssertEqual(walker.missing, [], "\(name): keys its context does not have")
      XCTAssertGreaterThan(walker.resolved, 10, "\(name): the walk found too few keys")
      // A section over a number opens at 0 too: a template asks a `has…` Bool instead.
      XCTAssertEqual(walker.numberSections, [], "\(name): sections over a number")
    }
  }

  /// A notebook without checks: its colophon does not say the published numbers were checked
  /// (a section over `checksPassed` said so at 0). With one check held, it does.
  func testAPageWithoutChecksDoesNotSayItsNumbersWereChecked() throws {
    let notebook = try Notebook.parse(source: "# No checks\n\nWords only.\n", path: "n.md")
    let sentence = "the published numbers were checked against it"
    let unchecked = try Weave.page(notebook: notebook, run: RunResult(), options: WeaveFixture.options())
    XCTAssertTrue(unchecked.contains("produced by running its code.</p>"), unchecked)
    XCTAssertFalse(unchecked.contains(sentence), "a page without checks says they were checked")
    let check = CheckResult(
      kind: .expectation, location: SourceLocation(file: "n.md", line: 3), passed: true, expected: "1",
      actual: "1")
    let checked = RunResult(blocks: [0: BlockResult(blockIndex: 0, checks: [check])])
    let page = try Weave.page(notebook: notebook, run: checked, options: WeaveFixture.options())
    XCTAssertTrue(page.contains("produced by running its code; \(sentence).</p>"), page)
  }

  /// The keys page and deck templates had when their contexts were dictionaries: a user's
  /// template written for them still finds each one.
  func testTheKeysTemplatesAlwaysHadAreStillThere() {
    let page =
      "lang title showTitle subtitle author date course abstract parameters hasParameters body toc hasToc "
      + "problems hasProblems hasErrors statusOK statusFailed statusClass statusMark statusText stoppedHref "
      + "checksPassed checksFailed notebookPath name generator cached styles scripts navigation"
    let deck =
      "lang title subtitle author date course name notebookPath generator styles scripts count slides "
      + "titleNotes hasTitleNotes statusFailed statusText"
    let index =
      "title entries hasEntries checksPassed checksFailed handoutsFailed allOK summary styles generator "
      + "apiReference"
    let cases: [(String, String, Any)] = [
      ("page", page, Self.page()), ("deck", deck, Self.deck()), ("index", index, Self.index()),
    ]
    for (name, keys, context) in cases {
      let missing = keys.split(separator: " ").filter { KeyWalker.lookup(String($0), in: [context]) == nil }
      XCTAssertEqual(missing, [], "\(name) context lost keys")
    }
  }

  /// Rendered for real, every value of a full context shows where the template puts it: the title
  /// block once, through the partial, in the page and in the deck.
  func testTheShippedTemplatesShowEveryValue() throws {
    let templates = TemplateSet(options: WeaveFixture.options())
    let library = try templates.partials()
    let page = try templates.template(named: "handout.mustache").render(Self.page(), library: library)
    for text in [
      "<p class=\"course\">the course</p>", "<h1 class=\"title\">the title</h1>",
      "<p class=\"subtitle\">the subtitle</p>",
      "<span class=\"author\">the author</span> · <span class=\"date\">the date</span></p>",
      "<p class=\"abstract-label\">Abstract</p><p>the abstract</p>", "<title>the title · the course</title>",
      "the body", "href=\"#the-section\">section html</a>", "href=\"#the-line\">line html</a>",
      "<code>seed = 7</code> <span class=\"param-default\">(default 3)</span>", "the message",
      "href=\"#stopped\"", "href=\"index.html\"", "index title", "previous title", "next title",
    ] {
      XCTAssertTrue(page.contains(text), "the page lacks \(text)")
    }
    let deck = try templates.template(named: "slides.mustache").render(
      Self.deck(), library: library)
    for text in [
      "<p class=\"course\">the course</p>", "<h1 class=\"title\">the title</h1>",
      "<p class=\"byline\"><span class=\"author\">the author</span></p>",
      "<p class=\"byline\"><span class=\"date\">the date</span></p>", "slide html", "slide notes",
      "data-line=\"12\" data-estimate=\"345\"", "title notes", "1 / 2",
    ] {
      XCTAssertTrue(deck.contains(text), "the deck lacks \(text)")
    }
    let index = try templates.template(named: "index.mustache").render(Self.index(), library: library)
    for text in [
      "<h1 class=\"title\">the course</h1>", "entry title", "entry subtitle", "2026-11-26 12:40 UTC</time>",
      "slides.html",
    ] {
      XCTAssertTrue(index.contains(text), "the index lacks \(text)")
    }
  }

  /// An empty string is false in a section, like nil (`subtitle: ""` shows no subtitle element),
  /// and renders as nothing, not as a same-named key further up the stack; in a list's items and
  /// nested values too.
  func testAnEmptyStringIsFalseInASection() throws {
    struct Item { var note: String }
    struct Context {
      var note = "outer"
      var empty = ""
      var full = "x"
      var items = [Item(note: ""), Item(note: "n")]
    }
    let template = try MustacheTemplate(
      string: "{{#empty}}E{{/empty}}{{^empty}}no{{/empty}}[{{empty}}]{{#full}}F{{/full}}"
        + "{{#items}}({{#note}}{{note}}{{/note}}{{^note}}-{{/note}}|{{note}}){{/items}}")
    XCTAssertEqual(template.render(TemplateValue(Context())), "no[]F(-|)(n|n)")
  }

  /// Through the shipped templates: a front matter's empty subtitle, author and date make no
  /// element on the page, in the deck or in the index.
  func testAnEmptySubtitleMakesNoElement() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(
      "---\ntitle: Empty\nsubtitle: \"\"\nauthor: \"\"\ndate: \"\"\n---\n\nText.\n",
      to: dir.appendingPathComponent("nb/empty.md"))
    let result = try Support.handout(["render", "nb", "--out", "out", "--slides"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let files = try Support.contents(under: dir.appendingPathComponent("out"))
    let page = try XCTUnwrap(files["empty/.page.html"], "\(files.keys.sorted())")
    let deck = try XCTUnwrap(files["empty/.slides.html"])
    let index = try XCTUnwrap(files["index.html"])
    for (name, html) in [("page", page), ("deck", deck), ("index", index)] {
      for mark in ["class=\"subtitle\"", "handout-subtitle", "class=\"byline\"", "class=\"author\""] {
        XCTAssertFalse(html.contains(mark), "\(mark) in the \(name):\n\(html)")
      }
    }
    XCTAssertTrue(page.contains("Empty"), page)
    // An empty author leaves the date a byline of its own, on the page too.
    let block = TitleBlock(
      frontMatter: FrontMatter(title: "T", author: "", date: "D"), title: "T", byline: .dateBesideAuthor)
    XCTAssertEqual([block.dateBesideAuthor, block.dateAlone], [false, true])
    XCTAssertNil(block.author)
  }

  // MARK: A user's templates

  /// A template folder that overrides the page and the title block (and nothing else): the page
  /// and the deck both show the user's title block, and the page's own keys still work.
  func testAUsersTemplatesUseTheTitleBlockPartialAndItsFields() throws {
    let dir = try Support.temporaryDirectory(self)
    try """
    <html><body>
    <header>
    {{> title-block}}
    </header>
    <p id="keys">{{titleBlock.title}} | {{title}} | {{course}} | {{#showTitle}}shown{{/showTitle}} | {{name}}</p>
    {{#abstract}}<div class="mine">{{{abstract}}}</div>{{/abstract}}
    </body></html>
    """.write(to: dir.appendingPathComponent("handout.mustache"), atomically: true, encoding: .utf8)
    try """
      <h1 class="my-title">{{title}}</h1>{{#subtitle}}<h2>{{subtitle}}</h2>{{/subtitle}}
      <p class="my-byline">{{author}}, {{date}}</p>

    """.write(to: dir.appendingPathComponent("title-block.mustache"), atomically: true, encoding: .utf8)
    var options = WeaveFixture.options()
    options.templatesDirectory = dir
    options.fallbackTemplatesDirectory = WeaveFixture.templates
    let notebook = WeaveFixture.notebook()
    let page = try Weave.page(notebook: notebook, run: WeaveFixture.run(), options: options)
    XCTAssertTrue(
      page.contains(
        "<header>\n  <h1 class=\"my-title\">A single neuron</h1><h2>Gradient descent by hand</h2>\n"
          + "  <p class=\"my-byline\">A. Teacher, 2024-05-01</p>\n</header>"), page)
    XCTAssertTrue(
      page.contains(
        "<p id=\"keys\">A single neuron | A single neuron | Neural networks from scratch | shown | neuron</p>"
      ),
      page)
    XCTAssertTrue(page.contains("<div class=\"mine\"><p>We train <em>one</em> sigmoid neuron"), page)
    // The deck comes from the package's slides.mustache, with the user's title block.
    let deck = try Weave.slides(notebook: notebook, run: WeaveFixture.run(), options: options)
    XCTAssertTrue(deck.contains("<h1 class=\"my-title\">A single neuron</h1>"), deck)
    XCTAssertFalse(deck.contains("<p class=\"subtitle\">"), deck)
    // Without the partial anywhere, the weave says which file is missing.
    options.fallbackTemplatesDirectory = nil
    try FileManager.default.removeItem(at: dir.appendingPathComponent("title-block.mustache"))
    XCTAssertThrowsError(try Weave.page(notebook: notebook, run: WeaveFixture.run(), options: options)) {
      XCTAssertTrue("\($0)".contains("template 'title-block.mustache' not found"), "\($0)")
    }
  }
}

// MARK: - Full contexts: every optional given, every list one long

extension TemplateContextTests {
  static let titleBlock = TitleBlock(
    frontMatter: FrontMatter(
      title: "the title", subtitle: "the subtitle", author: "the author", date: "the date",
      course: "the course"),
    title: "the title", abstract: "<p>the abstract</p>", byline: .dateBesideAuthor)

  static func page() -> PageContext {
    let line = PageContext.ContentsLine(id: "the-line", html: "line html", level: 3, isExercise: true)
    let section = PageContext.ContentsSection(
      id: "the-section", html: "section html", level: 2, isExercise: false, children: [line],
      hasChildren: true)
    let problem = PageContext.Problem(
      severity: "error", isError: true, where: "x.md:3:1", message: "the message", href: "#block-1")
    let navigation = NavigationContext(
      CourseNavigation(
        index: .init(href: "index.html", title: "index title"),
        previous: .init(href: "a.html", title: "previous title"),
        next: .init(href: "b.html", title: "next title")))
    return PageContext(
      titleBlock: titleBlock, body: "the body", toc: [section], hasToc: true, problems: [problem],
      hasProblems: true,
      hasErrors: true, statusOK: false, statusFailed: true, statusText: "status text", statusClass: "bad",
      statusMark: "✗", stoppedHref: "#stopped", checksPassed: 1, checksFailed: 1, hasChecks: true,
      notebookPath: "x.md",
      name: "x",
      generator: "handout test", cached: false, styles: "<style></style>", scripts: "<script></script>",
      parameters: [.init(name: "seed", value: "7", isDefault: false, default: "3")], hasParameters: true,
      navigation: navigation)
  }

  static func deck(
    _ titleBlock: TitleBlock = TitleBlock(
      frontMatter: FrontMatter(
        title: "the title", subtitle: "the subtitle", author: "the author", date: "the date",
        course: "the course"),
      title: "the title", byline: .dateOnItsOwnLine)
  ) -> DeckContext {
    DeckContext(
      titleBlock: titleBlock,
      slides: [
        .init(number: 2, html: "slide html", notes: "slide notes", hasNotes: true, line: 12, estimate: 345)
      ],
      count: 2, titleNotes: "title notes", hasTitleNotes: true, statusFailed: true, statusText: "status text",
      notebookPath: "x.md", name: "deck-name", generator: "handout test", styles: "", scripts: "")
  }

  static func index() -> IndexContext {
    var entry = IndexEntry(
      name: "x", title: "entry title", subtitle: "entry subtitle", course: "the course", href: "x.html",
      checksPassed: 1, checksFailed: 1, failed: true, problem: "a problem")
    entry.failingSince = "2026-11-26T12:40:05Z"
    entry.failedHref = "x.failed.html"
    entry.slidesHref = "x.slides.html"
    entry.pdfHref = "x.pdf"
    return IndexContext(
      title: "the course", entries: [.init(entry)],
      groups: [.init(course: "the course", entries: [.init(entry)])],
      hasEntries: true, checksPassed: 1, checksFailed: 1,
      handoutsFailed: 1, allOK: false, summary: "summary", styles: "", generator: "handout test",
      apiReference: "api/index.html")
  }
}

/// Walks a template's tags as mustache renders them: a section pushes its value (a list its first
/// item; true nothing), a partial is walked in place; each name is looked up the stack, as
/// swift-mustache does. Names found nowhere are `missing`.
struct KeyWalker {
  let templates: TemplateSet
  var missing: [String] = []
  var resolved = 0
  /// Sections (`#` or `^`) over a number, which mustache opens whatever its value, 0 included.
  var numberSections: [String] = []

  /// The value mustache would find for `name` (`a.b` descends), or nil.
  static func lookup(_ name: String, in stack: [Any]) -> Any? {
    if name == "." { return stack.last }
    let parts = name.split(separator: ".").map(String.init)
    func child(_ key: String, of object: Any) -> Any? {
      if let parent = object as? MustacheParent { return parent.child(named: key) }
      return TemplateKeys.value(named: key, in: object)
    }
    guard let first = parts.first,
      var value = stack.reversed().lazy.compactMap({ child(first, of: $0) }).first
    else { return nil }
    for key in parts.dropFirst() {
      guard let next = child(key, of: value) else { return nil }
      value = next
    }
    return value
  }

  mutating func walk(_ text: String, stack: [Any]) throws {
    var stack = stack
    var pushed: [Bool] = []
    let tag = #/\{\{(\{)?\s*([#^/>!&]?)\s*([\s\S]*?)\s*\}?\}\}/#
    for match in text.matches(of: tag) {
      let kind = String(match.output.2)
      let name = String(match.output.3)
      switch kind {
      case "!": continue
      case ">": try walk(try templates.text(named: name + ".mustache"), stack: stack)
      case "/": if pushed.popLast() == true { stack.removeLast() }
      default:
        guard let value = Self.lookup(name, in: stack) else {
          missing.append(name)
          if kind == "#" || kind == "^" { pushed.append(false) }
          continue
        }
        resolved += 1
        if (kind == "#" || kind == "^") && (value is Int || value is Double) { numberSections.append(name) }
        if kind == "#" {
          if let list = value as? [Any] {
            if let first = list.first { stack.append(first) } else { missing.append(name + " (empty)") }
            pushed.append(!list.isEmpty)
          } else if value is Bool {
            pushed.append(false)
          } else {
            stack.append(value)
            pushed.append(true)
          }
        } else if kind == "^" {
          pushed.append(false)
        }
      }
    }
  }
}
