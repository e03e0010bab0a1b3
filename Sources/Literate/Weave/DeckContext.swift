// The context of `slides.mustache`: the slide deck of one handout.

/// What `slides.mustache` is given. Triple-brace keys (`styles`, `scripts`, `titleNotes`, a
/// slide's `html` and `notes`) are HTML made by the weaver; every other string is text.
struct DeckContext: TitledContext {
  /// One slide after the title slide.
  struct Slide: Sendable {
    /// Its place in the deck, from 2 (the title slide is 1).
    var number: Int
    /// The slide's content.
    var html: String
    /// Its speaker notes (`::: notes`).
    var notes: String
    /// Whether `notes` has more than white space.
    var hasNotes: Bool
    /// The notebook line the slide starts at.
    var line: Int
    /// Whether the deck shows `line` (`data-line`): the instructor's edition only
    /// (`WeaveOptions.instructorsOwn`).
    var showsLine = true
    /// Its content's estimated height in px (`SlideEstimate`), which the deck's script compares
    /// with the measured one.
    var estimate: Int
  }

  /// `<html lang>`.
  var lang = "en"
  /// Course, title, subtitle, byline (each also a key of its own); the deck has no abstract and
  /// always shows the title, the date on a line of its own.
  var titleBlock: TitleBlock
  /// The slides after the title slide.
  var slides: [Slide]
  /// How many slides, the title slide included.
  var count: Int
  /// The title slide's speaker notes (a `::: notes` before the first slide).
  var titleNotes: String
  /// Whether `titleNotes` has more than white space.
  var hasTitleNotes: Bool
  /// The run failed (the title slide then says so).
  var statusFailed: Bool
  /// `1 of 5 checks failed`, `all 5 checks verified`, as the page says it.
  var statusText: String
  /// The notebook's path as given.
  var notebookPath: String
  /// The notebook's file name without `.md`.
  var name: String
  /// `handout <version>`.
  var generator: String
  /// The stylesheets (`handout.css` then `slides.css`, linked or inlined).
  var styles: String
  /// KaTeX's `<script>`.
  var scripts: String
}
