import Foundation
import SwiftParser
import SwiftSyntax
import XCTest

/// The API a notebook can call (`Neural`, `RCompat`, `Plot`, `HandoutKit`), the runtime protocol
/// (`HandoutProtocol`) and the engine (`Literate`) are documented in full: every public declaration
/// carries a `///` or `/** */` comment with its formula or contract, so the reference `make docs`
/// writes has no bare entries. A syntax scan of the sources: no build, no DocC, a few
/// hundred milliseconds.
final class DocCommentTests: XCTestCase {
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

  func testEveryPublicDeclarationOfTheNotebookAPIHasADocComment() throws {
    var missing: [String] = []
    var seen = 0
    for module in ["Neural", "RCompat", "Plot", "HandoutKit", "HandoutProtocol", "Literate"] {
      for file in try Self.swiftFiles(in: Self.sources.appendingPathComponent(module)) {
        let source = try String(contentsOf: file, encoding: .utf8)
        // Relative to Sources, e.g. HandoutKit/Figures/LossCurve.swift.
        let name = file.pathComponents.dropFirst(Self.sources.pathComponents.count).joined(separator: "/")
        let scan = UndocumentedPublicDeclarations(file: name, source: source)
        missing += scan.missing
        seen += scan.publicCount
      }
    }
    // The scan must see the API at all (a wrong folder would pass vacuously).
    XCTAssertGreaterThan(seen, 200, "the scan found too few public declarations under \(Self.sources.path)")
    XCTAssert(
      missing.isEmpty,
      "\(missing.count) public declarations have no doc comment:\n" + missing.joined(separator: "\n"))
  }

  /// The scan itself: what counts as public, and what counts as a doc comment.
  func testTheScanFindsUndocumentedPublicDeclarationsOnly() {
    let source = """
      /// Documented.
      public struct A {
        /// Documented.
        public var x: Int
        public init() { x = 0 }
        // A plain comment is not a doc comment.
        public func f() {}
        func internalOnes() {}
        private struct Hidden { public var y: Int }
      }
      public enum E { case one, two
        /// Documented.
        case three
      }
      public protocol P { func requirement() }
      extension A { public var extra: Int { 1 } }
      public extension A { var impliedPublic: Int { 1 } }
      extension A { var internalOne: Int { 1 } }
      struct Internal { public var notReallyPublic: Int }
      /** Documented too. */
      @inlinable public func g() {}
      """
    let scan = UndocumentedPublicDeclarations(file: "T.swift", source: source)
    XCTAssertEqual(
      scan.missing,
      [
        "T.swift:5: init()", "T.swift:7: f()", "T.swift:11: E", "T.swift:11: case one, two",
        "T.swift:15: P", "T.swift:15: requirement()", "T.swift:16: extra", "T.swift:17: impliedPublic",
      ])
  }

  static func swiftFiles(in folder: URL) throws -> [URL] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
      throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: folder.path])
    }
    return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
      .sorted { $0.path < $1.path }
  }
}

/// Public declarations of one file without a doc comment, as `file:line: name`.
///
/// Public means what a client sees: a `public` or `open` declaration inside public scopes only, a
/// member of a `public extension`, a requirement of a public protocol, a case of a public enum.
/// Extensions themselves and names starting with `_` are not declarations DocC shows.
struct UndocumentedPublicDeclarations {
  private(set) var missing: [String] = []
  private(set) var publicCount = 0

  init(file: String, source: String) {
    let tree = Parser.parse(source: source)
    let converter = SourceLocationConverter(fileName: file, tree: tree)
    for item in tree.statements {
      if let decl = item.item.as(DeclSyntax.self) {
        visit(decl, scope: .file, file: file, converter: converter)
      }
    }
  }

  /// Where a declaration stands, which decides its access when it has no modifier.
  enum Scope {
    case file, publicType, publicProtocol, publicEnum, publicExtension, hidden
  }

