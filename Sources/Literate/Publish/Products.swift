// What publish receives: finished products, made by the pipeline (`Pipeline.makers`). For each
// handout its page, deck and PDF bytes (`Pipeline.products(for:)`), once publish has found the
// handout's names free; for the course the index (a walker over the manifest's entries, as a page
// is over a run) and the asset files. Publish never weaves or prints: it only stages, owns and
// swaps what it is given.
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
  /// Preview (`PublishOptions.keepProducts`): a PDF that could not be printed again from this
  /// page goes, and the page shows the edit; `render --pdf` keeps the whole handout instead, page,
  /// deck and PDF (an instructor previewing an edit wants to see it, and the PDF printed from the
  /// page before would pass for it).
  var withholdsUnprinted = false
  /// Preview: this preview published the handout before (`PublishOptions.previewedBefore`), so a
  /// page of it that changed changed with an edit.
  var previewedBefore = true
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
  /// Printing is impossible (no Chromium; why): a handout that has a PDF is kept whole, one
  /// without gets no PDF, and no word of it (the render said it once).
  case unprintable(String)
}

extension PDFProduct {
  /// A PDF printed from this page (now, or before: `unchanged`).
  var matchesPage: Bool {
    switch self {
    case .printed, .unchanged: return true
    case .none, .keepPrevious, .failed, .unprintable: return false
    }
  }
}

/// Makes the products of one handout; a thrown error (a template's, …) keeps the handout as it was.
public typealias ProductMaker = (ProductOrder) throws -> Products

/// What publish asks the pipeline to make for the course index, once `index.html` is known free
/// of a user's file: every handout of the folder, from its manifest.
public struct IndexOrder {
  /// One per handout the folder's manifest holds, in the index's order; links only to what exists.
  public var entries: [IndexEntry]
  /// How to weave (the stylesheet linked or inlined, the generator).
  public var weave: WeaveOptions
  /// The API reference's href (`api/index.html`), when `make docs` wrote it into the folder.
  public var apiReference: String?
}

/// One file of the assets folder (`<out>/<assetsPath>/`), as the pipeline made it.
public struct AssetFile: Equatable, Sendable {
  /// What the file holds.
  public enum Content: Equatable, Sendable {
    /// These bytes (a stylesheet).
    case bytes(Data)
    /// The bytes of this file, symlinks resolved (KaTeX): copied with its modification time, so a
    /// re-render knows the copy current by size and time without reading it.
    case copy(of: URL)
  }
  /// Where it goes inside the assets folder (`katex/fonts/KaTeX_Main-Regular.woff2`).
  public var path: String
  /// Its content.
  public var content: Content

  /// A file at `path` holding `content`.
  public init(path: String, content: Content) {
    self.path = path
    self.content = content
  }
}

/// The makers publish is handed: for each handout, for the course index and for the assets. A
/// thrown error keeps what the folder had (the last good handout, index or assets).
public struct ProductMakers {
  /// The products of one handout.
  public var handout: ProductMaker
  /// The course index's HTML.
  public var index: (IndexOrder) throws -> Data
  /// The files of the assets folder for these weave options.
  public var assets: (WeaveOptions) throws -> [AssetFile]
  /// Called for every handout's order before any handout is made, once its names are known free:
  /// the order with its PDF under way (`Pipeline.startPrinting`), so Chromium prints while the
  /// others are woven. Default: the order as it is.
  public var prepare: (ProductOrder) -> ProductOrder

  /// Makers as given; `prepare` by default leaves each order as it is.
  public init(
    handout: @escaping ProductMaker, index: @escaping (IndexOrder) throws -> Data,
    assets: @escaping (WeaveOptions) throws -> [AssetFile],
    prepare: @escaping (ProductOrder) -> ProductOrder = { $0 }
  ) {
    self.handout = handout
    self.index = index
    self.assets = assets
    self.prepare = prepare
  }
}
