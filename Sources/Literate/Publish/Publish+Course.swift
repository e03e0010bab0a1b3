// The course's own files in the output folder: `index.html` and `assets/`. Both are products the
// pipeline makes (`ProductMakers.index`, `.assets`); publish refuses a user's file under their
// names before anything is written, then stages them and swaps them in, and keeps the last good
// ones when making or writing fails.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Publisher {
  /// Writes `<out>/index.html`, made by `make` from the manifest's entries (every handout of the
  /// folder), once `index.html` is known not to be a file of the user's.
  /// - Returns: the problem when it was not written (a user's `index.html`, a template error, a
  ///   full disk): the previous index is then kept as it was.
  static func publishIndex(
    into folder: inout OutputFolder, weave: WeaveOptions, make: (IndexOrder) throws -> Data
  ) -> Diagnostic? {
    do {
      // Before anything is made: a user's `index.html` stays as it is.
      try folder.refuseForeign(["index.html"])
      // `make docs` writes the API reference into `<out>/api/`: the index links it when it is there.
      let api = FileManager.default.fileExists(atPath: folder.url("api/index.html").path)
      let order = IndexOrder(
        entries: folder.manifest.indexEntries(in: folder.out), weave: weave,
        apiReference: api ? "api/index.html" : nil)
      try folder.replaceOwnedFile("index.html", with: try make(order))
    } catch {
      return problem(error, "index.html was not written (the previous one is kept)", at: nil)
    }
    return nil
  }

  /// Installs `<out>/<assetsPath>/` with the files `make` makes, when the folder does not hold
  /// exactly them already (a re-render usually finds them in place, and leaves the folder alone).
  /// A user's file under the assets folder is refused before anything is written; the new folder
  /// is staged whole and swapped in.
  /// - Returns: the problem when they were not installed: the previous folder is then kept.
  static func installAssets(
    into folder: inout OutputFolder, weave: WeaveOptions, make: (WeaveOptions) throws -> [AssetFile]
  ) -> Diagnostic? {
    let name = weave.assetsPath
    do {
      // Made first, to know whether the folder is current; its error is said after a refusal.
      let made = Result { try make(weave) }
      if case .success(let files) = made, Files.areInstalled(files, in: folder.url(name)) { return nil }
      try folder.refuseForeign([name])
      let staged = folder.staging.appendingPathComponent(name)
      let written = try Files.install(try made.get(), into: staged)
      folder.manifest.ownership.expectFolder(staged, as: name, written: written)
      var swappedAt: timespec? = nil
      defer { folder.manifest.ownership.settle([name], in: folder.out, swappedAt: swappedAt) }
      try folder.saveManifest()
      swappedAt = OwnedStamps.now()
      let old = try folder.swapFolder(staged, into: name)
      if let old { try? removeTree(old) }
    } catch {
      return problem(error, "assets were not installed", at: nil)
    }
    return nil
  }
}
