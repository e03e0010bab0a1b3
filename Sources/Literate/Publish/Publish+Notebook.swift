// One notebook's handout in the output folder: its manifest entry, then its products, made by the
// pipeline and swapped in, where the outcome says (in place, or as a failing page beside the last
// good one).
import Foundation

/// What a publish wrote, and what went wrong.
public struct PublishReport: Sendable {
  /// Problems of the write itself, each saying what happened to the previous handout; notes
  /// naming each good handout kept over a failing page.
  public var problems: [Diagnostic] = []
  /// Handouts whose page was written (in place, or as a failing page beside the good one).
  public var pages = 0
  /// Decks written with them.
  public var decks = 0
  /// PDFs that match the page written (printed, or the previous one when its page is the same).
  public var pdfs = 0
  /// Handouts not written because a file or folder of the user's holds one of their names.
  public var refused: [String] = []
  /// Handouts published again only for their links to their neighbours (`PublishOptions.neighbours`).
  public var relinked: [String] = []
  /// Whether `index.html` was written (not when a user's file holds its name, or the write failed).
  public var index = false

  /// An empty report.
  public init() {}

  /// `other`'s counts and lines added after these.
  mutating func add(_ other: PublishReport) {
    problems += other.problems
    pages += other.pages
    decks += other.decks
    pdfs += other.pdfs
    refused += other.refused
    relinked += other.relinked
    index = index || other.index
  }

  /// The line a person reads about what was written into `out`, counting only what was:
  /// `wrote 5 handouts to output/: 5 pages, 5 decks, 5 PDFs and index.html; 1 refused (a file of
  /// the user's holds its name: x.html)`. Decks and PDFs are named when asked for or written,
  /// `index.html` only when it was written (a full disk, a user's `index.html`: not named).
  public func summary(out: String, slides: Bool, pdf: Bool) -> String {
    func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    var parts = [count(pages, "page")]
    if slides || decks > 0 { parts.append(count(decks, "deck")) }
    if pdf || pdfs > 0 { parts.append(count(pdfs, "PDF")) }
    if index { parts.append("index.html") }
    let listed =
      parts.count == 1
      ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    var line = "wrote \(count(pages, "handout")) to \(out)/: \(listed)"
    if !refused.isEmpty {
      let names = refused.map { "\($0).html" }.joined(separator: ", ")
      line += "; \(refused.count) refused (a file of the user's holds its name: \(names))"
    }
    if !relinked.isEmpty {
      line +=
        "; links to their neighbours updated in \(relinked.map { "\($0).html" }.joined(separator: ", "))"
    }
    return line
  }
}

extension Publisher {
  /// Publishes each outcome's handout (`publishNotebook`), every PDF that must be printed started
  /// first (`prepare`); what each says comes back in the notebooks' order.
  static func publishNotebooks(
    _ outcomes: [NotebookOutcome], into folder: inout OutputFolder, order: [CourseEntry],
    weave: WeaveOptions, options: PublishOptions, linksBefore: [String: CourseNavigation],
    prepare: (ProductOrder) -> ProductOrder, make: ProductMaker
  ) -> PublishReport {
    var report = PublishReport()
    var prepared = outcomes.map { outcome in
      prepareNotebook(
        outcome, in: folder, weave: Self.weave(weave, for: outcome, in: order),
        options: options)
    }
    // Each handout's PDF starts printing now (when its page changed), unless a user's file holds
    // one of its names; none is still printing when this returns.
    for i in prepared.indices {
      guard let order = prepared[i].order, (try? folder.refuseForeign(names(of: order.target))) != nil else {
        continue
      }
      prepared[i].order = prepare(order)
    }
    defer { for p in prepared { p.order?.waitForPrint() } }
    // The handouts whose PDF is printing go last, so the others are published while it prints;
    // what each says is reported in the notebooks' order.
    let sequence = prepared.indices.sorted { a, b in
      (prepared[a].order?.isPrinting == true ? 1 : 0, a) < (prepared[b].order?.isPrinting == true ? 1 : 0, b)
    }
    var reports = Array(repeating: PublishReport(), count: prepared.count)
    for i in sequence {
      publishNotebook(
        prepared[i], into: &folder, options: options, linksBefore: linksBefore, make: make,
        report: &reports[i])
      // After each notebook, so a killed render leaves a manifest that says what is on disk; a
      // failure here is reported once, by the last save.
      _ = save(in: &folder)
    }
    for r in reports { report.add(r) }
    return report
  }

  /// `--force`: every handout of the other edition goes first (only files Handout wrote), so none
  /// of it is left behind or linked, whatever this render gives.
  /// - Throws: `HandoutError.file` when one cannot be removed (then the folder stays the other
  ///   edition's, and nothing of this render is written beside what is left of it).
  static func replaceOtherEdition(in folder: inout OutputFolder, for profile: Profile) throws {
    guard folder.manifest.otherProfile(than: profile) != nil else { return }
    var problem: Error?
    for entry in folder.manifest.handouts {
      do {
        try forget(entry.name, in: &folder)
      } catch {
        problem = problem ?? error
      }
    }
    guard let problem else { return }
    _ = save(in: &folder)
    let reason = "the handouts of the other edition were not all removed, so nothing was written: \(problem)"
    throw HandoutError.file(FileError(path: folder.out.path, reason: reason).writing)
  }