  private mutating func visit(
    _ decl: DeclSyntax, scope: Scope, file: String, converter: SourceLocationConverter
  ) {
    if scope == .hidden { return }
    if let ifConfig = decl.as(IfConfigDeclSyntax.self) {
      for clause in ifConfig.clauses {
        if case .decls(let members) = clause.elements {
          for member in members { visit(member.decl, scope: scope, file: file, converter: converter) }
        }
      }
      return
    }
    if let ext = decl.as(ExtensionDeclSyntax.self) {
      let access = Self.access(ext.modifiers)
      let inner: Scope = access == "public" ? .publicExtension : access == nil ? .publicType : .hidden
      for member in ext.memberBlock.members {
        visit(member.decl, scope: inner, file: file, converter: converter)
      }
      return
    }
    let modifiers = decl.asProtocol(WithModifiersSyntax.self)?.modifiers ?? []
    let explicit = Self.access(modifiers)
    let isPublic: Bool
    switch scope {
    case .publicProtocol: isPublic = true
    case .publicEnum:
      isPublic = decl.is(EnumCaseDeclSyntax.self) || explicit == "public" || explicit == "open"
    case .publicExtension: isPublic = explicit == nil || explicit == "public" || explicit == "open"
    case .file, .publicType: isPublic = explicit == "public" || explicit == "open"
    case .hidden: isPublic = false
    }
    guard !decl.is(ImportDeclSyntax.self) else { return }
    let name = Self.name(of: decl)
    if isPublic, let name, !name.hasPrefix("_") {
      publicCount += 1
      if !Self.hasDocComment(decl) {
        let line = converter.location(for: decl.positionAfterSkippingLeadingTrivia).line
        missing.append("\(file):\(line): \(name)")
      }
    }
    guard let members = decl.asProtocol(DeclGroupSyntax.self)?.memberBlock.members else { return }
    let inner: Scope =
      !isPublic
      ? .hidden
      : decl.is(ProtocolDeclSyntax.self)
        ? .publicProtocol
        : decl.is(EnumDeclSyntax.self) ? .publicEnum : .publicType
    for member in members { visit(member.decl, scope: inner, file: file, converter: converter) }
  }

  private static func access(_ modifiers: DeclModifierListSyntax) -> String? {
    let levels: Set = ["public", "open", "internal", "fileprivate", "private", "package"]
    return modifiers.first { levels.contains($0.name.text) && $0.detail == nil }?.name.text
  }

  private static func hasDocComment(_ decl: DeclSyntax) -> Bool {
    decl.leadingTrivia.contains { piece in
      switch piece {
      case .docLineComment, .docBlockComment: return true
      default: return false
      }
    }
  }

  /// The name DocC would list, or nil for declarations it does not list on their own.
  private static func name(of decl: DeclSyntax) -> String? {
    if let d = decl.as(StructDeclSyntax.self) { return d.name.text }
    if let d = decl.as(ClassDeclSyntax.self) { return d.name.text }
    if let d = decl.as(EnumDeclSyntax.self) { return d.name.text }
    if let d = decl.as(ActorDeclSyntax.self) { return d.name.text }
    if let d = decl.as(ProtocolDeclSyntax.self) { return d.name.text }
    if let d = decl.as(TypeAliasDeclSyntax.self) { return d.name.text }
    if let d = decl.as(AssociatedTypeDeclSyntax.self) { return d.name.text }
    if let d = decl.as(FunctionDeclSyntax.self) {
      return d.name.text + "("
        + d.signature.parameterClause.parameters.map { "\($0.firstName.text):" }.joined() + ")"
    }
    if let d = decl.as(InitializerDeclSyntax.self) {
      return "init(" + d.signature.parameterClause.parameters.map { "\($0.firstName.text):" }.joined() + ")"
    }
    if decl.is(SubscriptDeclSyntax.self) { return "subscript" }
    if let d = decl.as(VariableDeclSyntax.self) {
      return d.bindings.map { $0.pattern.trimmedDescription }.joined(separator: ", ")
    }
    if let d = decl.as(EnumCaseDeclSyntax.self) {
      return "case " + d.elements.map { $0.name.text }.joined(separator: ", ")
    }
    return nil
  }
}
