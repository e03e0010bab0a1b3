// What the templates are given: typed values, one struct per template (`PageContext`,
// `DeckContext`, `IndexContext`), which swift-mustache reads by reflection (a stored property is a
// key; nil and false hide a section; an array repeats it). The title block is one value,
// `TitleBlock`, rendered by one partial (`templates/title-block.mustache`) in the page, its printed
// and student editions and the deck's title slide. README's "Templates" lists every key.
import Mustache

/// The block a handout opens with: course, title, subtitle, byline and abstract, from the front
/// matter. Its markup is `title-block.mustache`; every field is also a key of the context that
/// holds it (`{{title}}` and `{{titleBlock.title}}` are the same text).
struct TitleBlock: Sendable {
  /// The course the handout belongs to (front matter `course`).
  var course: String?
  /// The front matter's title, else the prose's first `#` heading, else the notebook's name.
  var title: String
  /// Whether the block shows `title` as its `<h1>` (the page does not when the title came from a
  /// `#` heading of the prose, which shows itself).
  var showTitle: Bool
  /// Front matter `subtitle`.
  var subtitle: String?
  /// Front matter `author`.
  var author: String?
  /// Front matter `date`, as written.
  var date: String?
  /// The date shares the author's byline (`author · date`): the page, when both are given.
  var dateBesideAuthor: Bool
  /// The date stands on a byline of its own: the page without an author, the deck always.
  var dateAlone: Bool
  /// Front matter `abstract` as HTML (its Markdown converted; the page only).
  var abstract: String?

  /// Where the date goes when there is an author too.
  enum Byline { case dateBesideAuthor, dateOnItsOwnLine }

  /// The title block of `frontMatter`'s handout, titled `title`.
  init(
    frontMatter fm: FrontMatter, title: String, showTitle: Bool = true, abstract: String? = nil,
    byline: Byline
  ) {
    // An empty field (`subtitle: ""`) is no field: no element, and no byline built around it.
    func given(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }
    course = given(fm.course)
    self.title = title
    self.showTitle = showTitle
    subtitle = given(fm.subtitle)
    author = given(fm.author)
    date = given(fm.date)
    let beside = byline == .dateBesideAuthor && author != nil
    dateBesideAuthor = beside && date != nil
    dateAlone = !beside && date != nil
    self.abstract = abstract
  }
}

/// A template context with a title block: each of the block's fields is also a key of the
/// context itself, so a template reads `{{title}}` or `{{#author}}` as before the block was a
/// value of its own, and `{{> title-block}}` renders it in place.
protocol TitledContext: MustacheParent {
  /// The handout's title block.
  var titleBlock: TitleBlock { get }
}

extension TitledContext {
  /// The stored property `name` of the context, else of its title block; nil when neither has it
  /// or its value is nil (then mustache looks further up its stack, as for a missing key).
  func child(named name: String) -> Any? {
    TemplateKeys.value(named: name, in: self) ?? TemplateKeys.value(named: name, in: titleBlock)
  }
}

/// Reading a typed context as mustache does.
enum TemplateKeys {
  /// The stored property `name` of `value` (an optional unwrapped; nil when it is nil), as
  /// swift-mustache reads a struct without `MustacheParent`.
  static func value(named name: String, in value: Any) -> Any? {
    guard let child = Mirror(reflecting: value).children.first(where: { $0.label == name }) else {
      return nil
    }
    let mirror = Mirror(reflecting: child.value)
    guard mirror.displayStyle == .optional else { return child.value }
    return mirror.children.first?.value
  }
}

/// A context as the templates read it: its keys as swift-mustache reads a struct's (through
/// `MustacheParent` when the value is one), with one rule of ours on top: an empty string is
/// false, like nil, so `{{#subtitle}}…{{/subtitle}}` over `subtitle: ""` shows nothing (and
/// `{{^subtitle}}` shows its text). Unlike nil it is still the key's value: `{{subtitle}}` renders
/// nothing rather than a same-named key further up the stack. Every value under the context (a
/// list's items, a nested struct) is read by the same rule.
struct TemplateValue: MustacheParent {
  let value: Any

  init(_ value: Any) { self.value = value }

  func child(named name: String) -> Any? {
    let found =
      (value as? MustacheParent).map { $0.child(named: name) } ?? TemplateKeys.value(named: name, in: value)
    return found.map(Self.wrap)
  }

  /// `value` read by the rule: an empty string as `EmptyText`, a list's items and a struct's keys
  /// by the rule too; anything else as it is.
  static func wrap(_ value: Any) -> Any {
    if let text = value as? String { return text.isEmpty ? EmptyText() : text }
    if value is Bool || value is Int || value is Double { return value }
    if let list = value as? [Any] { return list.map(wrap) }
    switch Mirror(reflecting: value).displayStyle {
    case .struct, .class: return TemplateValue(value)
    default: return value
    }
  }
}

/// An empty string in a template: renders as nothing and is false in a section.
struct EmptyText: MustacheCustomRenderable {
  var renderText: String { "" }
  var isNull: Bool { true }
}