  /// One outcome as `publishNotebook` publishes it: filtered by `options.profile`, with its weave
  /// and, when a handout is made, the order for its products (a print may be under way already).
  struct PreparedNotebook {
    var outcome: NotebookOutcome
    var weave: WeaveOptions
    var order: ProductOrder?
  }

  /// `unfiltered` as `options.profile` lets its reader have it (the one filter point before every
  /// format), and the order for its handout in `folder`: in place, or as a failing page beside
  /// the last good one. No order when nothing is made (a bad name, no run).
  static func prepareNotebook(
    _ unfiltered: NotebookOutcome, in folder: OutputFolder, weave: WeaveOptions, options: PublishOptions
  ) -> PreparedNotebook {
    let outcome = unfiltered.applying(options.profile)
    // A student's page says once, in its status line, that the numbers were verified (issue 22).
    var weave = weave
    // Nor the instructor's own: speaker notes, notebook lines.
    if options.profile == .student {
      weave.verificationDetails = false
      weave.instructorsOwn = false
    }
    var prepared = PreparedNotebook(outcome: outcome, weave: weave, order: nil)
    let name = outcome.notebook?.name ?? Notebook.name(forPath: outcome.path)
    guard outputNameProblem(name) == nil, let notebook = outcome.notebook, let run = outcome.run else {
      return prepared
    }
    let previous = folder.manifest.entry(named: name)
    // An earlier page without a manifest (an older Handout wrote it) counts as good: kept.
    let hasGood = folder.exists("\(name).html") && (previous?.page ?? .good) == .good
    let inPlace = !outcome.failed || options.publishFailures || !hasGood
    let target = inPlace ? name : name + failedSuffix
    let (slides, pdf) = products(
      of: target, in: folder, options: options, neighbour: options.neighbours.contains(name))
    prepared.order = ProductOrder(
      notebook: notebook, run: run, artifacts: outcome.artifacts, target: target, weave: weave,
      slides: slides, pdf: pdf, previousPDFKey: folder.previousPDFKey(of: target))
    prepared.order?.withholdsUnprinted = options.keepProducts != nil && !options.neighbours.contains(name)
    prepared.order?.previewedBefore = options.keepProducts == nil || options.previewedBefore.contains(name)
    return prepared
  }

  /// One notebook: its manifest entry, then its handout where `prepared` says. Its products are
  /// made by `make` once its names are known free.
  static func publishNotebook(
    _ prepared: PreparedNotebook, into folder: inout OutputFolder, options: PublishOptions,
    linksBefore: [String: CourseNavigation] = [:], make: ProductMaker, report: inout PublishReport
  ) {
    let outcome = prepared.outcome
    let name = outcome.notebook?.name ?? Notebook.name(forPath: outcome.path)
    if let reason = outputNameProblem(name) {
      report.problems.append(Diagnostic(.error, reason, at: SourceLocation(file: outcome.path, line: 1)))
      return
    }
    let previous = folder.manifest.entry(named: name)
    var entry = Manifest.Entry(
      outcome: outcome, name: name, previous: previous, now: options.now, out: folder.out)
    var skipEntry = false
    defer { if !skipEntry { folder.manifest.set(entry) } }
    let at = SourceLocation(file: outcome.path, line: 1)
    guard var order = prepared.order else { return }
    let target = order.target
    let inPlace = target == name
    do {
      let neighbour = options.neighbours.contains(name)
      if neighbour, let links = linksBefore[name], try !samePage(order, links: links, in: folder, make: make)
      {
        entry = previous ?? entry
        report.problems.append(editedNeighbour(name, at: at))
        return
      }
      if !neighbour, let withheld = withheldPDF(order, links: linksBefore[name], in: folder, make: make) {
        order.pdf = .none
        report.problems.append(Diagnostic(.warning, withheld, at: at))
      }
      if inPlace {
        // What the page will be, saved with the files about to be swapped in (`pendingPage`).
        var announced = previous ?? entry
        announced.pendingPage = outcome.failed ? .failing : .good
        folder.manifest.set(announced)
      }
      let written = try folder.publishHandout(order, make: make)
      report.problems += written.messages.map { Diagnostic(.error, $0, at: at) }
      if options.neighbours.contains(name) {
        report.relinked.append(name)
      } else {
        report.pages += 1
        report.decks += written.deck ? 1 : 0
        report.pdfs += written.pdf ? 1 : 0
      }
    } catch let error as ForeignFileError {
      // The name is the user's: no entry, so the index never links what is there.
      entry = previous ?? entry
      if previous == nil {
        skipEntry = true
        folder.manifest.remove(name)
      }
      report.refused.append(target)
      report.problems.append(problem(error, "the handout \(target).html was not written", at: at))
      return
    } catch {
      // The index names the handout as the page it keeps is titled, not as the one not written.
      if let previous {
        (entry.title, entry.subtitle, entry.course) = (previous.title, previous.subtitle, previous.course)
      }
      let kept = inPlace ? "the previous one is kept" : "the last good handout \(name).html is kept"
      report.problems.append(problem(error, "the handout was not written (\(kept))", at: at))
      return
    }
    if inPlace {
      entry.page = outcome.failed ? .failing : .good
      entry.failedPage = false
      do {
        try folder.removeHandout(name + failedSuffix)
      } catch {
        report.problems.append(
          problem(error, "the old failing page \(name)\(failedSuffix).html was not removed", at: at))
        entry.failedPage = true
      }
    } else {
      entry.failedPage = true
      report.problems.append(
        Diagnostic(
          .note,
          "kept the last good handout \(name).html; this render's failing page is \(target).html",
          at: at))
    }
  }

