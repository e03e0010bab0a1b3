// `handout preview`: render once, serve the output folder on 127.0.0.1, and re-render a notebook
// when it, a data file it reads or its folder's shared code changes; the open page reloads.
import ArgumentParser
import Foundation
import Literate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct Preview: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preview",
    abstract: "Render, serve the handouts on 127.0.0.1, and re-render each notebook as it changes.",
    discussion:
      "Renders as render does, serves the output folder on 127.0.0.1 only, and watches every notebook, the data files it reads (data: globs and dataFile) and its folder's _shared code: a change re-renders that notebook (shared code: all of its folder) and reloads its open page. A failing notebook's page is shown at its handout's address, its errors at their blocks, while the folder keeps the last good handout (the failing page beside it, as <name>.failed.html). Ctrl-C stops."
  )

  @OptionGroup var shared: SharedOptions

  @Option(name: .shortAndLong, help: "Output folder.")
  var out: String = "output"

  @Option(help: "Port on 127.0.0.1 (0: any free port).")
  var port: Int = 8000

  @Flag(help: "Also write and serve each handout's slide deck <name>.slides.html; it reloads on its slide.")
  var slides = false

  @Option(
    help: ArgumentHelp(
      "Who the handouts are for: instructor (solutions collapsed under their exercises) or student.",
      valueName: "profile"))
  var profile: Profile = .instructor

  /// How often the notebooks and their inputs are looked at.
  static let pollInterval: useconds_t = 300_000
  /// Every 50 looks (15 s) the open event streams are pinged, so those of closed pages end.
  static let pingTicks = 50

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  mutating func run() throws {
    #if !Preview
      // A build without the server (make render's) says so before rendering anything.
      ProgressPrinter().error(PreviewServer.missing)
      throw ExitCode(2)
    #else
      try serve()
    #endif
  }

  /// Renders, starts the server and watches; never returns but by an error.
  mutating func serve() throws {
    // Every place preview names (the page's errors, its banner, the index) is relative to where
    // it was started: what it serves never holds the notebooks' absolute paths.
    shared.paths = shared.paths.map(Self.relativeToWorkingFolder)
    let progress = ProgressPrinter()
    let session = PreviewSession(
      out: URL(fileURLWithPath: out, isDirectory: true),
      weave: WeaveOptions(generator: "handout \(Handout.configuration.version)"), progress: progress)
    session.slides = slides
    session.profile = profile
    session.completeFolders = Pipeline.folders(in: shared.paths)
    // A PDF that `render --pdf` wrote is printed again when its page changes (kept without Chromium).
    session.keptPDFs =
      (try? PDFPrinter.locateChromium()).map {
        .print(PDFPrinter(chromium: $0, reaper: Signals.reaper, sourceDate: PDFPrinter.sourceDate()))
      } ?? .keepPrevious
    var request = shared.request(progress: progress, studentEdition: profile == .student)
    request.publication = session.publication(cacheDirectory: shared.cacheDirectory)
    // Stamped before the render: a change made while it runs is seen afterwards.
    request.willRun = { session.stampBeforeRender($0) }
    let report = try shared.render(request, progress: progress)
    let bound: Int
    do {
      bound = try PreviewServer.start(root: session.out, port: port, state: session.state)
    } catch let error as PreviewServerError {
      progress.error(error.description)
      throw ExitCode(2)
    }
    progress.say("Serving http://127.0.0.1:\(bound)/ (Ctrl-C to stop)")
    Signals.enter(.serving)
    watch(report.notebooks, session: session, options: report.runOptions)
  }

  /// `path` relative to the working folder, with `..` steps when it lies outside it; a relative
  /// path as it is. Both sides are compared with their symlinks resolved, as the kernel walks a
  /// relative path from the (resolved) working folder.
  static func relativeToWorkingFolder(_ path: String) -> String {
    guard path.hasPrefix("/") else { return path }
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath()
      .pathComponents
    let there = URL(fileURLWithPath: path).resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(here.count, there.count) && here[common] == there[common] { common += 1 }
    let steps = Array(repeating: "..", count: here.count - common) + there[common...]
    return steps.isEmpty ? "." : steps.joined(separator: "/")
  }

  /// Looks at the notebooks' inputs every `pollInterval`, and renders and publishes those that
  /// changed, until a signal ends `handout`.
  func watch(_ notebooks: [String], session: PreviewSession, options: RunOptions) -> Never {
    var notebooks = notebooks
    var ticks = 0
    while true {
      usleep(Self.pollInterval)
      ticks += 1
      if ticks % Self.pingTicks == 0 { session.state.ping() }
      let previous = notebooks
      notebooks = currentNotebooks(notebooks, session: session)
      // A notebook deleted or renamed: its handout goes, as a fresh render of its folder drops it.
      // Paths by their bytes (see `currentNotebooks`).
      let now = Set(notebooks.map { Array($0.utf8) })
      let gone = Set(previous.filter { !now.contains(Array($0.utf8)) })
      session.forget(gone)
      let changed = session.changed(among: notebooks)
      guard !changed.isEmpty || !gone.isEmpty else { continue }
      session.stillThere = Set(notebooks).subtracting(changed).map { Notebook.name(forPath: $0) }
      session.stampBeforeRender(changed)
      let progress = session.progress
      let outcomes = Pipeline.processAll(changed, jobs: shared.jobs, options: options) { outcome in
        progress.finished(outcome)
      }
      // A signal arrived: its handler is ending the children and then `handout`.
      if Signals.reaper.isStopping { Signals.waitForExit() }
      do {
        // As the first render: the handouts whose previous/next links these change are woven
        // again from their cached runs (a title edited, a notebook added).
        _ = try Pipeline.publish(
          outcomes, session.publication(cacheDirectory: shared.cacheDirectory), relinking: options,
          jobs: shared.jobs)
      } catch {
        session.progress.error("\(error)")
      }
    }
  }

  /// The notebooks named now (a folder may have gained one); the previous list when the paths
  /// cannot be read, or when a new notebook's handout would clash with another's, or is one
  /// already in the output folder renamed only in Unicode normalization (said once, as `render`
  /// refuses it). Compared by their bytes: `café.md` renamed to `café.md` (é as `e` and a
  /// combining accent) is `==` to it, so preview never saw the rename and rendered the gone name.
  func currentNotebooks(_ previous: [String], session: PreviewSession) -> [String] {
    guard let now = try? Pipeline.notebookPaths(shared.paths),
      now.map({ Array($0.utf8) }) != previous.map({ Array($0.utf8) })
    else { return previous }
    do {
      try Publisher.checkOutputNames(now)
      try Pipeline.checkNormalizationRenames(now, out: session.out)
    } catch {
      if session.refused != now {
        session.refused = now
        session.progress.error("\(error)")
      }
      return previous
    }
    return now
  }
}

