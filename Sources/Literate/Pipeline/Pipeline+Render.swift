// One render as every command runs it: the notebooks named, the output folder refused before
// anything runs when it is wrong, each notebook parsed once, run, checked, and (unless only
// checking) published. `handout render`, `check` and `preview` wire their options to this; it
// prints nothing (what a person reads goes through the request's callbacks).
import Foundation

/// What to render: the notebooks, how to run them, and where to publish them (if anywhere).
public struct RenderRequest {
  /// Notebooks (.md) or folders of them (`Pipeline.notebookPaths`).
  public var paths: [String]
  /// How many notebooks run at once.
  public var jobs = 1
  /// The run options (with `--param` values in `parameters`), asked for once the notebooks and the
  /// output folder are known good: locating the runtime may fail, and is said after those.
  public var runOptions: () throws -> RunOptions
  /// Which of the named notebooks run (`check --shard`); all by default. Every named notebook's
  /// `params:` still count when a `--param` is checked.
  public var select: ([String]) -> [String] = { $0 }
  /// Where to publish; nil only checks (nothing is written).
  public var publication: Publication?
  /// Called as each notebook's run ends, from the worker threads.
  public var finished: (@Sendable (NotebookOutcome) -> Void)?
  /// Called with the notebooks about to run, after every check (preview stamps their inputs here).
  public var willRun: ([String]) -> Void = { _ in }
  /// Called when every run has ended, before anything is published (the CLI waits there for a
  /// signal's handler, which ends `handout`).
  public var runsEnded: () -> Void = {}
  /// A line for the person, said before anything runs (no Chromium: no PDF).
  public var message: (String) -> Void = { _ in }

  /// A request to check `paths` with `runOptions`; set `publication` to publish too.
  public init(paths: [String], jobs: Int = 1, runOptions: @escaping () throws -> RunOptions) {
    self.paths = paths
    self.jobs = jobs
    self.runOptions = runOptions
  }
}

/// Where and how a render publishes (`Publisher.publish`).
public struct Publication {
  /// The output folder.
  public var out: URL
  /// How the pages, decks and index are woven.
  public var weave: WeaveOptions
  /// How to publish; its `completeFolders` are the named paths that are folders, its `pdf` what
  /// `printPDF` found.
  public var options: PublishOptions
  /// The cache folder, refused inside the output folder (`Publisher.checkOutputFolder`).
  public var cacheDirectory: String?
  /// Print each handout to PDF with the Chromium `PDFPrinter.locateChromium` finds; without one,
  /// the pages of handouts without a PDF are still written, a handout that has one is kept whole
  /// (page, deck and PDF), and the report says so.
  public var printPDF = false
  /// Ends Chromium when `handout` gets a signal.
  public var reaper: ProcessReaper?
  /// Publishes instead of `Publisher.publish` (preview's own, which also tells the served pages).
  public var publish: (([NotebookOutcome], PublishOptions) throws -> PublishReport)?

  /// Publishing into `out` with `weave` and `options`.
  public init(out: URL, weave: WeaveOptions, options: PublishOptions = PublishOptions()) {
    self.out = out
    self.weave = weave
    self.options = options
  }
}

/// What a render did.
public struct RenderReport {
  /// Every notebook named, in order (also those `select` left out).
  public var notebooks: [String]
  /// One per notebook run, in the order of `notebooks`.
  public var outcomes: [NotebookOutcome]
  /// What the write itself did (`Publisher.publish`); nothing when only checking.
  public var published = PublishReport()
  /// Problems of the write itself; none when only checking.
  public var problems: [Diagnostic] { published.problems }
  /// PDFs were asked for but no Chromium was found (none was printed).
  public var noChromium = false
  /// The run options the notebooks ran with (preview runs changed notebooks again with them).
  public var runOptions: RunOptions
}

