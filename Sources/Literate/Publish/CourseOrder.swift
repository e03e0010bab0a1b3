// The course's order, known before any page is written: the handouts the index will list after
// this render, in its order, so each page can link its neighbours.
import Foundation

extension Publisher {
  /// One handout of the course: its name (`<name>.html`), index title, source path and the course
  /// its front matter names.
  struct CourseEntry: Equatable {
    var name: String
    var title: String
    var source: String
    var course: String?
  }

  /// The handouts the index will list once `outcomes` are published into a folder whose manifest
  /// is `manifest`, in the index's order (`Manifest.indexEntries`: by source path, then name): the
  /// handouts kept from earlier renders, except those `dropMissing` will forget, and this render's
  /// notebooks that have or get a page (not one whose names a user's file holds).
  static func courseOrder(
    _ outcomes: [NotebookOutcome], manifest: Manifest, out: URL, options: PublishOptions
  ) -> [CourseEntry] {
    var entries: [String: CourseEntry] = [:]
    for old in manifest.handouts {
      let folder = URL(fileURLWithPath: old.source, relativeTo: out).standardizedFileURL
        .deletingLastPathComponent().path
      guard !options.hasWhole(folder) || options.isStillThere(old.name) else {
        continue
      }
      entries[old.name] = CourseEntry(
        name: old.name, title: old.title, source: old.source, course: old.course)
    }
    for outcome in outcomes {
      let name = outcome.notebook?.name ?? Notebook.name(forPath: outcome.path)
      let previous = manifest.entry(named: name)
      // A name a file of the user's holds gets no page (`OutputFolder.refuseForeign`): no link to it.
      let foreign = names(of: name).contains {
        manifest.ownership.foreignPath(at: $0, in: out) != nil
      }
      guard outputNameProblem(name) == nil, !foreign, outcome.notebook != nil || previous != nil else {
        entries[name] = nil
        continue
      }
      entries[name] = CourseEntry(
        name: name, title: outcome.notebook?.title ?? previous?.title ?? name,
        source: relativePath(of: outcome.path, from: out),
        course: outcome.notebook.map { $0.frontMatter.course } ?? previous?.course)
    }
    return entries.values.sorted { ($0.source, $0.name) < ($1.source, $1.name) }
  }

  /// The links of handout `name` in `order`: the index, and its neighbours. The index link names
  /// the course as the index is titled (`IndexContext.courses`: "<course>: all handouts"), unless
  /// this handout names another course in its front matter: then it reads "All handouts", so that a
  /// page never names two courses.
  static func navigation(for name: String, in order: [CourseEntry]) -> CourseNavigation {
    let k = order.firstIndex { $0.name == name }
    let own = k.flatMap { order[$0].course }
    let first = IndexContext.courses(order.map(\.course)).course
    let course = own == nil || own == first ? first : nil
    var navigation = CourseNavigation(
      index: .init(href: "index.html", title: course.map { "\($0): all handouts" } ?? "All handouts"))
    guard let k else { return navigation }
    func link(_ e: CourseEntry) -> CourseNavigation.Link { .init(href: e.name + ".html", title: e.title) }
    if k > 0 { navigation.previous = link(order[k - 1]) }
    if k + 1 < order.count { navigation.next = link(order[k + 1]) }
    return navigation
  }

  /// The handouts already in `out` (not among `outcomes`, with a page) whose links to the index or
  /// their neighbours differ once `outcomes` are published: by name, with the notebook's path as
  /// the render that wrote them named it (relative to the working folder when it was relative).
  static func staleNeighbours(of outcomes: [NotebookOutcome], in out: URL, options: PublishOptions)
    -> [(name: String, path: String)]
  {
    let manifest = loadManifest(of: out, options: options)
    guard manifest.otherProfile(than: options.profile) == nil else { return [] }
    let before = courseOrder([], manifest: manifest, out: out, options: PublishOptions())
    let after = courseOrder(outcomes, manifest: manifest, out: out, options: options)
    let rendered = Set(outcomes.map { $0.notebook?.name ?? Notebook.name(forPath: $0.path) })
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    return after.compactMap { entry in
      guard !rendered.contains(entry.name), manifest.entry(named: entry.name)?.page != nil,
        navigation(for: entry.name, in: before) != navigation(for: entry.name, in: after)
      else { return nil }
      let source = URL(fileURLWithPath: entry.source, relativeTo: out).standardizedFileURL.path
      // As an earlier render named it (the page shows it, and the cache key holds it).
      let path = entry.source.hasPrefix("/") ? source : relativePath(of: source, from: here)
      return (entry.name, path)
    }
  }

  /// `weave` with the links of `outcome`'s handout in `order`.
  static func weave(_ weave: WeaveOptions, for outcome: NotebookOutcome, in order: [CourseEntry])
    -> WeaveOptions
  {
    var weave = weave
    let name = outcome.notebook?.name ?? Notebook.name(forPath: outcome.path)
    weave.navigation = navigation(for: name, in: order)
    return weave
  }
}
