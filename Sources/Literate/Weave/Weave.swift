// weave: a notebook and what its run produced → one HTML handout; handouts → the course index;
// the options → the asset files (stylesheets, KaTeX). Publish writes what weave makes.
// The page chrome is a mustache template (`templates/handout.mustache`, overridable); the body —
// prose, code, outputs, figures, checks — is built here, where every escaping decision is made.
import Foundation

/// How to weave. Paths are file URLs.
public struct WeaveOptions: Sendable {
  /// Where the templates (`handout.mustache`, `slides.mustache`, `title-block.mustache`,
  /// `index.mustache`) and stylesheets are looked up first.
  public var templatesDirectory: URL
  /// Where a file missing from `templatesDirectory` is looked up next (the package's own
  /// `templates/`), so an override folder may hold only the files it changes. nil = no fallback.
  public var fallbackTemplatesDirectory: URL?
  /// Embed the stylesheet, KaTeX (fonts as woff2 data URIs) and figures, so the one HTML file
  /// works alone. When false, the page links `<assetsPath>/…` and the figure files.
  public var selfContained: Bool
  /// Shown in the footer and `<meta name="generator">`, e.g. "handout 0.1".
  public var generator: String
  /// Folder of the assets, relative to the HTML file (used when not self-contained).
  public var assetsPath: String
  /// Where `FigureOutput.files` paths are relative to (the output folder, or the temporary folder
  /// the render writes into). Needed only to embed figures when `selfContained`.
  public var figureRoot: URL?
  /// Debian's KaTeX (`libjs-katex`): `katex.min.js`, `katex.min.css`, `fonts/`.
  public var katexDirectory: URL
  /// Weave for printing (the PDF): the page also gets `@page` rules that put the course and the
  /// title in each page's running header and number the pages ("3 / 9") at the foot. Default false.
  public var printed = false
  /// The page's links to its course (index, previous, next handout); nil: a page woven alone.
  public var navigation: CourseNavigation? = nil
  /// Show each block's verification: the "✓ verified" list of the checks that passed under it and
  /// the "published output — verified" badge. The instructor's web page has them; the deck, the
  /// printed page and the student edition say it once, in the title block's status line (issue 22).
  /// Default true.
  public var verificationDetails = true
  /// Weave what is the instructor's alone: the deck's speaker notes (`::: notes`, which often hold
  /// answers) and each slide's notebook line (`data-line`, which would tell how many lines a
  /// left-out solution took). The student edition has neither. Default true.
  public var instructorsOwn = true

  /// Options with the package's templates (both as the templates and as their fallback), linked
  /// (not self-contained) output, assets in `assets/` and Debian's KaTeX.
  public init(
    templatesDirectory: URL = WeaveOptions.defaultTemplatesDirectory(),
    fallbackTemplatesDirectory: URL? = WeaveOptions.defaultTemplatesDirectory(),
    selfContained: Bool = false, generator: String = "handout", assetsPath: String = "assets",
    figureRoot: URL? = nil,
    katexDirectory: URL = URL(fileURLWithPath: "/usr/share/javascript/katex", isDirectory: true)
  ) {
    self.templatesDirectory = templatesDirectory
    self.fallbackTemplatesDirectory = fallbackTemplatesDirectory
    self.selfContained = selfContained
    self.generator = generator
    self.assetsPath = assetsPath
    self.figureRoot = figureRoot
    self.katexDirectory = katexDirectory
  }

  /// The package's `templates/` folder: `$HANDOUT_TEMPLATES` if set; else `templates/` beside
  /// the executable's package (`.build/<config>/handout` → `../../templates`); else
  /// `./templates` in the current directory; else the source checkout this file was built from.
  public static func defaultTemplatesDirectory() -> URL {
    let fm = FileManager.default
    func ok(_ url: URL) -> Bool {
      fm.fileExists(atPath: url.appendingPathComponent("handout.mustache").path)
    }
    if let env = ProcessInfo.processInfo.environment["HANDOUT_TEMPLATES"], !env.isEmpty {
      return URL(fileURLWithPath: env, isDirectory: true)
    }
    var candidates: [URL] = []
    let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // An installed Handout: PREFIX/bin/handout and PREFIX/share/handout/templates.
    candidates.append(
      dir.appendingPathComponent("../share/handout/templates", isDirectory: true).standardizedFileURL)
    for _ in 0..<4 {
      candidates.append(dir.appendingPathComponent("templates", isDirectory: true))
      dir = dir.deletingLastPathComponent()
    }
    candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("templates"))
    // Sources/Literate/Weave/Weave.swift → <package>/templates
    candidates.append(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates"))
    return candidates.first(where: ok)
      ?? URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("templates")
  }
}

/// Rendering handouts and the index.
public enum Weave {
  /// The whole handout page for one notebook: title block, problems banner, table of contents,
  /// prose, code, outputs, figures and checks, rendered through `handout.mustache`.
  ///
  /// Never fails because of what the notebook *printed*: everything a program produced is escaped.
  /// - Throws: `WeaveError` for a missing or malformed template, missing KaTeX (self-contained),
  ///   or an unreadable stylesheet.
  public static func page(notebook: Notebook, run: RunResult, options: WeaveOptions) throws -> String {
    let templates = TemplateSet(options: options)
    let template = try templates.template(named: "handout.mustache")
    let partials = try templates.partials()
    // Its places named as the page names the notebook, whichever path `handout` was given.
    let context = try pageContext(
      notebook: notebook, run: run.shown(for: notebook), options: options, templates: templates)
    return template.render(TemplateValue(context), library: partials)
  }

