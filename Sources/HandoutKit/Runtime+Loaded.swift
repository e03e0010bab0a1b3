// What the program depends on besides its code and data: the machine's files it had loaded. A
// figure's bytes come from libcairo, pixman, libpng, FreeType and the font fontconfig matched; a
// number from libswiftCore or libm. An upgrade of any of them can change what the handout shows,
// so at its end the program tells `handout` which files it had mapped (`loaded` event), and the
// run cache's entry counts only while each still has the stamp it had (see `SystemInputs`).
import Foundation
import HandoutProtocol

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension _Handout {
  /// Sends the `loaded` event (under `handout` only: run by hand, nothing reads it).
  static func reportLoadedFiles() {
    guard state.lock.withLock({ state.eventsFD >= 0 }) else { return }
    emit(.loaded(files: loadedFiles()))
  }

  /// The files mapped into the process (`/proc/self/maps`: shared libraries, and the font files
  /// and fontconfig caches FreeType and fontconfig map), and, once fontconfig is among them, its
  /// configuration files (read, not mapped: they choose which font a family name gets). Sorted,
  /// each once; on a system without `/proc`, the loaded images.
  static func loadedFiles() -> [String] {
    var files = Set<String>()
    #if os(Linux)
      let maps = readWhole("/proc/self/maps")
      for line in maps.split(separator: "\n") {
        // `address perms offset dev inode path`: the path starts at the first `/` after the inode.
        guard let slash = line.firstIndex(of: "/") else { continue }
        let path = String(line[slash...])
        if path.hasSuffix(" (deleted)") || ["/dev/", "/proc/", "/sys/"].contains(where: path.hasPrefix) {
          continue
        }
        files.insert(path)
      }
    #elseif canImport(Darwin)
      for i in 0..<_dyld_image_count() {
        if let name = _dyld_get_image_name(i) { files.insert(String(cString: name)) }
      }
    #endif
    if files.contains(where: { $0.contains("/libfontconfig.") }) {
      files.formUnion(fontconfigFiles())
    }
    return files.sorted()
  }

  /// The whole of a file whose size `stat` does not know (a `/proc` file says 0: Foundation read
  /// one page of it).
  static func readWhole(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { break }
      bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// fontconfig's configuration: `$FONTCONFIG_FILE` (else `/etc/fonts/fonts.conf`), the files of
  /// `conf.d/` beside it (a link there added or removed moves the folder's own stamp too), and the
  /// folder itself with its `local.conf`, the machine's own settings, which `conf.d/51-local.conf`
  /// includes when it exists (one made, edited or removed chose other fonts, and the run was replayed).
  static func fontconfigFiles() -> [String] {
    let main = ProcessInfo.processInfo.environment["FONTCONFIG_FILE"] ?? "/etc/fonts/fonts.conf"
    let folder = URL(fileURLWithPath: main).deletingLastPathComponent()
    let conf = folder.appendingPathComponent("conf.d").path
    var files = [main, conf, folder.path, folder.appendingPathComponent("local.conf").path]
    let names = (try? FileManager.default.contentsOfDirectory(atPath: conf)) ?? []
    files += names.map { "\(conf)/\($0)" }
    return files
  }
}
