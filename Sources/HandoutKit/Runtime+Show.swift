// `show(figure)`: a figure placed under the block that shows it, also kept as plain files.
import Foundation
import HandoutProtocol

/// Places `figure` under the current block of the handout, with an optional caption.
///
/// Under `handout` it is written as `<notebook>/<base>-<n>.svg`, `.png` (2×) and `.pdf`, where
/// `<base>` is `name`, else the block's `id`, else `block<k>`, and `n` counts from 1 per base within
/// the block, so the same notebook always gives the same file names. Run by hand (no
/// `HANDOUT_FIGURES`), nothing is written and a line naming the figure is printed.
/// - Parameters:
///   - figure: the figure to place.
///   - caption: the text under it, after "Figure n:" (inline Markdown and math).
///   - alt: text for readers who cannot see it; defaults to the figure's own alt text, then the caption.
///   - name: the base of the file names, instead of the block's `id`.
///   - label: the figure's cross-reference label, starting with `fig-` (`"fig-boundary"`): prose
///     writes `@fig-boundary` and reads "Figure 2", linked to the figure. A label that does not
///     start with `fig-`, or one used twice in a notebook, is an error at this call.
///   - file: where the call stands (with `line` and `column`; leave the defaults): a figure that
///     cannot be written is an error there.
///   - line: the call's line.
///   - column: the call's column.
public func show(
  _ figure: Figure, caption: String? = nil, alt: String? = nil, name: String? = nil, label: String? = nil,
  file: String = #filePath, line: Int = #line, column: Int = #column
) {
  _Handout.showFigure(
    figure, caption: caption, alt: alt, name: name, label: label, at: (file: file, line: line, column: column)
  )
}

/// The file `path` names, relative to the notebook's folder (notebook code runs there), recorded
/// as an input of the run: `handout` reuses a cached run only while every file read this way has
/// the content it had then. Read data files through this (or list them under `data:` in the
/// front matter), or a changed file will not re-run the notebook.
///
///     let text = try String(contentsOf: dataFile("points.csv"), encoding: .utf8)
public func dataFile(_ path: String) -> URL {
  let url = URL(fileURLWithPath: path).standardizedFileURL
  _Handout.recordDataFile(url.path)
  return url
}

/// Tells the person running `handout` how far a long computation is ("epoch 300 of 10000"),
/// live, on the status line; nothing goes into the handout. Run by hand, it prints nothing.
public func progress(_ message: String) {
  _Handout.progress(message)
}

extension _Handout {
  /// Sends a `data` event: the program read (or looked for) the file at the absolute `path`.
  static func recordDataFile(_ path: String) {
    emit(.data(file: path))
  }

  static func showFigure(
    _ figure: Figure, caption: String?, alt: String?, name: String?, label: String? = nil,
    at place: (file: String, line: Int, column: Int)
  ) {
    state.lock.lock()
    let block = state.block
    let base = sanitize(name ?? state.blockID ?? block.map { "block\($0)" } ?? "figure")
    let key = "\(block ?? -1)/\(base)"
    let n = (state.figureCounts[key] ?? 0) + 1
    state.figureCounts[key] = n
    let root = state.figures
    let notebookName = state.notebook
    state.lock.unlock()
    let notebook = folderName(notebookName)

    let stem = "\(base)-\(n)"
    let altText = alt ?? figure.altText ?? caption ?? figure.title ?? "figure \(stem)"
    guard let root else {
      print("[figure \(stem): \(altText)]")
      return
    }
    var files: [String: String] = [:]
    do {
      guard let notebook else {
        throw FigureWriteError(
          message: "HANDOUT_NOTEBOOK '\(notebookName)' cannot name a folder (empty, '/', '.' or '..')")
      }
      let folder = root.appendingPathComponent(notebook, isDirectory: true)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let formats: [(ext: String, format: ImageFormat)] = [("svg", .svg), ("png", .png), ("pdf", .pdf)]
      // The three files side by side: the PNG's compression and the PDF's are most of a figure's
      // time (zlib and libpng were 40% of a cold render's notebook run). Drawing only reads the
      // figure, each format has its own Cairo surface, and the notebook waits here, so nothing
      // changes the figure meanwhile. Plain writes, not `Figure.write`'s atomic, synced ones: the
      // folder is the run's own scratch space, which `handout` moves into its cache whole.
      nonisolated(unsafe) let figure = figure
      let errors = ErrorList()
      DispatchQueue.concurrentPerform(iterations: formats.count) { i in
        do {
          let path = folder.appendingPathComponent("\(stem).\(formats[i].ext)").path
          try writeFile(try figure.data(formats[i].format, scale: 2), to: path)
        } catch {
          errors.append(i, error)
        }
      }
      if let (_, error) = errors.first { throw error }
      for (ext, _) in formats { files[ext] = "\(notebook)/\(stem).\(ext)" }
    } catch {
      // The handout must not go out without it: an error at the `show(…)` call.
      emit(
        .figureError(
          RuntimeEvent.FigureError(
            block: block, file: place.file, line: place.line, column: place.column,
            text: "figure \(stem) could not be written: \(error)")))
      printError("error: figure \(stem) could not be written: \(error)")
      return
    }
    emit(
      .figure(
        RuntimeEvent.Figure(
          block: block, name: stem, files: files, caption: caption, alt: altText, width: figure.width,
          height: figure.height, label: label)))
  }

  /// The notebook's figure folder: its output name exactly as `handout` made it (the publisher
  /// copies from that folder, so the two must agree), or nil when it could leave the figure root
  /// (`/`, `.`, `..`, empty).
  static func folderName(_ name: String) -> String? {
    name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") ? nil : name
  }

  /// Only letters, digits, '-' and '_' reach a file name (no `/`, no `..`).
  static func sanitize(_ name: String) -> String {
    let cleaned = String(
      name.unicodeScalars.map { s in
        s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_") ? Character(s) : "-"
      })
    return cleaned.isEmpty ? "figure" : cleaned
  }
}

private struct FigureWriteError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// Errors from the parallel figure writes, the first by format order.
private final class ErrorList: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [(Int, Error)] = []
  func append(_ index: Int, _ error: Error) {
    lock.lock()
    errors.append((index, error))
    lock.unlock()
  }
  var first: (Int, Error)? {
    lock.lock()
    defer { lock.unlock() }
    return errors.min { $0.0 < $1.0 }
  }
}
