import Foundation
import XCTest

@testable import Literate

/// The slide deck (`render --slides`): where slides start, where speaker notes go, the print
/// layout, and that a deck is woven from the page's own run.
final class SlidesTests: XCTestCase {
  static let source = """
    ---
    title: Slides from a notebook
    subtitle: One source
    author: A. Teacher
    course: Neural networks
    date: 2026-02-16
    ---

    Before the first heading.

    ::: notes
    Welcome everybody.
    :::

    # First section

    The sigmoid is $\\phi(s) = 1 / (1 + e^{-s})$.

    ## A subsection

    ### Not a cut

    > ---
    >
    > A rule inside a quote does not cut.

    ```r
    x <- 1
    # ---
    ```

    ::: notes
    Say that **h3** does not cut. Notes may hold `code`.
    :::

    ---

    After the rule.

    Setext heading
    --------------

    Last slide.

    ::: exercise Try it
    # A heading inside an exercise does not cut

    Work it out.
    :::

    """

  static func deck(_ source: String = source) throws -> (deck: String, page: String, notebook: Notebook) {
    let notebook = try Notebook.parse(source: source, path: "notebooks/slides.md")
    let options = WeaveFixture.options()
    return (
      try Weave.slides(notebook: notebook, run: RunResult(), options: options),
      try Weave.page(notebook: notebook, run: RunResult(), options: options), notebook
    )
  }

  /// The `<section class="slide…">` elements of a deck, in order: each from its start to the
  /// next one's (the last to the counter after the deck).
  static func slides(_ deck: String) -> [String] {
    deck.components(separatedBy: "<section class=\"slide").dropFirst().map {
      String($0.components(separatedBy: "<div class=\"deck-counter\"").first ?? "")
    }
  }

  func testOneSlidePerHeadingAndRulePlusTitleSlide() throws {
    let slides = Self.slides(try Self.deck().deck)
    // Title, before the first heading, # First section, ## A subsection, ---, setext ##.
    XCTAssertEqual(slides.count, 6, slides.joined(separator: "\n=====\n"))
    guard slides.count == 6 else { return }
    XCTAssertTrue(slides[0].hasPrefix(" title-slide"))
    XCTAssertTrue(slides[0].contains("<h1 class=\"title\">Slides from a notebook</h1>"))
    for part in ["One source", "A. Teacher", "Neural networks", "2026-02-16"] {
      XCTAssertTrue(slides[0].contains(part), part)
    }
    XCTAssertTrue(slides[1].contains("Before the first heading."))
    XCTAssertTrue(slides[2].contains("First section</h2>"))
    XCTAssertTrue(slides[2].contains("class=\"math inline\""), "math as on the page")
    // Headings shift as on the page (the title is the h1): `##` is an h3 there.
    XCTAssertTrue(slides[3].contains("A subsection</h3>"))
    XCTAssertTrue(slides[3].contains("Not a cut</h4>"), "a ### stays on its slide")
    XCTAssertTrue(slides[3].contains("A rule inside a quote"), "a nested rule does not cut")
    XCTAssertTrue(slides[3].contains("class=\"cell lang-r static\""), "code as on the page")
    XCTAssertTrue(slides[4].contains("After the rule."))
    XCTAssertFalse(slides[4].contains("<hr"), "the cutting rule itself is not shown")
    XCTAssertTrue(slides[5].contains("Setext heading</h3>"))
    XCTAssertTrue(slides[5].contains("A heading inside an exercise does not cut"))
    XCTAssertTrue(slides[5].contains("Work it out."))
    // The counter starts at 1 of all of them.
    XCTAssertTrue(try Self.deck().deck.contains(">1 / 6</div>"))
  }

  func testNotesAreInTheirSlideAndNeverOnThePage() throws {
    let (deck, page, _) = try Self.deck()
    let slides = Self.slides(deck)
    XCTAssertEqual(slides.count, 6)
    guard slides.count == 6 else { return }
    func notes(_ slide: String) -> String? {
      guard let start = slide.range(of: "<aside class=\"notes\"") else { return nil }
      return String(slide[start.lowerBound...].prefix { _ in true })
        .components(separatedBy: "</aside>").first
    }
    XCTAssertNil(notes(slides[0]))
    XCTAssertTrue(notes(slides[1])?.contains("Welcome everybody.") ?? false, slides[1])
    XCTAssertTrue(notes(slides[3])?.contains("Say that <strong>h3</strong> does not cut") ?? false, slides[3])
    XCTAssertTrue(notes(slides[3])?.contains("<code>code</code>") ?? false)
    XCTAssertFalse(
      slides[3].components(separatedBy: "<aside").first?.contains("Say that") ?? true,
      "notes are not in the slide's content")
    for slide in [slides[2], slides[4], slides[5]] { XCTAssertNil(notes(slide)) }
    // The page leaves the notes out, and keeps everything else.
    XCTAssertFalse(page.contains("Welcome everybody"))
    XCTAssertFalse(page.contains("Say that"))
    XCTAssertTrue(page.contains("Before the first heading."))
    XCTAssertTrue(page.contains("After the rule."))

    // Notes before any content belong to the title slide.
    let early = try Self.deck("---\ntitle: T\n---\n\n::: notes\nGood morning.\n:::\n\n# One\n\nText.\n")
    let earlySlides = Self.slides(early.deck)
    XCTAssertEqual(earlySlides.count, 2)
    XCTAssertTrue(notes(earlySlides[0])?.contains("Good morning.") ?? false, earlySlides[0])
    XCTAssertFalse(early.page.contains("Good morning."))
  }