extension NotebookOutcome {
  /// A notebook not yet parsed: its inputs are itself and its folder's shared code.
  static func unparsed(_ path: String) -> NotebookOutcome {
    NotebookOutcome(path: path, notebook: nil, run: nil, error: nil)
  }
}

/// What preview knows between renders: each notebook's last outcome and its inputs' stamps as
/// they were when it was rendered, and the state the served pages follow.
final class PreviewSession {
  let out: URL
  let weave: WeaveOptions
  let progress: ProgressPrinter
  /// Each render also writes the decks (`--slides`), for this profile (`--profile`).
  var slides = false
  var profile = Profile.instructor
  /// What becomes of a PDF an earlier `render --pdf` made (see `PublishOptions.keepProducts`).
  var keptPDFs = PDFPublishing.keepPrevious
  /// The stamps of the inputs of the notebooks being rendered, taken before their render.
  private var before: [String: [String: FileStamp?]] = [:]
  let state = PreviewState()
  /// The last list of notebooks refused because two handouts would clash (reported once).
  var refused: [String] = []
  /// The named paths that are folders: each render has them whole (`PublishOptions.completeFolders`).
  var completeFolders: [String] = []
  /// The handouts whose notebooks are there but not rendered again (`PublishOptions.stillThere`).
  var stillThere: [String] = []
  private var outcomes: [String: NotebookOutcome] = [:]
  private var rendered: [String: [String: FileStamp?]] = [:]

