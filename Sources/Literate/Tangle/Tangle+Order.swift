// A name used before the block that declares it.
//
// The blocks become top-level code of one `main.swift`, where every top-level `let`/`var` is a
// global visible from the first line on. swiftc accepts `print(later)` above `let later = 2` and the
// program silently prints 0 (measured with Swift 6.3, in both language modes), so this check
// reports it as the compile error an instructor expects. Inline values run where they stand in
// the prose (between blocks), so they are checked the same way.
import SwiftParser
import SwiftSyntax

extension Notebook {
  /// Errors for code that runs where it stands (top-level code, inline values) and reads a
  /// top-level variable before its declaration has run.
  ///
  /// - A plain reference (`answer`) is checked where it stands.
  /// - A call of a top-level function (`half()`) is checked for every top-level variable the
  ///   function's body names, and the bodies of the top-level functions it names, transitively.
  ///
  /// Not followed (they may run later, when the variable exists): closures, methods, accessors and
  /// initialisers of types, and functions passed as values. A name that is also bound locally
  /// anywhere (a parameter, `for x in`, `if let x`) is skipped rather than guessed at.
  public func useBeforeDeclaration() -> [Diagnostic] {
    var scan = UseScan()
    for (order, block) in blocks.filter(\.isExecuted).enumerated() {
      scan.add(block, order: order)
    }
    // An inline value runs after the blocks above it, before any code of the next block.
    for inline in inlines {
      scan.add(inline)
    }
    return scan.diagnostics(path: path)
  }
}

/// Where a name is declared or used: the notebook position and the order in which it runs.
private struct UsePlace {
  /// The executed block's rank (for an inline value, how many blocks ran before it).
  var order: Int
  /// UTF-8 offset in the block's code (-1 for an inline value: before any code of the next block).
  var offset: Int
  var line: Int
  var column: Int
  var inline: Bool = false

  func isLater(than use: UsePlace) -> Bool {
    (use.order, use.offset) < (order, offset)
  }

  /// What to do about a use here of a name declared later.
  var advice: String {
    inline
      ? "an inline value sees only the blocks above it"
      : "top-level code would read it uninitialised (as 0 or empty), so move the declaration above this line"
  }
}

/// The declarations and references of the executed code, collected in running order.
private struct UseScan {
  var declared: [String: UsePlace] = [:]
  var local = Set<String>()
  var references: [(name: String, place: UsePlace)] = []
  /// Names each top-level function's body refers to (overloads together).
  var reads: [String: Set<String>] = [:]
  /// `globals(readBy:)`'s answers so far.
  var readsThrough: [String: Set<String>] = [:]

  /// A block's top-level variables and functions, and the references of its code that runs.
  mutating func add(_ block: Block, order: Int) {
    let file = block.syntaxTree
    if file.hasError { return }
    let converter = SourceLocationConverter(fileName: "", tree: file)
    func place(_ node: some SyntaxProtocol) -> UsePlace {
      let position = node.positionAfterSkippingLeadingTrivia
      let l = converter.location(for: position)
      return UsePlace(
        order: order, offset: position.utf8Offset, line: block.firstCodeLine + l.line - 1,
        column: l.column + block.fence.column - 1)
    }
    for statement in file.statements {
      if let function = statement.item.as(FunctionDeclSyntax.self), let body = function.body {
        let names = NameCollector(viewMode: .sourceAccurate)
        names.walk(body)
        reads[function.name.text, default: []].formUnion(names.names)
      }
      guard let variable = statement.item.as(VariableDeclSyntax.self) else { continue }
      for binding in variable.bindings {
        for pattern in binding.pattern.identifierPatterns where declared[pattern.identifier.text] == nil {
          declared[pattern.identifier.text] = place(pattern)
        }
      }
    }
    let visitor = ReferenceCollector(viewMode: .sourceAccurate)
    visitor.walk(file)
    local.formUnion(visitor.localNames)
    references += visitor.references.map { (name: $0.baseName.text, place: place($0)) }
  }

  /// An inline value's references.
  mutating func add(_ inline: InlineExpression) {
    let file = SwiftSource.parse(inline.expression)
    if file.hasError { return }
    let converter = SourceLocationConverter(fileName: "", tree: file)
    let visitor = ReferenceCollector(viewMode: .sourceAccurate)
    visitor.walk(file)
    local.formUnion(visitor.localNames)
    for reference in visitor.references {
      let l = converter.location(for: reference.positionAfterSkippingLeadingTrivia)
      references.append(
        (
          name: reference.baseName.text,
          place: UsePlace(
            order: inline.afterBlockCount, offset: -1, line: inline.location.line + l.line - 1,
            column: l.column + (l.line == 1 ? inline.location.column - 1 : 0), inline: true)
        ))
    }
  }