  func testPrintLayoutIsOneSlidePerPage() throws {
    let (deck, _, _) = try Self.deck()
    XCTAssertTrue(deck.contains("<link rel=\"stylesheet\" href=\"assets/slides.css\">"))
    let css = try String(
      contentsOf: WeaveFixture.templates.appendingPathComponent("slides.css"), encoding: .utf8)
    let print = try XCTUnwrap(css.components(separatedBy: "@media print").last)
    XCTAssertTrue(print.contains("@page { size: 1280px 720px; margin: 0; }"))
    XCTAssertTrue(print.contains(".slide { break-after: page;"))
    XCTAssertTrue(print.contains(".notes,"), "notes hidden in print")
    // Installed beside the page's stylesheet; inlined in a self-contained deck.
    let files = try Weave.assets(options: WeaveFixture.options()).map(\.path)
    XCTAssertTrue(files.contains("slides.css"))
    let notebook = try Notebook.parse(source: Self.source, path: "notebooks/slides.md")
    let alone = try Weave.slides(
      notebook: notebook, run: RunResult(), options: WeaveFixture.options(selfContained: true))
    XCTAssertTrue(alone.contains("@page { size: 1280px 720px; margin: 0; }"))
    XCTAssertFalse(alone.contains("assets/slides.css"))
  }

  /// A notebook that prints a fresh UUID: the page and the deck show the same one (one run), and a
  /// second `render --slides` shows it again (the cached run, not a second one).
  func testDeckIsWovenFromThePagesRunAndACachedOne() throws {
    let dir = try Support.temporaryDirectory(self)
    let source = """
      ---
      title: Once
      ---

      # Run

      ```swift
      print(UUID().uuidString)
      ```

      ## Again

      Nothing new.
      """
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("nb"), withIntermediateDirectories: true)
    _ = try Support.write(source, "nb/once.md", in: dir)
    let cache = dir.appendingPathComponent("cache")
    func render() throws -> (page: String, deck: String) {
      let result = try Support.handout(
        ["render", "nb", "-o", "out", "--slides", "--cache", cache.path], in: dir)
      XCTAssertEqual(result.status, 0, result.output)
      let out = dir.appendingPathComponent("out")
      let link = try FileManager.default.destinationOfSymbolicLink(
        atPath: out.appendingPathComponent("once.slides.html").path)
      XCTAssertEqual(link, "once/.slides.html")
      return (
        try String(contentsOf: out.appendingPathComponent("once.html"), encoding: .utf8),
        try String(contentsOf: out.appendingPathComponent("once.slides.html"), encoding: .utf8)
      )
    }
    let uuid = #/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/#
    let first = try render()
    let printed = try XCTUnwrap(first.page.firstMatch(of: uuid)).output
    XCTAssertEqual(first.deck.firstMatch(of: uuid)?.output, printed, "the deck shows the page's run")
    XCTAssertEqual(Self.slides(first.deck).count, 3)
    let second = try render()
    XCTAssertEqual(second.deck.firstMatch(of: uuid)?.output, printed, "the cached run, not a second one")
    XCTAssertEqual(second.page.firstMatch(of: uuid)?.output, printed)
    let index = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
    XCTAssertTrue(index.contains("<a class=\"handout-slides\" href=\"once.slides.html\">slides</a>"), index)

    // Without --slides the deck goes, link and all.
    let plain = try Support.handout(["render", "nb", "-o", "out", "--cache", cache.path], in: dir)
    XCTAssertEqual(plain.status, 0, plain.output)
    var info = stat()
    XCTAssertNotEqual(lstat(dir.appendingPathComponent("out/once.slides.html").path, &info), 0)
    let plainIndex = try String(contentsOf: dir.appendingPathComponent("out/index.html"), encoding: .utf8)
    XCTAssertFalse(plainIndex.contains("handout-slides"))
  }
}

