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

  /// Installs `<out>/<assetsPath>/` with the files `assets` made and staged, when the folder did
  /// not hold exactly them already (a re-render usually finds them in place, and leaves the folder
  /// alone). A user's file under the assets folder is refused before anything is put in place; the
  /// new folder is staged whole and swapped in.
  /// - Returns: the problem when they were not installed: the previous folder is then kept.
  static func installAssets(
    into folder: inout OutputFolder, weave: WeaveOptions, staged assets: StagedAssets
  ) -> Diagnostic? {
    let name = weave.assetsPath
    let ahead = assets.result()
    do {
      if ahead.installed { return nil }
      try folder.refuseForeign([name])
      // Made first (its error is said after a refusal), then staged.
      _ = try ahead.made.get()
      let written = try ahead.written.get()
      let staged = folder.staging.appendingPathComponent(name)
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

/// The assets folder, made, compared with the one in place and (when it differs) written into
/// the staging folder on another thread while the handouts are published: KaTeX's ~60 files were
/// ~10 ms of a cold render after its run with the second core idle (issue 25). Nothing is put in
/// place here: `installAssets` refuses a user's folder and swaps the staged one in as before, and
/// what is staged goes with the staging folder either way.
final class StagedAssets: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private let make: (WeaveOptions) throws -> [AssetFile]
  private let weave: WeaveOptions
  private let current: URL
  private let staged: URL
  private var made: Result<[AssetFile], Error> = .success([])
  private var installed = false
  private var written: Result<[String: OwnedFile], Error> = .success([:])

  /// Starts making the files (`make`), comparing them with the folder `current` and, when they
  /// are not installed there, writing them into `staged`.
  init(weave: WeaveOptions, make: @escaping (WeaveOptions) throws -> [AssetFile], current: URL, staged: URL) {
    (self.weave, self.make, self.current, self.staged) = (weave, make, current, staged)
    Thread { [self] in
      made = Result { try self.make(self.weave) }
      if case .success(let files) = made {
        installed = Files.areInstalled(files, in: self.current)
        if !installed { written = Result { try Files.install(files, into: self.staged) } }
      }
      done.signal()
    }.start()
  }

  /// What was made, whether `current` holds it already, and the files as staged (`Files.install`);
  /// waits for them.
  func result() -> (
    made: Result<[AssetFile], Error>, installed: Bool, written: Result<[String: OwnedFile], Error>
  ) {
    done.wait()
    done.signal()
    return (made, installed, written)
  }
}
