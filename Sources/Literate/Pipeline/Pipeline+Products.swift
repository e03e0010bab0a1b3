// The making of a handout's products: its page, its deck and its PDF, from the run, for publish
// (`Publisher.publish` asks for them once the handout's names are known free, and only stages and
// swaps what comes back).
import Foundation

extension Pipeline {
  /// Publishes `outcomes` into `out`, each handout's products made by `products(for:)`.
  /// - Throws: `HandoutError.file` when the output folder cannot be written at all.
  public static func publish(
    _ outcomes: [NotebookOutcome], to out: URL, weave: WeaveOptions,
    options: PublishOptions = PublishOptions()
  ) throws -> PublishReport {
    try Publisher.publish(outcomes, to: out, weave: weave, options: options, make: products(for:))
  }

  /// The page, the deck (when asked for) and the PDF (as `order.pdf` says) of one handout.
  /// - Throws: a weave's error (a template's syntax, …): then nothing of the handout changes.
  ///   A failed print is not thrown: it is `PDFProduct.failed`, and the page is still published.
  public static func products(for order: ProductOrder) throws -> Products {
    var options = order.weave
    options.figureRoot = order.artifacts?.figures
    // A linked page names its figures by where they will be; an embedded one reads them in the run.
    let run =
      order.weave.selfContained
      ? order.run : order.run.relocatingFigures(from: order.notebook.name, to: order.target)
    let page = Data(try Weave.page(notebook: order.notebook, run: run, options: options).utf8)
    // The deck from the same run, woven before anything is replaced (a template error keeps all).
    let deck =
      try order.slides ? Data(Weave.slides(notebook: order.notebook, run: run, options: options).utf8) : nil
    // Printed from the run as it is (figures read where it wrote them).
    let pdf = printPDF(order, weave: options)
    return Products(page: page, deck: deck, pdf: pdf)
  }

  /// The handout's PDF as `order.pdf` says: printed, the previous one when its page is the same
  /// (no Chromium), or why printing failed.
  static func printPDF(_ order: ProductOrder, weave: WeaveOptions) -> PDFProduct {
    switch order.pdf {
    case .none:
      return .none
    case .keepPrevious:
      return .keepPrevious
    case .print(let printer):
      do {
        let page = try printer.page(notebook: order.notebook, run: order.run, weave: weave)
        let key = printer.key(page: page)
        // The page it was printed from is the same: the previous PDF is this one (no Chromium).
        if order.previousPDFKey == key { return .unchanged(key: key) }
        // Read where it was printed: no copy of the PDF goes anywhere else on the way.
        return .printed(try printer.printed(page: page), key: key)
      } catch {
        return .failed("\(error)")
      }
    }
  }
}

extension RunResult {
  /// The same run with its figure files under `<target>/` instead of `<name>/` (a failing page's
  /// own folder).
  func relocatingFigures(from name: String, to target: String) -> RunResult {
    guard name != target else { return self }
    var result = self
    let prefix = name + "/"
    for (k, block) in blocks {
      var block = block
      for i in block.figures.indices {
        block.figures[i] = block.figures[i].mappingFiles { file in
          file.hasPrefix(prefix) ? target + "/" + file.dropFirst(prefix.count) : file
        }
      }
      result.blocks[k] = block
    }
    return result
  }
}