  init(out: URL, weave: WeaveOptions, progress: ProgressPrinter) {
    self.out = out
    self.weave = weave
    self.progress = progress
  }

  /// The notebooks to render again: new ones, and those with an input that is not as it was
  /// rendered (changed, gone, or new: a glob or the shared folder matches one more file).
  func changed(among notebooks: [String]) -> [String] {
    notebooks.filter { path in
      guard let outcome = outcomes[path], let stamps = rendered[path] else { return true }
      return outcome.inputFiles.contains { file in
        guard let then = stamps[file] else { return true }
        return FileStamp(file) != then
      }
    }
  }

  /// Forgets the notebooks at `paths` (deleted or renamed): one that comes back is new.
  func forget(_ paths: Set<String>) {
    for path in paths {
      outcomes[path] = nil
      rendered[path] = nil
    }
  }

  /// Takes the stamps of the notebooks' inputs as they are now (the inputs the last render knew
  /// of), before they render: a change made while they do is seen afterwards.
  func stampBeforeRender(_ notebooks: [String]) {
    before = Dictionary(
      notebooks.map { ($0, FileStamp.snapshot((outcomes[$0] ?? .unparsed($0)).inputFiles)) },
      uniquingKeysWith: { first, _ in first })
  }

  /// How preview publishes: as `render` does (a failing page goes beside the last good handout,
  /// which the folder keeps; the server shows the failing one at the handout's address:
  /// `LivePages.shown`), and keeping every deck and PDF that `render` made there, brought up to
  /// date (never deleted: the output folder is often the one `render --slides --pdf` writes, and
  /// its index keeps linking them).
  func publishOptions() -> PublishOptions {
    var options = PublishOptions(
      publishFailures: false, completeFolders: completeFolders, slides: slides, profile: profile)
    options.stillThere = Set(stillThere)
    options.keepProducts = keptPDFs
    return options
  }

  /// How preview's renders publish (`publishOptions()`, through `publish`), so that
  /// `Pipeline.publish(_:_:relinking:jobs:)` also relinks the neighbours of what changed.
  func publication(cacheDirectory: String?) -> Publication {
    var publication = Publication(out: out, weave: weave, options: publishOptions())
    publication.cacheDirectory = cacheDirectory
    publication.publish = { [unowned self] outcomes, options in try self.publish(outcomes, options: options) }
    return publication
  }

  /// Publishes the outcomes with `options` (`publishOptions()`, with the folders the render had
  /// whole), records their inputs (the stamps taken by `stampBeforeRender`; files first known from
  /// this render, as they are now), and tells the open pages.
  /// - Throws: `HandoutError.file` when the output folder cannot be written at all.
  func publish(_ new: [NotebookOutcome], options: PublishOptions) throws -> PublishReport {
    // A notebook that did not parse (or could not run) keeps its previous page: say why on it,
    // as the profile's reader may read it (a student is not shown the text of a solution).
    let handouts = new.map { outcome in
      (
        name: outcome.notebook?.name ?? Notebook.name(forPath: outcome.path),
        problem: outcome.run == nil ? outcome.applying(profile).error?.description : nil
      )
    }
    state.setProblems(handouts)
    var options = options
    // A page this preview published before changed with an edit; another, since another render.
    options.previewedBefore = Set(
      new.filter { outcomes[$0.path] != nil }.map { $0.notebook?.name ?? Notebook.name(forPath: $0.path) })
    let report = try Pipeline.publish(new, to: out, weave: weave, options: options)
    report.problems.forEach { progress.error($0.description) }
    for outcome in new {
      outcomes[outcome.path] = outcome
      rendered[outcome.path] = (before[outcome.path] ?? [:]).merging(FileStamp.snapshot(outcome.inputFiles)) {
        then, _ in then
      }
    }
    state.rendered(handouts.map(\.name))
    return PublishReport()
  }
}
