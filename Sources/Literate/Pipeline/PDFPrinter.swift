// The printable handout: the page woven for print, printed to PDF by headless Chromium.
//
// Why Chromium: KaTeX then typesets exactly as on screen, SVG figures stay vector, and Chromium
// (from 131) lays out CSS `@page` margin boxes, which carry the running header and page numbers.
// The input is a self-contained weave of the page (stylesheet, KaTeX and figures inlined) in a
// temporary folder, so nothing depends on the output folder's state. Chromium runs as a child in a
// session of its own (`ChildProcess`), with a time limit and a throwaway profile and HOME; a time
// limit or a signal to `handout` ends it and every process it started.
//
// Speed (issue 22: a warm re-render after a one-word edit prints one PDF, and that print was most
// of it). Chromium runs as one process: `--single-process --no-zygote` (no zygotes, renderer, GPU,
// network or storage process to start: about a fifth less CPU; the PDF is the same, page for page
// and pixel for pixel), and `--disable-crashpad-for-testing` (no `chrome_crashpad_handler`, which
// started sessions of their own that `--disable-crash-reporter` did not stop). Its scratch folder,
// with the fresh profile Chromium creates and syncs to disk, is on a memory file system when there
// is one (`/dev/shm`): on a disk that profile was a third of a print's time on a busy machine.
//
// Same bits: two prints of one page differ in the PDF's CreationDate and ModDate, which Chromium
// sets to the time of printing (it has no option to fix them), and in the ids of table header
// cells in its structure tree (DOM node ids), which are numbered again by their place in every
// print (`renumberingStructureIDs`). With `sourceDate` (from
// `SOURCE_DATE_EPOCH`, the reproducible-builds convention) both are rewritten in place to that
// time, in the same number of bytes, so the PDF is the same bytes on every print.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a handout could not be printed. `description` is the text a person reads.
public enum PDFError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No Chromium: the places looked at.
  case chromiumMissing(searched: [String])
  /// Chromium ran but wrote no PDF (it crashed, failed or ran out of time).
  case printFailed(reason: String)

  /// The sentence a person reads: what is wrong and what to do.
  public var description: String {
    switch self {
    case .chromiumMissing(let searched):
      "Chromium was not found (looked for \(searched.joined(separator: ", "))); "
        + "install it with `apt-get install chromium`, or set HANDOUT_CHROMIUM to a Chromium binary"
    case .printFailed(let reason):
      "Chromium could not print the handout: \(reason)" + Self.addressSpaceHint()
    }
  }

  /// Why Chromium may not have started: it does not under an address-space limit (`ulimit -v`; its
  /// JavaScript engine reserves tens of GiB), and dies of a signal that says nothing of it.
  static func addressSpaceHint() -> String {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
      return ""
    }
    return
      "; Chromium does not run under an address-space limit (ulimit -v is \(limit.rlim_cur / (1024 * 1024)) MiB): "
      + "raise it (ulimit -v unlimited)"
  }
}

/// Prints a handout to an A4 PDF with headless Chromium.
public struct PDFPrinter: Sendable {
  /// The Chromium executable.
  public var chromium: String
  /// Seconds one print may take before Chromium is killed. Default 120 (a long handout prints in
  /// about 5 s on an idle 2-core machine; the rest is for a machine busy compiling).
  public var timeLimit: Double
  /// Ends Chromium, and removes its temporary folder, when `handout` gets SIGINT or SIGTERM.
  public var reaper: ProcessReaper?
  /// The time the PDF's CreationDate and ModDate say; nil keeps Chromium's (the time of printing).
  public var sourceDate: Date?
  /// The folder a print's scratch folder (`handout-print-…`: input, profile, PDF) is made in; nil
  /// chooses it as `scratchRoot(environment:)` says.
  public var scratchRoot: URL?

  /// A printer using `chromium`, `timeLimit` seconds per handout, known to `reaper`, dating its
  /// PDFs `sourceDate` (nil: when printed).
  public init(
    chromium: String, timeLimit: Double = 120, reaper: ProcessReaper? = nil, sourceDate: Date? = nil
  ) {
    self.chromium = chromium
    self.timeLimit = timeLimit
    self.reaper = reaper
    self.sourceDate = sourceDate
  }