  /// Every top-level variable a call of a function may read, through the functions it calls.
  mutating func globals(readBy function: String) -> Set<String> {
    if let known = readsThrough[function] { return known }
    var seen: Set<String> = [function]
    var queue = [function]
    var found = Set<String>()
    while let f = queue.popLast() {
      for name in reads[f] ?? [] where !local.contains(name) {
        if declared[name] != nil { found.insert(name) }
        if reads[name] != nil, seen.insert(name).inserted { queue.append(name) }
      }
    }
    readsThrough[function] = found
    return found
  }

  /// One error per name, at its first use before its declaration (or its function's globals') ran.
  mutating func diagnostics(path: String) -> [Diagnostic] {
    var result: [Diagnostic] = []
    var reported = Set<String>()
    for (name, use) in references where !local.contains(name) && !reported.contains(name) {
      let at = SourceLocation(file: path, line: use.line, column: use.column)
      if let declaration = declared[name] {
        guard declaration.isLater(than: use) else { continue }
        reported.insert(name)
        result.append(
          Diagnostic(
            .error,
            use.inline
              ? "'\(name)' is declared later, at line \(declaration.line); \(use.advice)"
              : "'\(name)' is used before its declaration at line \(declaration.line) has run; \(use.advice)",
            at: at))
      } else if reads[name] != nil {
        let later = globals(readBy: name).compactMap { g in
          declared[g].flatMap { $0.isLater(than: use) ? (g, $0) : nil }
        }.min { ($0.1.order, $0.1.offset) < ($1.1.order, $1.1.offset) }
        guard let (global, declaration) = later else { continue }
        reported.insert(name)
        result.append(
          Diagnostic(
            .error,
            "'\(name)' reads '\(global)', which is declared later, at line \(declaration.line); \(use.advice)",
            at: at))
      }
    }
    return result
  }
}

extension PatternSyntax {
  /// The names a pattern binds: `x`, `(a, b)`, `let (a, _)`.
  var identifierPatterns: [IdentifierPatternSyntax] {
    if let identifier = self.as(IdentifierPatternSyntax.self) { return [identifier] }
    return tokens(viewMode: .sourceAccurate).compactMap { $0.parent?.as(IdentifierPatternSyntax.self) }
  }
}

/// Every plain (non-member) name a function body refers to, at any depth.
private final class NameCollector: SyntaxVisitor {
  var names = Set<String>()

  override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
    let isMember =
      node.parent?.as(MemberAccessExprSyntax.self)?.declName == node
      || node.parent?.is(KeyPathPropertyComponentSyntax.self) == true
    if !isMember { names.insert(node.baseName.text) }
    return .visitChildren
  }
}

/// Plain name references in code that runs where it stands, and every name bound below the top level.
private final class ReferenceCollector: SyntaxVisitor {
  var references: [DeclReferenceExprSyntax] = []
  var localNames = Set<String>()
  private var deferred = 0

  override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
    let isMember =
      node.parent?.as(MemberAccessExprSyntax.self)?.declName == node
      || node.parent?.is(KeyPathPropertyComponentSyntax.self) == true
    if deferred == 0, !isMember { references.append(node) }
    return .visitChildren
  }

  override func visit(_ node: IdentifierPatternSyntax) -> SyntaxVisitorContinueKind {
    // Top-level `let`/`var` bindings are the declarations; any other pattern binds a local name.
    var ancestor = node.parent
    while let a = ancestor, !a.is(VariableDeclSyntax.self), !a.is(CodeBlockItemSyntax.self) {
      ancestor = a.parent
    }
    let topLevel =
      ancestor?.is(VariableDeclSyntax.self) == true
      && ancestor?.parent?.parent?.parent?.is(SourceFileSyntax.self) == true
    if !(topLevel && deferred == 0) { localNames.insert(node.identifier.text) }
    return .visitChildren
  }

  override func visit(_ node: ClosureShorthandParameterSyntax) -> SyntaxVisitorContinueKind {
    localNames.insert(node.name.text)
    return .visitChildren
  }

  override func visit(_ node: ClosureParameterSyntax) -> SyntaxVisitorContinueKind {
    localNames.insert((node.secondName ?? node.firstName).text)
    return .visitChildren
  }

  override func visit(_ node: FunctionParameterSyntax) -> SyntaxVisitorContinueKind {
    localNames.insert((node.secondName ?? node.firstName).text)
    return .visitChildren
  }

  // Bodies that run later (or never): a function, a closure, a type, an accessor.
  override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: FunctionDeclSyntax) { deferred -= 1 }
  override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: ClosureExprSyntax) { deferred -= 1 }
  override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: StructDeclSyntax) { deferred -= 1 }
  override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: ClassDeclSyntax) { deferred -= 1 }
  override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: EnumDeclSyntax) { deferred -= 1 }
  override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: ExtensionDeclSyntax) { deferred -= 1 }
  override func visit(_ node: AccessorBlockSyntax) -> SyntaxVisitorContinueKind { enter() }
  override func visitPost(_ node: AccessorBlockSyntax) { deferred -= 1 }

  private func enter() -> SyntaxVisitorContinueKind {
    deferred += 1
    return .visitChildren
  }
}
