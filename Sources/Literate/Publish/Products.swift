// What publish receives for one handout: finished products (page, deck, PDF bytes), made by the
// pipeline (`Pipeline.products(for:)`) once publish has found the handout's names free. Publish
// never weaves or prints: it only stages, owns and swaps what it is given.
import Foundation

/// What publish asks the pipeline to make for one handout, after refusing a user's file under
/// any of its names and before anything of the handout is staged or swapped.
public struct ProductOrder {
  /// The notebook, as `PublishOptions.profile` lets its reader have it.
  public var notebook: Notebook
  /// Its checked run, filtered the same way.
  public var run: RunResult
  /// The run's figures (nil: a run that made none).
  public var artifacts: Artifacts?
  /// The handout's name in the output folder (`<name>` or `<name>.failed`): a linked page names
  /// its figures under `<target>/`.
  public var target: String
  /// How to weave: this handout's links to the course index and its neighbours included.
  public var weave: WeaveOptions
  /// Also weave the deck.
  public var slides: Bool
  /// What to do about the PDF.
  public var pdf: PDFPublishing
  /// The key (`PDFPrinter.key(page:)`) of the PDF the handout has now, when it has one: a page
  /// printed with the same key is that PDF, and is not printed again.
  public var previousPDFKey: String?
  /// Its PDF, already under way (`Pipeline.startPrinting`); nil: printed when the products are made.
  var ahead: PrintAhead? = nil
}

/// One handout's products, finished: nothing left to weave or print.
public struct Products {
  /// The page's HTML.
  public var page: Data
  /// The deck's HTML, when one was asked for.
  public var deck: Data?
  /// The PDF.
  public var pdf: PDFProduct

  /// Products as given.
  public init(page: Data, deck: Data? = nil, pdf: PDFProduct = .none) {
    self.page = page
    self.deck = deck
    self.pdf = pdf
  }
}

/// A handout's PDF as the pipeline made it.
public enum PDFProduct: Equatable {
  /// No PDF: one left by an earlier render goes, since it would no longer match the page.
  case none
  /// The previous PDF stays as it is (printing was asked for but is impossible: no Chromium).
  case keepPrevious
  /// Printed from the page whose key is `key`.
  case printed(Data, key: String)
  /// The page has the key of the PDF the handout has (`ProductOrder.previousPDFKey`): that one stays.
  case unchanged(key: String)
  /// Printing failed for this reason: the previous PDF, if any, stays.
  case failed(String)
}

extension PDFProduct {
  /// A PDF printed from this page (now, or before: `unchanged`).
  var matchesPage: Bool {
    switch self {
    case .printed, .unchanged: return true
    case .none, .keepPrevious, .failed: return false
    }
  }
}

/// Makes the products of one handout; a thrown error (a template's, …) keeps the handout as it was.
public typealias ProductMaker = (ProductOrder) throws -> Products
