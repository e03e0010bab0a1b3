// The libraries a notebook program gets without linking them itself. `ld.lld` spends most of a
// notebook link reading the dynamic symbol tables of the libraries the object's imports ask for:
// Foundation's three (31 000 symbols), the Swift runtime (15 000), Dispatch, the regex parser…
// ~60 000 names hashed into its table to resolve the 150 the notebook uses. `libHandoutRuntime`
// already depends on every one of them (they are its own imports), so the dynamic loader loads
// them for the program anyway. The link leaves them out and lets the object's symbols resolve at
// load time (`--unresolved-symbols=ignore-in-object-files`); the libraries that the runtime does
// not load (another import of the notebook's, `SwiftOnoneSupport`, the C library) are linked as
// before. The executable has the same relocations and symbol versions (glibc's, which is still
// linked), and the same libraries are loaded; only their order in the loader's search list moves
// (the runtime's own dependencies now follow it), which matters only for a symbol that two of them
// define: on Debian 12 those are libc's and libm's shared math functions, libbsd's copies of libc's,
// and four `libgcc_s` float16 helpers that libswiftCore also has, each pair in the same order as before.
import Foundation

enum LoadedLibraries {
  /// The linker flags that let the object's undefined symbols wait for the loader, and make the
  /// loader bind every one of them at the program's start (`-z now`): a symbol no library defines
  /// then stops the program before its first block, with the loader's `undefined symbol: NAME`
  /// (`UndefinedSymbol`), instead of at its first call, halfway through the run. It binds the
  /// executable's own ~150 symbols only (the libraries stay lazy): no measurable cost.
  static let deferFlags = [
    "-Xlinker", "--unresolved-symbols=ignore-in-object-files", "-Xlinker", "-z", "-Xlinker", "now",
  ]

  /// The `DT_NEEDED` names of the ELF shared library at `path` (`libFoundation.so`, `libc.so.6`);
  /// empty when it cannot be read as a little-endian ELF64 file (then every library is linked).
  static func needed(byLibraryAt path: String) -> Set<String> {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
      return []
    }
    return data.withUnsafeBytes { needed(in: $0) } ?? []
  }

  /// Link arguments (`clang`'s) without each `-lNAME` whose `libNAME.so` is in `loaded`, and with
  /// `deferFlags` when `loaded` is not empty.
  static func link(_ arguments: [String], without loaded: Set<String>) -> [String] {
    guard !loaded.isEmpty else { return arguments }
    return arguments.filter { !isLoaded($0, loaded) } + deferFlags
  }

  /// The libraries among `flags` (an object's autolink entries) that still need linking.
  static func libraries(_ flags: [String], without loaded: Set<String>) -> [String] {
    flags.filter { !isLoaded($0, loaded) }
  }

  static func isLoaded(_ argument: String, _ loaded: Set<String>) -> Bool {
    argument.hasPrefix("-l") && loaded.contains("lib\(argument.dropFirst(2)).so")
  }

  /// The `DT_NEEDED` strings of an ELF64 little-endian image, found through its program headers
  /// (`PT_DYNAMIC`, and the `PT_LOAD` that holds `DT_STRTAB`); nil when anything is out of bounds.
  static func needed(in bytes: UnsafeRawBufferPointer) -> Set<String>? {
    func integer(_ offset: Int, _ size: Int) -> Int? {
      guard offset >= 0, size <= 8, offset <= bytes.count - size else { return nil }
      var value: UInt64 = 0
      for i in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
      return value <= UInt64(Int.max) ? Int(value) : nil
    }
    guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46,
      bytes[4] == 2, bytes[5] == 1, let table = integer(0x20, 8), let entrySize = integer(0x36, 2),
      let count = integer(0x38, 2), entrySize >= 56
    else { return nil }
    // (type, offset, virtual address, size in the file) of each program header.
    var segments: [(type: Int, offset: Int, address: Int, size: Int)] = []
    for index in 0..<count {
      let header = table + index * entrySize
      guard let type = integer(header, 4), let offset = integer(header + 0x08, 8),
        let address = integer(header + 0x10, 8), let size = integer(header + 0x20, 8)
      else { return nil }
      segments.append((type, offset, address, size))
    }
    guard let dynamic = segments.first(where: { $0.type == 2 }) else { return nil }
    var names: [Int] = []
    var strings: Int?
    for entry in stride(from: dynamic.offset, to: dynamic.offset + dynamic.size, by: 16) {
      guard let tag = integer(entry, 8), let value = integer(entry + 8, 8) else { return nil }
      if tag == 0 { break }
      if tag == 1 { names.append(value) }
      if tag == 5 { strings = value }
    }
    guard let strings,
      let load = segments.first(where: {
        $0.type == 1 && $0.address <= strings && strings < $0.address + $0.size
      })
    else { return names.isEmpty ? [] : nil }
    let base = strings - load.address + load.offset
    var result: Set<String> = []
    for name in names {
      guard base + name >= 0, base + name < bytes.count else { return nil }
      let tail = bytes[(base + name)...]
      guard let end = tail.firstIndex(of: 0) else { return nil }
      result.insert(String(decoding: bytes[(base + name)..<end], as: UTF8.self))
    }
    return result
  }
}
