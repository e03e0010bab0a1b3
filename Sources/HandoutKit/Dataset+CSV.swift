// `Dataset(csv:…)`: a data table read through `dataFile(_:)` (so its content is an input of the
// run), parsed by SwiftCSV (RFC 4180 quoting, any one-character separator).
import Foundation
import Neural
internal import SwiftCSV

/// Why a CSV file could not become a `Dataset`; `description` names the file, row and column.
public enum DataTableError: Error, CustomStringConvertible, Equatable {
  /// The file could not be read.
  case unreadable(file: String, reason: String)
  /// Not valid CSV (an unclosed quote, …).
  case malformed(file: String, reason: String)
  /// A column named in `features:` or `label:` is not in the header.
  case unknownColumn(file: String, name: String, header: [String])
  /// A cell is empty or `NA`. `row` counts data rows from 1 (the header is row 0); `column` from 1.
  case missingValue(file: String, row: Int, column: Int, name: String)
  /// A feature cell is not a number.
  case notANumber(file: String, row: Int, column: Int, name: String, text: String)
  /// The file has a header but no rows.
  case empty(file: String)

  /// `file: row R, column C ('name'): what is wrong`, the text a person reads.
  public var description: String {
    switch self {
    case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
    case .malformed(let file, let reason): return "\(file): not valid CSV: \(reason)"
    case .unknownColumn(let file, let name, let header):
      return
        "\(file): no column '\(name)' (the header has \(header.map { "'\($0)'" }.joined(separator: ", ")))"
    case .missingValue(let file, let row, let column, let name):
      return "\(file): row \(row), column \(column) ('\(name)'): missing value"
    case .notANumber(let file, let row, let column, let name, let text):
      return "\(file): row \(row), column \(column) ('\(name)'): '\(text)' is not a number"
    case .empty(let file): return "\(file): no data rows"
    }
  }
}

extension Dataset {
  /// A dataset from a CSV file beside the notebook, read through `dataFile(_:)`.
  ///
  ///     let data = try Dataset(csv: "../data/points.csv", features: ["x1", "x2"], label: "class")
  ///
  /// - Parameters:
  ///   - path: relative to the notebook's folder.
  ///   - features: the input columns, in this order; nil: every column but `label`.
  ///   - label: the target column.
  ///   - classes: true (default): the label is a class name or number; classes are numbered in
  ///     sorted order (numerically when every label is a number), two classes give one 0/1
  ///     column and more give one-hot rows. false: the label is a number to regress on.
  ///   - header: whether the first line names the columns; without one they are `V1`, `V2`, …
  ///     as R's `read.csv(header = FALSE)` names them.
  ///   - separator: the field separator (`,`; `;` and `\t` are common).
  /// - Throws: `DataTableError`, naming the file, row and column of a missing value (an empty
  ///   cell or `NA`) or of a feature that is not a number.
  public init(
    csv path: String, features: [String]? = nil, label: String, classes: Bool = true, header: Bool = true,
    separator: Character = ","
  ) throws {
    let url = dataFile(path)
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw DataTableError.unreadable(file: path, reason: (error as NSError).localizedDescription)
    }
    let table: EnumeratedCSV
    do {
      table = try EnumeratedCSV(string: text, delimiter: .character(separator), loadColumns: false)
    } catch {
      throw DataTableError.malformed(file: path, reason: "\(error)")
    }
    var names = table.header
    var rows = table.rows
    if !header {
      rows.insert(names, at: 0)
      names = (1...max(names.count, 1)).map { "V\($0)" }
    }
    rows.removeAll { $0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    guard !rows.isEmpty else { throw DataTableError.empty(file: path) }
    func column(_ name: String) throws -> Int {
      guard let i = names.firstIndex(of: name) else {
        throw DataTableError.unknownColumn(file: path, name: name, header: names)
      }
      return i
    }
    let labelColumn = try column(label)
    let featureColumns = try (features ?? names.filter { $0 != label }).map(column)
    func cell(_ row: Int, _ col: Int) throws -> String {
      let value = col < rows[row].count ? rows[row][col].trimmingCharacters(in: .whitespaces) : ""
      if value.isEmpty || value == "NA" {
        throw DataTableError.missingValue(file: path, row: row + 1, column: col + 1, name: names[col])
      }
      return value
    }
    var X = Matrix(rows: rows.count, cols: featureColumns.count)
    for i in rows.indices {
      for (j, c) in featureColumns.enumerated() {
        let text = try cell(i, c)
        guard let value = Double(text) else {
          throw DataTableError.notANumber(file: path, row: i + 1, column: c + 1, name: names[c], text: text)
        }
        X[i, j] = value
      }
    }
    let targets = try rows.indices.map { try cell($0, labelColumn) }
    if !classes {
      var Y = Matrix(rows: rows.count, cols: 1)
      for (i, text) in targets.enumerated() {
        guard let value = Double(text) else {
          throw DataTableError.notANumber(
            file: path, row: i + 1, column: labelColumn + 1, name: label, text: text)
        }
        Y[i, 0] = value
      }
      self.init(X: X, Y: Y)
      return
    }
    let numeric = targets.allSatisfy { Double($0) != nil }
    // Sorted, then equal neighbours merged: class numbers follow the sorted names.
    func before(_ a: String, _ b: String) -> Bool {
      if numeric, let x = Double(a), let y = Double(b) { return x < y }
      return a < b
    }
    let classNames = targets.sorted(by: before).reduce(into: [String]()) { names, t in
      if names.last != t { names.append(t) }
    }
    let number = { (t: String) in classNames.firstIndex(of: t) ?? 0 }
    self.init(X: X, labels: targets.map(number), classes: max(classNames.count, 2))
  }
}