  /// The files of `<assetsPath>/`, so handouts that are not self-contained work offline: the
  /// stylesheets of pages and decks (their bytes) and KaTeX (`katex.min.js`, `katex.min.css`,
  /// `fonts/*`, each a copy of the real file behind Debian's symlinks), with their paths inside
  /// the assets folder. Publish installs them (`Files.install`) when they are not in place.
  /// - Throws: `WeaveError.katexMissing` with the apt-get line when KaTeX is absent,
  ///   `.templateMissing` when a stylesheet is in no templates folder, `.io` when a stylesheet or
  ///   KaTeX's fonts folder cannot be read.
  public static func assets(options: WeaveOptions) throws -> [AssetFile] {
    let katex = try KaTeX(directory: options.katexDirectory)
    let templates = TemplateSet(options: options)
    var files = try ["handout.css", "slides.css"].map {
      AssetFile(path: $0, content: .bytes(Data(try templates.text(named: $0).utf8)))
    }
    func copy(_ path: String, _ url: URL) -> AssetFile {
      AssetFile(path: path, content: .copy(of: url.resolvingSymlinksInPath()))
    }
    files.append(copy("katex/katex.min.js", katex.js))
    files.append(copy("katex/katex.min.css", katex.css))
    for font in try katex.fonts() { files.append(copy("katex/fonts/" + font.lastPathComponent, font)) }
    return files
  }

  // MARK: - Context

  /// Badge class and mark: `ok ✓` when checks passed, `bad ✗` on any failure, `muted –` when
  /// nothing failed and nothing was checked (green would claim a verification that did not happen).
  static func statusBadge(passed: Int, failed: Int, broken: Bool) -> (cls: String, mark: String) {
    if failed > 0 || broken { return ("bad", "✗") }
    return passed > 0 ? ("ok", "✓") : ("muted", "–")
  }

  static func statusText(passed: Int, failed: Int, broken: Bool) -> String {
    let total = passed + failed
    if failed > 0 { return "\(failed) of \(total) check\(total == 1 ? "" : "s") failed" }
    if broken { return total == 0 ? "did not run" : "did not run to the end (\(passed) verified)" }
    if total == 0 { return "no checks" }
    return total == 1 ? "1 check verified" : "all \(total) checks verified"
  }

  /// `<link>`s to the assets, or `<style>` elements with everything inlined.
  /// `sheets` are the stylesheets after KaTeX's, in order (the deck adds `slides.css`).
  static func styles(
    options: WeaveOptions, templates: TemplateSet, katex: Bool, sheets: [String] = ["handout.css"]
  ) throws -> String {
    let assets = HTML.escape(options.assetsPath)
    if !options.selfContained {
      var html = ""
      if katex { html += "<link rel=\"stylesheet\" href=\"\(assets)/katex/katex.min.css\">\n" }
      html += sheets.map { "<link rel=\"stylesheet\" href=\"\(assets)/\($0)\">" }.joined(separator: "\n")
      return html
    }
    var html = ""
    if katex {
      html += "<style>\n\(try KaTeX(directory: options.katexDirectory).inlinedCSS())\n</style>\n"
    }
    html += try sheets.map { "<style>\n\(try templates.text(named: $0))\n</style>" }.joined(separator: "\n")
    return html
  }

  /// The printed page's script (`print.js`): before Chromium prints, it scales down a figure that
  /// would otherwise leave more than 35 % of the page before it empty (to 70 % at least).
  static func printScript(_ templates: TemplateSet) throws -> String {
    "<script>\n\(try templates.text(named: "print.js"))\n</script>"
  }

  /// The `<style>` of a printed page: course and title in the running header (from the second
  /// page on), "page / pages" at the foot (their font and colour are `handout.css`'s `@page` rules, which a template may change).
  static func runningHeader(title: String, course: String?) -> String {
    var boxes = ""
    if let course, !course.isEmpty {
      boxes += "@top-left { content: \(cssString(course)); }\n"
      boxes += "@top-right { content: \(cssString(title)); }\n"
    } else {
      boxes += "@top-left { content: \(cssString(title)); }\n"
    }
    boxes += "@bottom-center { content: counter(page) \" / \" counter(pages); }\n"
    // The first page opens with the title block: no running header above it.
    let first = "@page :first {\n@top-left { content: none; }\n@top-right { content: none; }\n}\n"
    return "<style>\n@page {\n\(boxes)}\n\(first)</style>"
  }

  /// `text` as a CSS string literal: quoted, with every character but letters, digits, spaces and
  /// plain punctuation written as a hex escape, so no text can end the string, the rule or the
  /// `<style>` element (`"`, `\\`, `<`, a line break).
  static func cssString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      let plain =
        (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
        || (scalar.value >= 0x61 && scalar.value <= 0x7A) || " ,.:;!?()-_'".unicodeScalars.contains(scalar)
      // A hex escape ends at its space, so the next character cannot be read as a hex digit.
      out += plain ? String(scalar) : "\\" + String(scalar.value, radix: 16) + " "
    }
    return out + "\""
  }

  /// The KaTeX script element (linked or inlined).
  static func scripts(options: WeaveOptions) throws -> String {
    if !options.selfContained {
      return "<script defer src=\"\(HTML.escape(options.assetsPath))/katex/katex.min.js\"></script>"
    }
    let js = try KaTeX(directory: options.katexDirectory).inlinedJS()
    return "<script>\(js)</script>"
  }
}
