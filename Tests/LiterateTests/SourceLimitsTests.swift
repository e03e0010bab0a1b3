import Foundation
import SwiftParser
import SwiftSyntax
import XCTest

/// Issue 21's limits, kept by a test: no source file under Sources/ or Tests/ over 400 lines, no
/// function over 80. A syntax scan of the files (swift-syntax, as `DocCommentTests`): no build.
///
/// The rules:
/// - A file's length is its number of lines (`wc -l`), for every `.swift`, `.c` and `.h` file under
///   Sources/ and Tests/ (a test reads like the code it tests: split by theme, helpers in one place).
/// - A function is a `func`, `init`, `deinit`, `subscript`, a property accessor (`get`, `set`, …)
///   or a computed property's `{ … }`; its length is the number of lines strictly between the line
///   of its body's `{` and the line of its `}` (blank and comment lines included; a nested
///   function counts in its own length and in the one around it).
/// - What is listed in `allowedFiles` or `allowedFunctions` may be longer; an entry that is no
///   longer needed fails the test too, so the lists only shrink.
final class SourceLimitsTests: XCTestCase {
  static let fileLimit = 400
  static let functionLimit = 80

  /// Files that may be longer (relative to the package's root), and why: data, never code.
  static let allowedFiles: [String: String] = [
    "Sources/Neural/Digits+Data.swift": "generated data: the digits data set as literals"
  ]

  /// Functions (`file: name`) that may be longer, and why.
  static let allowedFunctions: [String: String] = [:]

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  /// The folders whose files the limits hold for.
  static let folders = ["Sources", "Tests"]

  func testNoSourceFileOrFunctionIsOverTheLimits() throws {
    var longFiles: [String] = []
    var longFunctions: [String] = []
    var scanned: [String: Int] = [:]
    for file in try Self.sourceFiles() {
      let name = file.pathComponents.dropFirst(Self.root.pathComponents.count).joined(separator: "/")
      let text = try String(contentsOf: file, encoding: .utf8)
      let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
      if lines > Self.fileLimit { longFiles.append(name) }
      guard file.pathExtension == "swift" else { continue }
      let scan = FunctionLengths(source: text)
      scanned[String(name.prefix { $0 != "/" }), default: 0] += scan.lengths.count
      for (function, length) in scan.lengths where length > Self.functionLimit {
        longFunctions.append("\(name): \(function)")
      }
    }
    // The scan must see each folder at all (a wrong folder would pass vacuously).
    for folder in Self.folders {
      XCTAssertGreaterThan(scanned[folder] ?? 0, 500, "the scan found too few functions in \(folder)/")
    }
    let files = Set(longFiles)
    let bodies = Set(longFunctions)
    XCTAssertEqual(
      files.subtracting(Self.allowedFiles.keys), [],
      "files over \(Self.fileLimit) lines: split them (Type+Role.swift)")
    XCTAssertEqual(
      bodies.subtracting(Self.allowedFunctions.keys), [],
      "functions over \(Self.functionLimit) lines: split them into named steps")
    XCTAssertEqual(
      Set(Self.allowedFiles.keys).subtracting(files), [], "allowed long files that are short now: unlist them"
    )
    XCTAssertEqual(
      Set(Self.allowedFunctions.keys).subtracting(bodies), [],
      "allowed long functions that are short now (or renamed): unlist them")
  }

  /// The scan itself: which bodies count, and how long each is.
  func testTheScanMeasuresEveryKindOfBody() {
    let body = { (n: Int) in (0..<n).map { "    x += \($0)  // {" }.joined(separator: "\n") }
    let source = """
      struct S {
        var x = 0
        init() {
      \(body(3))
        }
        mutating func long() {
          let s = "}"  // a brace in a string or a comment is not one
      \(body(79))
        }
        mutating func tooLong() {
      \(body(81))
          func nested() {
      \(body(2))
          }
        }
        var computed: Int {
      \(body(4))
          return x
        }
        var both: Int {
          get {
      \(body(5))
            return x
          }
          set { x = newValue }
        }
        subscript(i: Int) -> Int {
      \(body(1))
          return i
        }
        func oneLine() { }
        func requirementLike()
      }
      """
    let scan = FunctionLengths(source: source)
    XCTAssertEqual(
      scan.lengths.map { "\($0.function) \($0.length)" },
      [
        "init 3", "long 80", "tooLong 85", "nested 2", "computed 5", "both.get 6", "both.set 0",
        "subscript 2",
        "oneLine 0",
      ])
    let over = scan.lengths.filter { $0.length > Self.functionLimit }.map(\.function)
    XCTAssertEqual(over, ["tooLong"], "80 lines are allowed, 81 are not")
  }

  /// Every `.swift`, `.c` and `.h` file under `folders`, sorted.
  static func sourceFiles() throws -> [URL] {
    try folders.flatMap { folder in
      let url = root.appendingPathComponent(folder)
      guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
      }
      return walker.compactMap { $0 as? URL }.filter { ["swift", "c", "h"].contains($0.pathExtension) }
    }.sorted { $0.path < $1.path }
  }
}

/// The length of every function body of one Swift file, in source order: `(name, lines)`, the
/// lines strictly between the body's `{` and `}` (see `SourceLimitsTests` for what counts).
final class FunctionLengths: SyntaxVisitor {
  private(set) var lengths: [(function: String, length: Int)] = []
  private let converter: SourceLocationConverter

  init(source: String) {
    let tree = Parser.parse(source: source)
    converter = SourceLocationConverter(fileName: "", tree: tree)
    super.init(viewMode: .sourceAccurate)
    walk(tree)
  }

  private func measure(_ name: String, _ open: TokenSyntax, _ close: TokenSyntax) {
    let first = converter.location(for: open.positionAfterSkippingLeadingTrivia).line
    let last = converter.location(for: close.positionAfterSkippingLeadingTrivia).line
    lengths.append((name, max(last - first - 1, 0)))
  }

  override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
    if let body = node.body { measure(node.name.text, body.leftBrace, body.rightBrace) }
    return .visitChildren
  }

  override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind {
    if let body = node.body { measure("init", body.leftBrace, body.rightBrace) }
    return .visitChildren
  }

  override func visit(_ node: DeinitializerDeclSyntax) -> SyntaxVisitorContinueKind {
    if let body = node.body { measure("deinit", body.leftBrace, body.rightBrace) }
    return .visitChildren
  }

  override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind {
    if let block = node.accessorBlock, case .getter = block.accessors {
      measure("subscript", block.leftBrace, block.rightBrace)
    }
    return .visitChildren
  }

  override func visit(_ node: PatternBindingSyntax) -> SyntaxVisitorContinueKind {
    if let block = node.accessorBlock, case .getter = block.accessors {
      measure(node.pattern.trimmedDescription, block.leftBrace, block.rightBrace)
    }
    return .visitChildren
  }

  override func visit(_ node: AccessorDeclSyntax) -> SyntaxVisitorContinueKind {
    guard let body = node.body else { return .visitChildren }
    // `both.get`: the property's (or `subscript`'s) name and the accessor's kind.
    var owner = "subscript"
    if let binding = node.parent?.parent?.parent?.as(PatternBindingSyntax.self) {
      owner = binding.pattern.trimmedDescription
    }
    measure("\(owner).\(node.accessorSpecifier.text)", body.leftBrace, body.rightBrace)
    return .visitChildren
  }
}
