// Finding and parsing the templates: the override folder first, then the package's own.
import Foundation
import Mustache

/// The template files of one weave: looks each name up in `templatesDirectory`, then in the
/// fallback folder.
struct TemplateSet {
  var options: WeaveOptions

  init(options: WeaveOptions) { self.options = options }

  /// The file for `name`, or `WeaveError.templateMissing` listing where it looked.
  func url(named name: String) throws -> URL {
    var searched: [String] = []
    for dir in [options.templatesDirectory, options.fallbackTemplatesDirectory].compactMap({ $0 }) {
      let url = dir.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: url.path) { return url }
      searched.append(dir.path)
    }
    throw WeaveError.templateMissing(name: name, searched: searched)
  }

  /// The text of template file `name`.
  func text(named name: String) throws -> String {
    let url = try url(named: name)
    do {
      return try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw WeaveError.io(
        path: url.path, message: "cannot read template: \(FileError.reason(of: error, at: url.path))")
    }
  }

  /// The parsed mustache template `name`.
  /// - Throws: `WeaveError.templateSyntax` naming the file, line and column of a syntax error.
  func template(named name: String) throws -> MustacheTemplate {
    let url = try url(named: name)
    let source = try text(named: name)
    if let parsed = Self.parsed.template(for: source) { return parsed }
    do {
      let template = try MustacheTemplate(string: source)
      Self.parsed.keep(template, for: source)
      return template
    } catch let error as MustacheTemplate.ParserError {
      throw WeaveError.templateSyntax(
        file: url.path, line: error.context.lineNumber, column: error.context.columnNumber,
        message: "\(error.error)")
    } catch {
      throw WeaveError.templateSyntax(file: url.path, line: 1, column: 1, message: "\(error)")
    }
  }

  /// Templates parsed in this process, by their text (the same text parses to the same template):
  /// a render parses each of its few files once, and the page woven ahead (`publishAhead`) leaves
  /// them parsed for the page woven after the run.
  private static let parsed = ParsedTemplates()

  /// The partials every template may include (`{{> title-block}}`), each a file `<name>.mustache`
  /// looked up like a template (an override folder may change one and keep the rest).
  static let partialNames = ["title-block"]

  /// The library of `partialNames`, for rendering a template that includes them.
  /// - Throws: `WeaveError.templateMissing` or `.templateSyntax` for a partial's file.
  func partials() throws -> MustacheLibrary {
    var library = MustacheLibrary()
    for name in Self.partialNames {
      library.register(try template(named: name + ".mustache"), named: name)
    }
    return library
  }
}

/// Parsed templates by their text, for `TemplateSet.template(named:)`; at most 32 (an edited
/// template is a new text: a long preview forgets the old ones).
private final class ParsedTemplates: @unchecked Sendable {
  private let lock = NSLock()
  private var templates: [String: MustacheTemplate] = [:]

  func template(for source: String) -> MustacheTemplate? { lock.withLock { templates[source] } }

  func keep(_ template: MustacheTemplate, for source: String) {
    lock.withLock {
      if templates.count >= 32 { templates.removeAll() }
      templates[source] = template
    }
  }
}

/// Debian's KaTeX: where its files are and how to inline them.
struct KaTeX {
  var js: URL
  var css: URL
  var fontsDirectory: URL

  /// - Throws: `WeaveError.katexMissing` (with the apt-get line) if `katex.min.js`,
  ///   `katex.min.css` or `fonts/` is absent.
  init(directory: URL) throws {
    let fm = FileManager.default
    js = directory.appendingPathComponent("katex.min.js")
    css = directory.appendingPathComponent("katex.min.css")
    fontsDirectory = directory.appendingPathComponent("fonts", isDirectory: true).resolvingSymlinksInPath()
    for url in [js, css, fontsDirectory] where !fm.fileExists(atPath: url.resolvingSymlinksInPath().path) {
      throw WeaveError.katexMissing(path: url.path)
    }
  }

  /// Every font file (woff2, woff, ttf), sorted by name.
  func fonts() throws -> [URL] {
    do {
      return try FileManager.default.contentsOfDirectory(at: fontsDirectory, includingPropertiesForKeys: nil)
        .filter { ["woff2", "woff", "ttf"].contains($0.pathExtension) }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    } catch {
      throw WeaveError.io(
        path: fontsDirectory.path, message: FileError.reason(of: error, at: fontsDirectory.path))
    }
  }

  private func read(_ url: URL) throws -> String {
    do {
      return try String(contentsOf: url.resolvingSymlinksInPath(), encoding: .utf8)
    } catch {
      throw WeaveError.io(path: url.path, message: FileError.reason(of: error, at: url.path))
    }
  }

  /// `katex.min.js`, safe inside an inline `<script>` (`</script` cannot end it early).
  func inlinedJS() throws -> String {
    try read(js).replacingOccurrences(of: "</script", with: "<\\/script")
  }

  /// `katex.min.css` with each `@font-face` `src` reduced to its woff2 file as a `data:` URI
  /// (every browser that runs KaTeX reads woff2; this keeps a mailed handout ~0.4 MB smaller).
  func inlinedCSS() throws -> String {
    let css = try read(css)
    let fontData = try Dictionary(
      fonts().filter { $0.pathExtension == "woff2" }.map { url -> (String, String) in
        let data: Data
        do { data = try Data(contentsOf: url.resolvingSymlinksInPath()) } catch {
          throw WeaveError.io(path: url.path, message: FileError.reason(of: error, at: url.path))
        }
        return (url.lastPathComponent, data.base64EncodedString())
      }, uniquingKeysWith: { a, _ in a })
    return css.replacing(#/src:url\(fonts/([A-Za-z0-9_\-]+\.woff2)\)[^;}]*/#) { m in
      guard let base64 = fontData[String(m.output.1)] else { return String(m.output.0) }
      return "src:url(data:font/woff2;base64,\(base64)) format('woff2')"
    }
  }
}
