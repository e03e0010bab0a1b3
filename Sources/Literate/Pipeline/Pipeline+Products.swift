// The making of the products publish writes: each handout's page, deck and PDF, from its run; the
// course index, from the manifest's entries; the asset files. `Publisher.publish` asks for them
// once their names are known free of a user's files, and only stages and swaps what comes back.
import Foundation

extension Pipeline {
  /// Publishes `outcomes` into `out`, every product made by `makers`.
  /// - Throws: `HandoutError.file` when the output folder cannot be written at all.
  public static func publish(
    _ outcomes: [NotebookOutcome], to out: URL, weave: WeaveOptions,
    options: PublishOptions = PublishOptions()
  ) throws -> PublishReport {
    try Publisher.publish(outcomes, to: out, weave: weave, options: options, make: makers)
  }

  /// What publish is handed to make things with: `products(for:)` for each handout (its PDF
  /// started ahead by `startPrinting`), `index(for:)` for the course index, `Weave.assets(options:)`
  /// for the asset files.
  public static var makers: ProductMakers {
    ProductMakers(
      handout: products(for:), index: index(for:), assets: Weave.assets(options:), prepare: startPrinting)
  }

  /// The course index, woven from the manifest's entries (a walker over them, as the page is one
  /// over a run).
  /// - Throws: a weave's error (a template's syntax, …): then the previous index stays.
  public static func index(for order: IndexOrder) throws -> Data {
    Data(try Weave.index(entries: order.entries, options: order.weave, apiReference: order.apiReference).utf8)
  }

  /// `order` with its PDF under way (`PrintAhead`) when it is to be printed: publish calls this for
  /// every handout before it publishes any, so Chromium prints while the others are woven.
  static func startPrinting(_ order: ProductOrder) -> ProductOrder {
    guard case .print(let printer) = order.pdf, order.ahead == nil else { return order }
    var order = order
    var weave = order.weave
    weave.figureRoot = order.artifacts?.figures
    order.ahead = PrintAhead(order, printer: printer, weave: weave)
    return order
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

  /// The handout's PDF as `order.pdf` says: printed (or being printed: `order.ahead`), the
  /// previous one when its page is the same (no Chromium), or why printing failed.
  static func printPDF(_ order: ProductOrder, weave: WeaveOptions) -> PDFProduct {
    switch order.pdf {
    case .none:
      return .none
    case .keepPrevious:
      return .keepPrevious
    case .unprintable(let reason):
      return .unprintable(reason)
    case .print(let printer):
      return (order.ahead ?? PrintAhead(order, printer: printer, weave: weave)).result()
    }
  }
}

/// A handout's PDF, printed on a thread of its own while publish goes on (issue 22: Chromium's
/// second, most of it start-up, then overlaps the weaving of the other handouts on a second core).
/// The page is woven and keyed when it is made: a page with the key of the PDF the handout has is
/// not printed. The Chromium it runs is a `ChildProcess` known to the printer's reaper, as before.
final class PrintAhead: @unchecked Sendable {
  /// One print at a time, in the order they were asked for (a cold render prints every PDF: one
  /// Chromium beside `handout`, not six at once on two cores).
  private static let queue = DispatchQueue(label: "handout.print")
  private let done = DispatchSemaphore(value: 0)
  private var product: PDFProduct = .none
  /// Chromium is printing (the page changed), or has.
  let printing: Bool

  init(_ order: ProductOrder, printer: PDFPrinter, weave: WeaveOptions) {
    let page: String
    let key: String
    do {
      page = try printer.page(notebook: order.notebook, run: order.run, weave: weave)
      key = printer.key(page: page)
    } catch {
      printing = false
      product = .failed("\(error)")
      done.signal()
      return
    }
    // The page it was printed from is the same: the previous PDF is this one (no Chromium).
    printing = order.previousPDFKey != key
    guard printing else {
      product = .unchanged(key: key)
      done.signal()
      return
    }
    let author = order.notebook.frontMatter.author ?? ""
    Self.queue.async { [self] in
      product = Self.print(page, author: author, key: key, with: printer)
      done.signal()
    }
  }

  private static func print(_ page: String, author: String, key: String, with printer: PDFPrinter)
    -> PDFProduct
  {
    do {
      // Read where it was printed: no copy of the PDF goes anywhere else on the way.
      return .printed(try printer.printed(page: page, author: author), key: key)
    } catch {
      return .failed("\(error)")
    }
  }

  /// The PDF, once printed (at once when there was nothing to print).
  func result() -> PDFProduct {
    done.wait()
    defer { done.signal() }
    return product
  }
}

extension ProductOrder {
  /// Its PDF is being printed (or was) on a thread of its own.
  var isPrinting: Bool { ahead?.printing == true }

  /// Returns once its PDF, if one is being printed, is done.
  func waitForPrint() { _ = ahead?.result() }
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