/// The deck in a real browser: the script moves between slides and follows the hash, and printing
/// gives one page per slide.
extension BrowserTests {
  /// The fixture deck with its assets in a fresh folder.
  func writeDeck() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "deck-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let options = WeaveFixture.options()
    try Support.installAssets(into: dir, options: options)
    let deck = dir.appendingPathComponent("slides.slides.html")
    try Data(try SlidesTests.deck().deck.utf8).write(to: deck)
    return deck
  }

  func testDeckCounterFollowsTheHash() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let deck = try writeDeck()
    defer { try? FileManager.default.removeItem(at: deck.deletingLastPathComponent()) }
    let first = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: deck)
    XCTAssertTrue(first.contains("data-slide=\"1\""), "the script ran")
    XCTAssertTrue(first.contains("aria-live=\"polite\">1 / 6</div>"))
    XCTAssertTrue(first.contains("data-math=\"done\""), "math typeset")
    let url = try XCTUnwrap(URL(string: deck.absoluteString + "#/3"))
    let third = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: url)
    XCTAssertTrue(third.contains("aria-live=\"polite\">3 / 6</div>"), "the hash picks the slide")
    XCTAssertTrue(third.contains("<section class=\"slide current\" id=\"slide-3\""))
    XCTAssertTrue(third.contains("data-fitted=\"yes\""))
    // A reference's link (`#id`) shows the slide holding its target, not the title slide.
    let anchored = try XCTUnwrap(URL(string: deck.absoluteString + "#not-a-cut"))
    let fourth = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: anchored)
    XCTAssertTrue(fourth.contains("id=\"not-a-cut\""), "the fixture's anchor is in the deck")
    XCTAssertTrue(fourth.contains("aria-live=\"polite\">4 / 6</div>"), "an anchor picks its slide")
    // The speaker view (`?notes`) shows the notes of its slide.
    let speakerURL = try XCTUnwrap(URL(string: deck.absoluteString + "?notes#/4"))
    let speaker = try BrowserTests.runChromium(chromium, ["--dump-dom"], url: speakerURL)
    let notes = try XCTUnwrap(speaker.components(separatedBy: "<div id=\"speaker-notes\">").last)
    XCTAssertTrue(notes.hasPrefix("<p>Say that <strong>h3</strong> does not cut."), String(notes.prefix(200)))
    XCTAssertTrue(speaker.contains("aria-live=\"polite\">4 / 6</div>"))
  }

  /// Keys pressed in the deck (a page beside it loads it in a frame and sends them): each moves
  /// the counter and the hash; N shows the notes on the slide.
  func testDeckKeysMoveBetweenSlides() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let deck = try writeDeck()
    let dir = deck.deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: dir) }
    let harness = dir.appendingPathComponent("keys.html")
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe id="f" src="\(deck.lastPathComponent)" width="1280" height="720"></iframe>
      <pre id="log"></pre><script>
      var f = document.getElementById("f");
      f.addEventListener("load", function () {
        var d = f.contentDocument, out = [d.getElementById("counter").textContent];
        ["ArrowRight", " ", "PageDown", "ArrowLeft", "End", "Home", "PageUp", "n"].forEach(function (k) {
          d.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
          out.push(k + "=" + d.getElementById("counter").textContent + f.contentWindow.location.hash);
        });
        out.push(d.documentElement.classList.contains("show-notes") ? "notes shown" : "notes hidden");
        document.getElementById("log").textContent = out.join("|");
      });
      </script></body></html>
      """, at: harness, chromium: chromium)
    XCTAssertEqual(
      log,
      "1 / 6|ArrowRight=2 / 6#/2| =3 / 6#/3|PageDown=4 / 6#/4|ArrowLeft=3 / 6#/3|End=6 / 6#/6|Home=1 / 6#/1"
        + "|PageUp=1 / 6#/1|n=1 / 6#/1|notes shown")
  }

  /// The speaker view follows the deck: keys pressed in the deck move a `?notes` view of it open
  /// beside (the same BroadcastChannel a speaker window opened by S listens to), and it shows the
  /// notes of the new slide.
  func testSpeakerViewFollowsTheDeck() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let deck = try writeDeck()
    let dir = deck.deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: dir) }
    let harness = dir.appendingPathComponent("sync.html")
    let name = deck.lastPathComponent
    let log = try BrowserTests.log(
      """
      <!DOCTYPE html><html><body><iframe id="a" src="\(name)"></iframe><iframe id="b" src="\(name)?notes"></iframe>
      <pre id="log"></pre><script>
      var loaded = 0;
      function go() {
        var a = document.getElementById("a").contentDocument, b = document.getElementById("b").contentDocument;
        for (var k = 0; k < 3; k++) a.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
        setTimeout(function () {
          document.getElementById("log").textContent = a.getElementById("counter").textContent + "|"
            + b.getElementById("counter").textContent + "|" + b.getElementById("speaker-notes").textContent.trim();
        }, 500);
      }
      ["a", "b"].forEach(function (id) {
        document.getElementById(id).addEventListener("load", function () { if (++loaded === 2) go(); });
      });
      </script></body></html>
      """, at: harness, chromium: chromium)
    XCTAssertTrue(log.hasPrefix("4 / 6|4 / 6|Say that h3 does not cut."), String(log))
  }

  func testPrintedDeckHasOnePagePerSlide() throws {
    guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed") }
    let deck = try writeDeck()
    let dir = deck.deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: dir) }
    let pdf = dir.appendingPathComponent("deck.pdf")
    _ = try BrowserTests.runChromium(
      chromium, ["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer"], url: deck)
    let info = try PDFTests.poppler("pdfinfo", [pdf.path])
    XCTAssertTrue(info.contains(#/Pages:\s+6\n/#), info)
    // 1280×720 CSS px = 960×540 pt.
    XCTAssertTrue(info.contains(#/Page size:\s+960 x 540 pts/#), info)
  }
}
