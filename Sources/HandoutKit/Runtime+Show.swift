// `show(figure)`: a figure placed under the block that shows it, also kept as plain files.
import Foundation
import HandoutProtocol

/// Places `figure` under the current block of the handout, with an optional caption.
///
/// Under `handout` it is drawn for the page as `<notebook>/<base>-<n>.svg`, `.png` (2×) and `.pdf`
/// (`FigureSize.page(for:)`), and for the slide deck as `.slide.svg`
/// (`FigureSize.slide(for:)`: the 1280×720 frame, text at least 18 px), where
/// `<base>` is `name`, else the block's `id`, else `block<k>`, and `n` counts from 1 per base within
/// the block, so the same notebook always gives the same file names. Only the files a medium
/// that shows the figure uses are drawn: a block inside `::: handout` gets no `.slide.svg`, one
/// inside `::: slides` (or speaker notes) only that. Run by hand (no `HANDOUT_FIGURES`), nothing
/// is written and a line naming the figure is printed.
/// - Parameters:
///   - figure: the figure to place.
///   - caption: the text under it, after "Figure n:" (inline Markdown and math).
///   - alt: text for readers who cannot see it; defaults to the figure's own alt text, then the caption.
///   - name: the base of the file names, instead of the block's `id`.
///   - label: the figure's cross-reference label, starting with `fig-` (`"fig-boundary"`): prose
///     writes `@fig-boundary` and reads "Figure 2", linked to the figure. A label that does not
///     start with `fig-`, or one used twice in a notebook, is an error at this call.
///   - file: where the call stands (with `line` and `column`; leave the defaults): a figure that
///     cannot be written is an error there; one that leaves NaN or infinite points out, or draws
///     no data at all (`Figure.dataSummary`), a warning there.
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

/// The file `path` names, relative to the notebook's folder, as an absolute URL, recorded as an
/// input of the run: `handout` reuses a cached run only while every file read this way has the
/// content it had then. Notebook code runs in a private folder of its own (empty at the start of
/// each run, gone after it), so a data file beside the notebook is read through this, or listed
/// under `data:` in the front matter (those are copied into the private folder). Run by hand
/// (no `handout`), `path` is relative to the current folder.
///
///     let text = try String(contentsOf: dataFile("points.csv"), encoding: .utf8)
public func dataFile(_ path: String) -> URL {
  let url = _Handout.resolve(path)
  _Handout.recordDataFile(url.path)
  return url
}

/// Tells the person running `handout` how far a long computation is ("epoch 300 of 10000"),
/// live, on the status line; nothing goes into the handout. Run by hand, it prints nothing.
public func progress(_ message: String) {
  _Handout.progress(message)
}