  /// Whether the page `order` makes, with the links it had before this render (`links`), is the
  /// page the folder holds. A neighbour is published again only for its links: one whose page
  /// would change otherwise (its notebook was edited since it was rendered) keeps its page, deck
  /// and PDF (printed from that page), and no edit nobody rendered is published.
  static func samePage(
    _ order: ProductOrder, links: CourseNavigation, in folder: OutputFolder, make: ProductMaker
  ) throws -> Bool {
    var before = order
    before.weave.navigation = links
    before.slides = false
    before.pdf = .none
    guard let page = try? Files.read(folder.url("\(order.target).html")) else { return false }
    return try make(before).page == page
  }

  /// Why the handout's PDF goes with this publish, when it does: preview without Chromium
  /// (`PDFPublishing.keepPrevious` for a handout not published only for its links) carried the
  /// PDF over beside a page changed beyond its links, and the PDF, printed from the page before the
  /// edit, passed for the handout as it now is. A page that changed only in its links (`links`,
  /// those it had before) keeps its PDF: the printed page has none.
  /// On preview's first render (`ProductOrder.previewedBefore` false) the page differs from the one
  /// a render wrote, which nothing says was edited: the message says so.
  static func withheldPDF(
    _ order: ProductOrder, links: CourseNavigation?, in folder: OutputFolder, make: ProductMaker
  ) -> String? {
    guard case .keepPrevious = order.pdf, folder.hasPDF(order.target), let links,
      (try? samePage(order, links: links, in: folder, make: make)) != true
    else { return nil }
    let printed =
      order.previewedBefore
      ? "the page before this edit"
      : "the page as rendered before (with other options, or before an edit of the notebook)"
    return "\(order.target).pdf was removed: it was printed from \(printed), and no Chromium "
      + "is here to print it again (apt-get install chromium; render --pdf prints it)"
  }

  /// The note for a neighbour `samePage` found edited since it was rendered.
  static func editedNeighbour(_ name: String, at place: SourceLocation) -> Diagnostic {
    Diagnostic(
      .note,
      "\(name).html still links to its previous neighbours: its page would change beyond its links (its "
        + "notebook or the render's options changed since it was written; render it too to update it)",
      at: place)
  }

  /// The handouts whose links before this render publish compares pages with: the neighbours
  /// published again only for their links, and with preview's PDFs kept as they are (no Chromium)
  /// every handout published (`withheldPDF`).
  static func linksKept(_ outcomes: [NotebookOutcome], options: PublishOptions) -> Set<String> {
    guard case .keepPrevious = options.keepProducts else { return options.neighbours }
    return options.neighbours.union(outcomes.map { $0.notebook?.name ?? Notebook.name(forPath: $0.path) })
  }

  /// The links each of `neighbours` has in `out` before this render (`PublishOptions.neighbours`).
  static func linksBefore(_ neighbours: Set<String>, in folder: OutputFolder, out: URL)
    -> [String: CourseNavigation]
  {
    guard !neighbours.isEmpty else { return [:] }
    let before = courseOrder([], manifest: folder.manifest, out: out, options: PublishOptions())
    return Dictionary(uniqueKeysWithValues: neighbours.map { ($0, navigation(for: $0, in: before)) })
  }

  /// What the handout `target` gets besides its page: a deck and a PDF where `options` asks; with
  /// `keepProducts` also those an earlier render made for it, updated from this run. A neighbour
  /// published again for its links keeps the deck and PDF it has, and gets no other.
  static func products(
    of target: String, in folder: OutputFolder, options: PublishOptions, neighbour: Bool = false
  ) -> (slides: Bool, pdf: PDFPublishing) {
    guard let keep = options.keepProducts ?? (neighbour ? options.pdf.keeping : nil) else {
      return (options.slides, options.pdf)
    }
    var pdf = neighbour ? .none : options.pdf
    if case .none = pdf, folder.exists("\(target).pdf") { pdf = keep }
    return ((options.slides && !neighbour) || folder.exists("\(target).slides.html"), pdf)
  }
}

extension PDFPublishing {
  /// What becomes of a PDF a handout has when it is kept: printed again from its new page when
  /// this render prints, else carried over as it is.
  var keeping: PDFPublishing {
    if case .print = self { return self }
    return .keepPrevious
  }
}