  /// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) as a date; nil when unset or not a whole number.
  public static func sourceDate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date?
  {
    guard let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text), seconds >= 0 else {
      return nil
    }
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// Finds Chromium: `$HANDOUT_CHROMIUM` when set (and only there), else `chromium` or
  /// `chromium-browser` on `$PATH`, else `/usr/bin/chromium`.
  /// - Throws: `PDFError.chromiumMissing` naming the places looked at.
  public static func locateChromium(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(PDFError) -> String
  {
    let fm = FileManager.default
    if let explicit = environment["HANDOUT_CHROMIUM"], !explicit.isEmpty {
      guard fm.isExecutableFile(atPath: explicit) else {
        throw .chromiumMissing(searched: ["\(explicit) ($HANDOUT_CHROMIUM)"])
      }
      return explicit
    }
    let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
    for name in ["chromium", "chromium-browser"] {
      for folder in folders where !folder.isEmpty {
        let path = folder + "/" + name
        if fm.isExecutableFile(atPath: path) { return path }
      }
    }
    if fm.isExecutableFile(atPath: "/usr/bin/chromium") { return "/usr/bin/chromium" }
    throw .chromiumMissing(searched: ["chromium on $PATH", "/usr/bin/chromium"])
  }

  /// Weaves `notebook`'s page for print (self-contained, with the running header; figures are
  /// read from `weave.figureRoot`) and prints it to `destination`, replacing what was there only
  /// when the print succeeded.
  /// - Throws: `PDFError.printFailed` (a time limit, a crash, no file written), a `WeaveError`
  ///   from the weave; `destination` is then untouched.
  public func print(notebook: Notebook, run: RunResult, weave: WeaveOptions, to destination: URL) throws {
    try print(
      page: try page(notebook: notebook, run: run, weave: weave), author: notebook.frontMatter.author ?? "",
      to: destination)
  }

  /// The page this printer prints: self-contained (figures, CSS and KaTeX inside), print styles on.
  func page(notebook: Notebook, run: RunResult, weave: WeaveOptions) throws -> String {
    var options = weave
    options.selfContained = true
    options.printed = true
    options.verificationDetails = false
    return try Weave.page(notebook: notebook, run: run, options: options)
  }

  /// What a PDF printed from `page` depends on: the page's bytes, this Chromium (its path, size
  /// and modification time: an upgrade prints anew), the flags it prints with and the date the PDF
  /// carries, and the version of what Handout does to Chromium's bytes (2: structure ids numbered
  /// by place, `renumberingStructureIDs`; 3: the author in the document information, `authored`). Equal keys, equal PDFs, so a render whose page did not
  /// change keeps the PDF it has (issue 22).
  func key(page html: String) -> String {
    let chromiumStamp = FileStamp(URL(fileURLWithPath: chromium).resolvingSymlinksInPath().path)
    let date = sourceDate.map { String(Int($0.timeIntervalSince1970)) } ?? "time of printing"
    let flags = Self.flags.joined(separator: " ")
    return SHA256.hex(
      "handout pdf 3\n\(chromium) \(chromiumStamp?.description ?? "-")\n\(flags)\n\(date)\n\(html)".utf8)
  }

  /// Prints `html` (a page from `page(notebook:run:weave:)`) to `destination`, `author` in its
  /// document information.
  func print(page html: String, author: String = "", to destination: URL) throws {
    let bytes = try printed(page: html, author: author)
    do {
      try Files.write(bytes, to: destination)
    } catch {
      throw PDFError.printFailed(reason: FileError(destination, error).description)
    }
  }

  /// The PDF printed from `html`, read from the print's scratch folder (which goes with the print:
  /// no copy of the page or the PDF is left anywhere else).
  func printed(page html: String, author: String = "") throws -> Data {
    let fm = FileManager.default
    let scratch = try Self.makeScratch(in: scratchRoot ?? Self.scratchRoot())
    reaper?.add(folder: scratch.path)
    defer {
      try? fm.removeItem(at: scratch)
      reaper?.remove(folder: scratch.path)
    }
    let page = scratch.appendingPathComponent("page.html")
    let pdf = scratch.appendingPathComponent("page.pdf")
    let home = scratch.appendingPathComponent("home", isDirectory: true)
    do {
      try fm.createDirectory(at: home, withIntermediateDirectories: true)
      try Data(html.utf8).write(to: page)
    } catch {
      throw PDFError.printFailed(
        reason: "cannot write its input: \(FileError.reason(of: error, at: scratch.path))")
    }
    // A Chromium that ends without a PDF for no reason it names (seen under heavy load) is run
    // once more, from a fresh profile; one past the time limit, one that cannot start, or one
    // stopped with the render is not.
    for attempt in 1...2 {
      do {
        try runChromium(page: page, pdf: pdf, home: home)
        guard let head = try? FileHandle(forReadingFrom: pdf).read(upToCount: 5), head == Data("%PDF-".utf8)
        else {
          throw PrintAttempt(error: .printFailed(reason: "it ended without writing a PDF"), final: false)
        }
        break
      } catch let failed as PrintAttempt {
        guard attempt == 1, !failed.final, reaper?.isStopping != true else { throw failed.error }
        try? fm.removeItem(at: home.appendingPathComponent("profile"))
        try? fm.removeItem(at: pdf)
      }
    }
    do {
      let bytes = Self.renumberingStructureIDs(try Files.read(pdf))
      return Self.authored(sourceDate.map { Self.redated(bytes, to: $0) } ?? bytes, by: author)
    } catch {
      throw PDFError.printFailed(reason: FileError(pdf, error).description)
    }
  }

  /// Where scratch folders go: `$TMPDIR` when set (the user's choice); else `memory` (`/dev/shm`,
  /// the memory file system Linux keeps for shared memory) when it is writable with at least
  /// 256 MB free; else the system's temporary folder.
  static func scratchRoot(
    environment: [String: String] = ProcessInfo.processInfo.environment, memory: String = "/dev/shm"
  ) -> URL {
    let fallback = FileManager.default.temporaryDirectory
    if let chosen = environment["TMPDIR"], !chosen.isEmpty { return fallback }
    #if os(Linux)
      var info = statvfs()
      if statvfs(memory, &info) == 0, access(memory, W_OK) == 0,
        UInt64(info.f_bavail) &* UInt64(info.f_frsize) >= 256 << 20
      {
        return URL(fileURLWithPath: memory, isDirectory: true)
      }
    #endif
    return fallback
  }

  /// Chromium's flags for a print, but the profile, the PDF and the page (the print settings the
  /// PDF's key holds). `--generate-pdf-document-outline` gives the PDF its bookmarks: the title and
  /// the headings, nested as on the page (a Chromium too old for it ignores it and writes none).
  static let flags = [
    "--headless", "--single-process", "--no-zygote", "--disable-crashpad-for-testing", "--no-sandbox",
    "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer", "--generate-pdf-document-outline",
  ]

  /// A print that failed; `final` when running it again cannot help (it could not start, or it
  /// took longer than the time limit).
  private struct PrintAttempt: Error {
    var error: PDFError
    var final: Bool
  }

  /// Runs Chromium on `page` until it has written `pdf`, within the time limit.
  private func runChromium(page: URL, pdf: URL, home: URL) throws(PrintAttempt) {
    let arguments =
      Self.flags + [
        "--user-data-dir=\(home.path)/profile", "--print-to-pdf=\(pdf.path)", page.absoluteString,
      ]
    // A small fixed environment: its own HOME (Chromium writes there), UTC for the PDF's dates.
    let environment = [
      "HOME": home.path, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TZ": "UTC",
      "XDG_CONFIG_HOME": home.path + "/.config", "XDG_CACHE_HOME": home.path + "/.cache",
    ]
    let result: ChildProcess.Result
    do {
      result = try ChildProcess.runOrFail(
        chromium, arguments, environment: environment, directory: home.path, timeLimit: timeLimit,
        reaper: reaper)
    } catch {
      throw PrintAttempt(
        error: .printFailed(reason: "\(chromium) could not start (\(error.reason))"), final: true)
    }
    switch result.termination {
    case nil:
      throw PrintAttempt(
        error: .printFailed(reason: "it took more than \(Int(timeLimit)) s and was stopped"), final: true)
    case .exited(0):
      return
    case .exited(let code):
      throw PrintAttempt(
        error: .printFailed(reason: "it exited with status \(code)\(Self.lastWords(result.output))"),
        final: false)
    case .signaled(SIGXFSZ):
      // Its profile and the PDF are written under the shell's `ulimit -f`, which stops it at
      // once: said as such (it was "killed by signal 25" and a line of the chromium script's).
      throw PrintAttempt(
        error: .printFailed(
          reason:
            "the file-size limit (ulimit -f) stopped it; raise it (ulimit -f unlimited) and render again"),
        final: true)
    case .signaled(let signal):
      throw PrintAttempt(
        error: .printFailed(reason: "it was killed by signal \(signal)\(Self.lastWords(result.output))"),
        final: false)
    }
  }

  /// `pdf` with the value of every `/CreationDate (D:…)` and `/ModDate (D:…)` replaced by `date`
  /// (UTC, `D:YYYYMMDDHHmmSS+00'00'`) where the old value has that same length, as Chromium's
  /// (printed with TZ=UTC) has: no byte moves, so the cross-reference table stays right.
  static func redated(_ pdf: Data, to date: Date) -> Data {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let stamp = String(
      format: "%04d%02d%02d%02d%02d%02d+00'00'", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0,
      c.minute ?? 0, c.second ?? 0)
    let value = [UInt8](stamp.utf8)
    var bytes = [UInt8](pdf)
    for key in ["/CreationDate (D:", "/ModDate (D:"] {
      let pattern = [UInt8](key.utf8)
      var i = 0
      while let start = Self.find(pattern, in: bytes, from: i) {
        let from = start + pattern.count
        i = from
        guard let end = bytes[from...].firstIndex(of: UInt8(ascii: ")")), end - from == value.count else {
          continue
        }
        bytes.replaceSubrange(from..<end, with: value)
      }
    }
    return Data(bytes)
  }

  static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard !pattern.isEmpty, bytes.count >= pattern.count, start <= bytes.count - pattern.count else {
      return nil
    }
    var i = start
    while i <= bytes.count - pattern.count {
      if bytes[i] == pattern[0], bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
      i += 1
    }
    return nil
  }

  /// Chromium's last line of output that is not its usual noise (D-Bus, GPU), as `: …`, or "".
  static func lastWords(_ output: String) -> String {
    let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let noise = ["dbus", "D-Bus", "gpu", "GPU", "Fontconfig"]
    guard let line = lines.last(where: { line in !line.isEmpty && !noise.contains { line.contains($0) } })
    else { return "" }
    return ": " + String(line.prefix(300))
  }
}