extension _Handout {
  /// `path` as an absolute file URL: relative ones against the notebook's folder (the current
  /// folder when run by hand).
  static func resolve(_ path: String) -> URL {
    let folder = state.lock.withLock { state.folder }
    guard let folder, !path.hasPrefix("/") else { return URL(fileURLWithPath: path).standardizedFileURL }
    return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: folder, isDirectory: true))
      .absoluteURL.standardizedFileURL
  }

  /// Sends a `data` event: the program read (or looked for) the file at the absolute `path`.
  static func recordDataFile(_ path: String) {
    emit(.data(file: path))
  }

  static func showFigure(
    _ figure: Figure, caption: String?, alt: String?, name: String?, label: String? = nil,
    at place: (file: String, line: Int, column: Int)
  ) {
    showMedia(figure, kind: "figure", caption: caption, alt: alt, name: name, label: label, at: place)
  }

  /// What `show(figure)` and `show(animation:)` share: the next file stem, the alt text (`alt`,
  /// else the still's own, the caption, the still's title, or `<kind> <stem>`), the line printed
  /// when run by hand, the still's files (and each frame's, `<stem>.f<i>`) drawn into the
  /// notebook's figure folder (`HANDOUT_FIGURES`, absolute: not the working folder) — the page's
  /// SVGs now, the rest while the notebook goes on (`background`) —, an error at the call when a
  /// file cannot be written, and the `figure` event.
  static func showMedia(
    _ still: Figure, frames: [Figure] = [], frameLabels: [String]? = nil, kind: String, caption: String?,
    alt: String?, name: String?, label: String?, at place: (file: String, line: Int, column: Int)
  ) {
    let (block, stem, root, notebookName, placement) = nextFigure(named: name)
    warnAboutData(frames.isEmpty ? [still] : frames, stem: stem, block: block, at: place, byHand: root == nil)
    let altText = alt ?? still.altText ?? caption ?? still.title ?? "\(kind) \(stem)"
    guard let root else {
      print("[\(kind) \(stem)\(frames.isEmpty ? "" : ", \(frames.count) frames"): \(altText)]")
      return
    }
    // Copies: the notebook may change its figures while their download files are drawn.
    let (still, frames) = (still.copy(), frames.map { $0.copy() })
    // An animation's phone variant is its frames' (they stack in one box on the page).
    let stillSizes = MediaSizes(still, phone: frames.isEmpty)
    let frameSizes = MediaSizes.frameSizes(frames)
    // Only the files a medium that shows the figure uses (`Placement`): the first one now.
    let stillVariants = placement.still.filter { $0.size != .phone || stillSizes.phone != nil }
    let frameVariants = placement.frame.filter { $0.size != .phone || frameSizes.first?.phone != nil }
    let files: [String: String]
    var frameFiles: [[String: String]]?
    let later: [@Sendable () throws -> Void]
    do {
      let (folder, prefix) = try figureFolder(root: root, named: notebookName)
      nonisolated(unsafe) let (still, frames) = (still, frames)
      if frames.isEmpty {
        try drawMedia([still], sizes: [stillSizes], in: folder, stems: [stem], variants: [stillVariants[0]])
        files = mediaFiles(prefix: prefix, stems: [stem], variants: stillVariants)[0]
        // One job per file, so that the notebook's thread can take one at its end.
        later = stillVariants.dropFirst().map { variant in
          { try drawMedia([still], sizes: [stillSizes], in: folder, stems: [stem], variants: [variant]) }
        }
      } else {
        let stems = frames.indices.map { "\(stem).f\($0)" }
        try drawMedia(frames, sizes: frameSizes, in: folder, stems: stems, variants: [frameVariants[0]])
        let drawn = mediaFiles(prefix: prefix, stems: stems, variants: frameVariants)
        frameFiles = drawn
        // The poster's SVGs are the last frame's files, not copies of them.
        files = mediaFiles(prefix: prefix, stems: [stem], variants: placement.poster)[0]
          .merging(drawn[drawn.count - 1]) { own, _ in own }
        let rest = Array(frameVariants.dropFirst())
        later =
          [{ try drawMedia(frames, sizes: frameSizes, in: folder, stems: stems, variants: rest) }]
          + placement.poster.map { variant in
            { try drawMedia([still], sizes: [stillSizes], in: folder, stems: [stem], variants: [variant]) }
          }
      }
    } catch {
      figureFailed(stem, error, block: block, at: place)
      return
    }
    let slide = placement.hasSlide ? stillSizes.slide : nil
    var event = RuntimeEvent.Figure(
      block: block, name: stem, files: files, caption: caption, alt: altText,
      width: stillSizes.page.width, height: stillSizes.page.height, label: label, slideWidth: slide?.width,
      slideHeight: slide?.height,
      frames: frameFiles, frameLabels: frameLabels)
    // Charts only: a grid of pictures without axes (digits, neuron maps) is meant small.
    if placement.hasSlide, still.panels.count > 1,
      let panel = try? still.smallestPanel(as: stillSizes.slide, charts: true),
      panel.width > 0
    {
      event.slidePanel = min(panel.width, panel.height).rounded()
    }
    let phoneVariants = frames.isEmpty ? stillVariants : frameVariants
    if phoneVariants.contains(where: { $0.size == .phone }),
      let phone = (frameSizes.first ?? stillSizes).phone
    {
      (event.phoneWidth, event.phoneHeight) = (phone.width, phone.height)
    }
    emit(.figure(event))
    let place = (file: place.file, line: place.line, column: place.column)
    background.draw(later) { error in figureFailed(stem, error, block: block, at: place) }
  }

  /// The block a figure shown now belongs to, its file stem (`<base>-<n>`), the figure root
  /// (nil when run by hand), the notebook's name and where the block is shown.
  static func nextFigure(named name: String?) -> (
    block: Int?, stem: String, root: URL?, notebook: String, placement: Placement
  ) {
    state.lock.lock()
    defer { state.lock.unlock() }
    let block = state.block
    let base = sanitize(name ?? state.blockID ?? block.map { "block\($0)" } ?? "figure")
    let key = "\(block ?? -1)/\(base)"
    let n = (state.figureCounts[key] ?? 0) + 1
    state.figureCounts[key] = n
    return (block, "\(base)-\(n)", state.figures, state.notebook, state.placement)
  }

  /// `<figure root>/<notebook>/`, made if missing, and its name (the prefix of the files' paths).
  static func figureFolder(root: URL, named name: String) throws -> (URL, String) {
    guard let notebook = folderName(name) else {
      throw FigureWriteError(
        message: "HANDOUT_NOTEBOOK '\(name)' cannot name a folder (empty, '/', '.' or '..')")
    }
    let folder = root.appendingPathComponent(notebook, isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return (folder, notebook)
  }

  /// A figure that leaves some of its points out (NaN or infinite, 0 or less on a log axis, alone
  /// between gaps of a line), or draws no data at all
  /// (`Figure.dataSummary`; an animation's frames together): a warning at its `show(…)` call, printed when
  /// run by hand. The notebook still passes.
  static func warnAboutData(
    _ figures: [Figure], stem: String, block: Int?, at place: (file: String, line: Int, column: Int),
    byHand: Bool
  ) {
    let each = figures.map(\.dataSummary)
    var data = FigureData()
    for d in each {
      data.points += d.points
      data.nonFinite += d.nonFinite
      data.notPositive += d.notPositive
      data.isolated += d.isolated
    }
    let (points, dropped) = (data.points, data.dropped)
    // Only NaN or infinite points: said as before; any other reason is named.
    let onlyNonFinite = dropped == data.nonFinite
    let text: String
    if each.allSatisfy(\.isEmpty) {
      text =
        dropped == 0
        ? "figure \(stem) draws no data (no line, point or bar)"
        : onlyNonFinite && dropped == points
          ? "figure \(stem) draws no data: all \(dropped) of its points are NaN or infinite"
          : "figure \(stem) draws no data: of its \(points) points \(data.reasons)"
    } else if dropped > 0 {
      text =
        onlyNonFinite
        ? "figure \(stem): \(dropped) of its \(points) points are NaN or infinite and are not drawn"
        : "figure \(stem): \(dropped) of its \(points) points are not drawn: \(data.reasons)"
    } else {
      return
    }
    emit(
      .figureWarning(
        RuntimeEvent.FigureError(
          block: block, file: place.file, line: place.line, column: place.column, text: text)))
    if byHand { printError("warning: \(text)") }
  }

  /// The handout must not go out without a figure: an error at its `show(…)` call.
  static func figureFailed(
    _ stem: String, _ error: Error, block: Int?, at place: (file: String, line: Int, column: Int)
  ) {
    emit(
      .figureError(
        RuntimeEvent.FigureError(
          block: block, file: place.file, line: place.line, column: place.column,
          text: "figure \(stem) could not be written: \(error)")))
    printError("error: figure \(stem) could not be written: \(error)")
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

struct FigureWriteError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
