// The value the resolve stage (`Reference/`) hands to every format: the numbering of a run.

/// The numbering of one handout's labelled figures, equations and tables, and what is wrong with
/// its labels and references.
///
/// Labels: a figure's from `show(…, label: "fig-x")`, else from its block's `id=fig-x` (that
/// block's first figure); an equation's from `$$ … $$ {#eq-x}`; a table's from a caption line
/// `Table: text {#tbl-x}` after it. Figures are numbered among all figures the page shows (every
/// figure has a "Figure n" caption), equations and tables among the labelled ones, in document
/// order. `@fig-x`, `@eq-x`, `@tbl-x` in prose read "Figure 2", "Equation (1)", "Table 1".
public struct CrossReferences: Equatable, Sendable {
  /// One labelled figure, equation or table.
  public struct Target: Equatable, Sendable {
    /// The label, which is also the element's `id` on the page (`fig-boundary`).
    public var label: String
    /// 1-based, per kind, in document order.
    public var number: Int
    /// Where the label is written (for a figure labelled by `show`, the label's text in the block,
    /// else the block's fence).
    public var location: SourceLocation
    /// How a reference reads: "Figure 2", "Equation (1)", "Table 1".
    public var text: String
    /// Shown on the page only (`::: handout`): the deck reads a reference to it as its number, in
    /// the handout, with no link (the deck has no such element).
    public var pageOnly = false
  }

  /// Every target by label.
  public var targets: [String: Target] = [:]
  /// Unknown references, duplicate and malformed labels: errors at their places in the notebook.
  public var diagnostics: [Diagnostic] = []
  /// The references to a label no target has (each is also an error in `diagnostics`).
  public var unknown: [(label: String, location: SourceLocation)] = []

  /// Equal when the targets and the errors are equal (`unknown` follows from them).
  public static func == (a: CrossReferences, b: CrossReferences) -> Bool {
    a.targets == b.targets && a.diagnostics == b.diagnostics
  }
}
