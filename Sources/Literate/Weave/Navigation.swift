// A handout's links to the rest of its course: the course index, and the previous and next
// handout in the index's order. Only a page published into a course folder has them.
import Foundation

/// Where a handout stands in its course, as `Publisher` knows it from the index's entries.
public struct CourseNavigation: Equatable, Sendable {
  /// A link to another page of the output folder: an href as on disk (percent-encoded when woven)
  /// and the text it shows.
  public struct Link: Equatable, Sendable {
    /// The page, relative to the output folder (`02-ann.html`).
    public var href: String
    /// The link's text: the page's title.
    public var title: String

    /// A link to `href` that reads `title`.
    public init(href: String, title: String) {
      self.href = href
      self.title = title
    }
  }

  /// The course index (`index.html`), titled by the course's name.
  public var index: Link
  /// The handout before this one in the index, if any.
  public var previous: Link?
  /// The handout after this one in the index, if any.
  public var next: Link?

  /// The links of one page: the index, and its neighbours when it has them.
  public init(index: Link, previous: Link? = nil, next: Link? = nil) {
    self.index = index
    self.previous = previous
    self.next = next
  }
}