extension Pipeline {
  /// Checks, runs and publishes as `request` says, and reports what happened. A notebook's own
  /// failure is in its outcome, never thrown.
  /// - Throws: `HandoutError` when nothing can run or be written: a path that does not exist,
  ///   clashing handout names, a wrong output folder or profile, no runtime, a `--param` no
  ///   notebook declares, no notebooks at all, an output folder that cannot be written.
  public static func render(_ request: RenderRequest) throws -> RenderReport {
    let notebooks = try notebookPaths(request.paths)
    var publication = request.publication
    var noChromium = false
    if var p = publication {
      try Publisher.checkOutputNames(notebooks)
      try Publisher.checkOutputFolder(p.out.path, notebooks: notebooks, cache: p.cacheDirectory)
      try Publisher.checkProfile(of: p.out, for: p.options.profile, force: p.options.replaceOtherProfile)
      try checkNormalizationRenames(notebooks, out: p.out)
      if p.printPDF {
        do {
          p.options.pdf = .print(
            PDFPrinter(
              chromium: try PDFPrinter.locateChromium(), reaper: p.reaper, sourceDate: PDFPrinter.sourceDate()
            ))
        } catch {
          request.message("error: no PDF: \(error)")
          p.options.pdf = .unprintable("\(error)")
          noChromium = true
        }
      }
      p.options.completeFolders = Set(folders(in: request.paths).map(Publisher.absolute))
      if let cache = p.cacheDirectory {
        p.options.ownedStamps = OwnedStamps.location(cache: URL(fileURLWithPath: cache), out: p.out)
      }
      publication = p
    }
    var options = try request.runOptions()
    // The student's pages are published: a run whose reads are not all seen cannot be judged.
    options.publishesStudentEdition = publication?.options.profile == .student
    // Each notebook is parsed here, once: its `params:` are checked, then the parsed notebook runs.
    let parsed = Dictionary(notebooks.map { ($0, load($0)) }, uniquingKeysWith: { first, _ in first })
    try checkParameters(options.parameters, declaredIn: parsed.values.compactMap { try? $0.get() })
    if notebooks.isEmpty {
      throw HandoutError.usage("no notebooks (*.md) in \(request.paths.joined(separator: ", "))")
    }
    let selected = request.select(notebooks)
    request.willRun(selected)
    var running = options
    let pool = PoolBox()
    defer { pool.value?.finish() }
    if let publication {
      // The first page woven ahead once its key is known: a cached run's `run.json` is then read
      // and checked on the run's thread while the main thread waits (bench/README 53). The other
      // pages, the assets read ahead and the inode pool only once a notebook compiles, as before:
      // a render whose runs are all cached would do them for nothing.
      let notebooks = selected.compactMap { try? parsed[$0]?.get() }
      let first = Once { publishAhead(Array(notebooks.prefix(1)), publication, assets: false) }
      let ahead = Once {
        first.fire()
        publishAhead(Array(notebooks.dropFirst()), publication)
        pool.value = InodePool.start(
          cache: options.cacheDirectory, out: publication.out, reaper: publication.reaper)
      }
      running.keyed = { first.fire() }
      running.willCompile = { ahead.fire() }
    }
    let outcomes = processAll(
      selected, jobs: request.jobs, options: running, parsed: parsed, finished: request.finished)
    request.runsEnded()
    var report = RenderReport(
      notebooks: notebooks, outcomes: outcomes, noChromium: noChromium, runOptions: options)
    if let publication {
      report.published = try publish(outcomes, publication, relinking: options, jobs: request.jobs)
    }
    return report
  }

  /// Publishes `outcomes` as `publication` says, with the handouts already in its folder whose
  /// links to their neighbours `outcomes` change, woven again from their cached runs (`options`,
  /// cache only; see `withNeighbours`).
  public static func publish(
    _ outcomes: [NotebookOutcome], _ publication: Publication, relinking options: RunOptions, jobs: Int
  ) throws -> PublishReport {
    let relinked = withNeighbours(outcomes, publication, options: options, jobs: jobs)
    var publication = publication
    publication.options.neighbours = relinked.neighbours
    var report = try publish(relinked.outcomes, publication)
    report.problems += relinked.notes
    return report
  }

  /// Publishes `outcomes` as `publication` says.
  public static func publish(_ outcomes: [NotebookOutcome], _ publication: Publication) throws
    -> PublishReport
  {
    if let publish = publication.publish { return try publish(outcomes, publication.options) }
    return try publish(outcomes, to: publication.out, weave: publication.weave, options: publication.options)
  }

  /// The paths among `paths` that name folders, and the subfolders whose notebooks they take in
  /// (`walk`): a render has each of them whole, so a handout of a notebook gone from one is dropped.
  public static func folders(in paths: [String]) -> [String] {
    paths.flatMap { path -> [String] in
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
      else {
        return []
      }
      return walk(path).folders
    }
  }

  /// A `--param` no notebook declares is a typo: said before anything runs.
  static func checkParameters(_ values: [String: String], declaredIn notebooks: [Notebook]) throws {
    let declared = Set(notebooks.flatMap { $0.frontMatter.parameters.map(\.name) })
    if let unknown = values.keys.sorted().first(where: { !declared.contains($0) }) {
      throw HandoutError.usage(
        "--param \(unknown): no notebook declares a parameter '\(unknown)' under params: "
          + "(declared: \(declared.isEmpty ? "none" : declared.sorted().joined(separator: ", ")))")
    }
  }

  /// How many times a notebook file was parsed by `load` (tests count them: once per render).
  static let loads = LoadCounter()

  /// The notebook at `path`, parsed; the error says why not.
  static func load(_ path: String) -> Result<Notebook, HandoutError> {
    loads.increment()
    do {
      return .success(try Notebook.load(path: path))
    } catch let error as HandoutError {
      return .failure(error)
    } catch {
      return .failure(.file(FileError(path: path, reason: "\(error)").reading))
    }
  }
}

/// The render's `InodePool`, once started (from whichever thread compiles first).
final class PoolBox: @unchecked Sendable {
  private let lock = NSLock()
  private var pool: InodePool?
  var value: InodePool? {
    get { lock.withLock { pool } }
    set { lock.withLock { pool = newValue } }
  }
}

/// A thread-safe count.
final class LoadCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
