// `show(figure)`: a figure placed under the block that shows it, also kept as plain files.
import Foundation

/// Places `figure` under the current block of the handout, with an optional caption.
///
/// Under `handout` it is written as `<notebook>/<base>-<n>.svg`, `.png` (2×) and `.pdf`, where
/// `<base>` is `name`, else the block's `id`, else `block<k>`, and `n` counts from 1 per base within
/// the block, so the same notebook always gives the same file names. Run by hand (no
/// `HANDOUT_FIGURES`), nothing is written and a line naming the figure is printed.
/// - Parameters:
///   - alt: text for readers who cannot see it; defaults to the figure's own alt text, then the caption.
public func show(_ figure: Figure, caption: String? = nil, alt: String? = nil, name: String? = nil) {
  _Handout.showFigure(figure, caption: caption, alt: alt, name: name)
}

/// Tells the person running `handout` how far a long computation is ("epoch 300 of 10000"),
/// live, on the status line; nothing goes into the handout. Run by hand, it prints nothing.
public func progress(_ message: String) {
  _Handout.progress(message)
}

extension _Handout {
  static func showFigure(_ figure: Figure, caption: String?, alt: String?, name: String?) {
    state.lock.lock()
    let block = state.block
    let base = sanitize(name ?? state.blockID ?? block.map { "block\($0)" } ?? "figure")
    let key = "\(block ?? -1)/\(base)"
    let n = (state.figureCounts[key] ?? 0) + 1
    state.figureCounts[key] = n
    let root = state.figures
    let notebook = sanitize(state.notebook)
    state.lock.unlock()

    let stem = "\(base)-\(n)"
    let altText = alt ?? figure.altText ?? caption ?? figure.title ?? "figure \(stem)"
    guard let root else {
      print("[figure \(stem): \(altText)]")
      return
    }
    var files: [String: String] = [:]
    let folder = root.appendingPathComponent(notebook, isDirectory: true)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for ext in ["svg", "png", "pdf"] {
        try figure.write(to: folder.appendingPathComponent("\(stem).\(ext)"), scale: 2)
        files[ext] = "\(notebook)/\(stem).\(ext)"
      }
    } catch {
      printError("error: figure \(stem) could not be written: \(error)")
    }
    var event = RuntimeEvent(event: "figure", block: block)
    event.name = stem
    event.files = files
    event.caption = caption
    event.alt = altText
    event.width = figure.width
    event.height = figure.height
    emit(event)
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
