// The libraries a Swift object file asks to be linked with: what `swift-autolink-extract` writes for
// the driver's link job, read here from the ELF object without starting that tool.
import Foundation

/// The `.swift1_autolink_entries` of an ELF object (each import's `-l…` flags), in the order
/// `swift-autolink-extract` gives them: other flags as they come, then the toolchain's runtime
/// libraries in a fixed order (the link order the driver has always used).
enum AutolinkEntries {
  /// Why an object could not be read.
  struct Unreadable: Error, CustomStringConvertible {
    var description: String
  }

  static let sectionName = ".swift1_autolink_entries"

  /// `swift-autolink-extract`'s order of the runtime libraries (lib/DriverTool/autolink_extract_main.cpp
  /// in the Swift repository, Swift 6): each is written once, after every other flag.
  static let runtimeOrder = [
    "-lswiftSwiftOnoneSupport", "-lswiftCore", "-lswift_Concurrency", "-lswift_StringProcessing",
    "-lswiftRegexBuilder", "-lswift_RegexParser", "-lswift_Builtin_float", "-lswift_math", "-lswiftRuntime",
    "-lswiftSynchronization", "-lswiftGlibc", "-lswiftAndroid", "-lBlocksRuntime", "-ldispatch",
    "-lDispatchStubs", "-lswiftDispatch", "-l_FoundationICU", "-lCoreFoundation", "-lFoundation",
    "-lFoundationEssentials", "-lFoundationInternationalization", "-lFoundationNetworking", "-lFoundationXML",
    "-lcurl", "-lxml2", "-luuid", "-lTesting", "-lXCTest", "-lm", "-lpthread", "-lutil", "-ldl", "-lz",
  ]

  /// The linker flags the object at `object` asks for.
  static func read(object: URL) throws(Unreadable) -> [String] {
    let data: Data
    do {
      data = try Data(contentsOf: object, options: .mappedIfSafe)
    } catch {
      throw Unreadable(description: FileError.reason(of: error, at: object.path))
    }
    return try order(sections(named: sectionName, in: [UInt8](data)).flatMap(entries))
  }

  /// The flags of one section: NUL-terminated strings, empty ones skipped.
  static func entries(_ section: ArraySlice<UInt8>) -> [String] {
    section.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// `flags` as `swift-autolink-extract` writes them: the others in their order, then each runtime
  /// library that occurs, once, in `runtimeOrder`.
  static func order(_ flags: [String]) -> [String] {
    let runtime = Set(runtimeOrder)
    let present = Set(flags)
    return flags.filter { !runtime.contains($0) } + runtimeOrder.filter { present.contains($0) }
  }

  /// The contents of every section called `name` in a little-endian ELF64 object, in file order.
  static func sections(named name: String, in bytes: [UInt8]) throws(Unreadable) -> [ArraySlice<UInt8>] {
    guard bytes.count >= 64, bytes[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]) else {
      throw Unreadable(description: "not an ELF file")
    }
    guard bytes[4] == 2, bytes[5] == 1 else {
      throw Unreadable(description: "not a little-endian 64-bit ELF file")
    }
    func integer(_ offset: Int, _ size: Int) throws(Unreadable) -> Int {
      guard offset >= 0, offset <= bytes.count - size else { throw Unreadable(description: "truncated") }
      var value: UInt64 = 0
      for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
      guard value <= UInt64(Int.max) else { throw Unreadable(description: "an offset out of range") }
      return Int(value)
    }
    let table = try integer(0x28, 8)
    guard table <= bytes.count else { throw Unreadable(description: "truncated") }
    let entrySize = try integer(0x3A, 2)
    guard entrySize >= 0x30 else { throw Unreadable(description: "no section headers") }
    // More than 0xff00 sections, or their names' section past 0xff00: the real values are in
    // section 0 (ELF's extended numbering).
    var count = try integer(0x3C, 2)
    if count == 0 && table != 0 { count = try integer(table + 0x20, 8) }
    var names = try integer(0x3E, 2)
    if names == 0xFFFF { names = try integer(table + 0x28, 4) }
    guard count < bytes.count / entrySize, names < count else {
      throw Unreadable(description: "bad section table")
    }
    func contents(_ index: Int) throws(Unreadable) -> ArraySlice<UInt8> {
      let header = table + index * entrySize
      let (offset, size) = (try integer(header + 0x18, 8), try integer(header + 0x20, 8))
      guard offset <= bytes.count, size <= bytes.count - offset else {
        throw Unreadable(description: "truncated")
      }
      return bytes[offset..<offset + size]
    }
    let nameTable = try contents(names)
    let wanted = Array(name.utf8) + [0]
    var found: [ArraySlice<UInt8>] = []
    for index in 0..<count {
      let start = nameTable.startIndex + (try integer(table + index * entrySize, 4))
      guard start >= nameTable.startIndex, start < nameTable.endIndex else { continue }
      if nameTable[start...].starts(with: wanted) { found.append(try contents(index)) }
    }
    return found
  }
}
