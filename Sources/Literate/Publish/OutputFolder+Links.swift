// A linked handout's symlinks in the output folder: `<target>.html` → `<target>/.page.html` and
// `<target>.slides.html` → `<target>/.slides.html`, each made where it never points at nothing and
// never at a file no record owns, whenever the render is stopped.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension OutputFolder {
  /// Makes `<target>.html` the symlink to `<target>/.page.html` before the folder swap, when that
  /// loses nothing and the link would not point at nothing. Returns true when it must wait until
  /// after the swap.
  ///
  /// - The symlink already: nothing to do.
  /// - No page: linked now when `<target>/` holds a page (the link shows it until the swap), else
  ///   after the swap (a new handout: until then there is no page, rather than a link to nothing).
  /// - A plain page file (an older Handout, or a self-contained page) beside its folder: it is
  ///   hard-linked into that folder as `.page.html` first, so the symlink shows the same page
  ///   until the swap. The manifest records that file first: a render stopped before the swap
  ///   leaves it in the folder, and a file no record owns would be refused as the user's ever
  ///   after. Where that fails, or without a folder, the symlink waits for the swap (a
  ///   self-contained page needs no figures; an old one meets new figures for that one moment).
  mutating func linkPage(_ target: String) throws -> Bool {
    let link = url("\(target).html")
    let wanted = "\(target)/\(Publisher.pageName)"
    if let current = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
      if current != wanted { try replaceLink(target) }
      return false
    }
    var info = stat()
    guard lstat(link.path, &info) == 0 else {
      guard exists(wanted) else { return true }
      try replaceLink(target)
      return false
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw FileError(link, "is not a file; remove it")
    }
    guard var page = manifest.ownership.files["\(target).html"], page.sha256 != nil,
      page.matches(link.path, verified: manifest.ownership.verified)
    else { return true }
    page.stamp = nil
    manifest.ownership.files[wanted] = page
    try saveManifest()
    let adopted = url(wanted)
    unlink(adopted.path)
    guard hardLink(link.path, adopted.path) == 0 else { return true }
    try replaceLink(target)
    return false
  }

  /// Makes `<target>.slides.html` the symlink to `<target>/.slides.html` before the folder swap
  /// when the folder in place has a deck (the link shows it until the swap). Returns true when it
  /// must wait until after the swap: the folder in place has no deck (a new handout, a first
  /// `--slides`), and a link made now would point at nothing.
  mutating func linkDeck(_ target: String) throws -> Bool {
    let wanted = "\(target)/\(Publisher.slidesName)"
    guard exists(wanted) else { return true }
    let name = "\(target).slides.html"
    if (try? FileManager.default.destinationOfSymbolicLink(atPath: url(name).path)) != wanted {
      try replaceLink(name, to: wanted)
    }
    return false
  }

  /// Points `<target>.html` at `<target>/.page.html`, atomically.
  mutating func replaceLink(_ target: String) throws {
    try replaceLink("\(target).html", to: "\(target)/\(Publisher.pageName)")
  }

  /// Removes `<target>.slides.html` (the link, or a self-contained deck) when there is one.
  func removeDeckLink(_ target: String) throws {
    let deck = url("\(target).slides.html")
    var info = stat()
    if lstat(deck.path, &info) == 0, unlink(deck.path) != 0 { throw FileError(deck, errno: errno) }
  }

  /// Points `out/<name>` at the relative path `destination`, atomically.
  mutating func replaceLink(_ name: String, to destination: String) throws {
    let temporary = stagingName()
    let link = url(name)
    guard symlink(destination, temporary.path) == 0 else {
      let code = errno
      guard code == EPERM || code == ENOTSUP || code == ENOSYS else { throw FileError(link, errno: code) }
      // FAT and exFAT (a USB stick) have no symlinks.
      throw FileError(
        link,
        "this file system has no symbolic links, which a linked handout needs (\(String(cString: strerror(code)))); "
          + "render elsewhere and copy it with `cp -rL`, or use --self-contained")
    }
    guard rename(temporary.path, link.path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw FileError(link, errno: code)
    }
  }
}

/// `link(2)` (a local named `link` would hide it).
private func hardLink(_ from: String, _ to: String) -> Int32 { link(from, to) }
