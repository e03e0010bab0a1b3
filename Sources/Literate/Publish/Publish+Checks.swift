// What publish refuses before anything runs: handout names that clash, an output folder that would
// mix Handout's files with the user's, a folder holding the other profile's edition.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Publisher {
  /// Refuses, before anything runs, notebooks whose handouts would overwrite each other's or
  /// Handout's own files: two notebooks with one name (also when only the case differs: many
  /// disks treat them as one), `index`, `assets`, `<x>.failed`, `.handout…`, `.`, `..`, and the
  /// names of another handout's files (`<x>.html`, `<x>.slides`, `<x>.pdf`).
  /// - Throws: `HandoutError.notebook` with one error per clash, at line 1 of the later notebook.
  public static func checkOutputNames(_ paths: [String]) throws {
    var seen: [String: String] = [:]
    var errors: [Diagnostic] = []
    for path in paths {
      let name = Notebook.name(forPath: path)
      let key = name.lowercased()
      let at = SourceLocation(file: path, line: 1)
      var reason = outputNameProblem(name)
      if reason == nil, let other = seen[key] {
        let caseNote =
          Notebook.name(forPath: other) == name
          ? "" : " (file names that differ only in case are the same on many disks)"
        reason = "its handout \(name).html would overwrite the one of \(other)\(caseNote); rename one of them"
      }
      if let reason {
        errors.append(Diagnostic(.error, reason, at: at))
      } else {
        seen[key] = path
      }
    }
    if !errors.isEmpty { throw HandoutError.notebook(errors) }
  }

  /// Refuses, before anything runs, an output folder that would mix Handout's files with the
  /// user's: the folder of a notebook or one above it (the handouts would be written among the
  /// notebooks and their data), and a cache folder inside the output folder (the cache holds each
  /// notebook's whole program, solutions included, and would be published with the site).
  /// - Throws: `HandoutError.file` naming the folder and what to do.
  public static func checkOutputFolder(_ out: String, notebooks: [String], cache: String?) throws {
    let outPath = resolved(out)
    // By their bytes: `hasPrefix("out/")` is false for `out/\u{301}cache` (the slash and the
    // accent are one character), and `==` holds `café` and `café` (e and an accent) for one.
    func inside(_ path: String, _ folder: String) -> Bool {
      path.utf8.elementsEqual(folder.utf8) || folder == "/"
        || path.utf8.starts(with: Array((folder + "/").utf8))
    }
    for notebook in notebooks {
      let folder = resolved(Pipeline.folder(of: notebook))
      if inside(folder, outPath) {
        throw HandoutError.file(
          FileError(
            path: out,
            reason:
              "it holds the notebook \(notebook) (the output folder must not be the notebooks' folder or above it: "
              + "Handout writes and deletes its files there); choose another, like --out output",
            access: .write))
      }
    }
    if let cache, inside(resolved(cache), outPath) {
      throw HandoutError.file(
        FileError(
          path: out,
          reason:
            "the cache folder \(cache) is inside it, and would be published with the handouts (it holds every "
            + "notebook's program, solutions included); put the cache elsewhere (--cache, $HANDOUT_CACHE)",
          access: .write))
    }
  }

  /// `path` absolute, where the system would take it: its existing part with every symlink
  /// resolved (a `..` after a symlink leaves the link's target), the rest (a folder a render will
  /// make) appended as written. Foundation's `resolvingSymlinksInPath` resolves nothing when the
  /// whole path does not exist, so a cache `link/cache` (not made yet) whose `link` points into
  /// the output folder would not be seen inside it.
  static func resolved(_ path: String, links: Int = 0) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var current = "/"
    var missing = false
    for part in absolute.split(separator: "/").map(String.init) where part != "." {
      if part == ".." {
        current = (current as NSString).deletingLastPathComponent
        continue
      }
      let next = (current as NSString).appendingPathComponent(part)
      if missing {
        current = next
      } else if let real = realpath(next, nil) {
        current = String(cString: real)
        free(real)
      } else if links < 40, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: next) {
        // A link to what does not exist yet: where the render would make it.
        current = resolved(target.hasPrefix("/") ? target : current + "/" + target, links: links + 1)
        missing = true
      } else {
        missing = true
        current = next
      }
    }
    return current
  }

  /// Why `name` cannot be a handout's output name on its own (it is not a file name, or it is
  /// one of Handout's own), or nil.
  static func outputNameProblem(_ name: String) -> String? {
    // Suffixes and prefixes by their bytes (`String+Bytes`): `x\u{600}.html` ends in `.html`.
    let key = name.lowercased()
    if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") {
      return "its name '\(name)' cannot name a handout; rename the file"
    } else if key == "index" {
      return "its handout would overwrite the course index (index.html); rename the file"
    } else if key == "assets" {
      return "its figures would go into assets/, which holds the stylesheet and KaTeX; rename the file"
    } else if name.hasByteSuffix(failedSuffix, anyCase: true) {
      return
        "names ending in '\(failedSuffix)' are where failing pages go (\(name).html is the failing page of "
        + "\(name.droppingLastBytes(failedSuffix.utf8.count)).md); rename the file"
    } else if let suffix = [".html", ".slides", ".pdf"].first(where: { name.hasByteSuffix($0, anyCase: true) }
    ) {
      // `x.html.md`'s folder `x.html/` would be x's page, `x.slides.md`'s page x's deck,
      // `x.pdf.md`'s folder x's PDF, `index.html.md`'s folder the course index.
      let other = name.droppingLastBytes(suffix.utf8.count)
      let taken =
        other.lowercased() == "index" && suffix == ".html"
        ? "index.html is the course index"
        : suffix == ".slides"
          ? "\(name).html is the deck of \(other).md"
          : "\(name) is the \(suffix == ".pdf" ? "PDF" : "page") of \(other).md"
      return "names ending in '\(suffix)' are names of other handouts' files (\(taken)); rename the file"
    } else if name.hasBytePrefix(".handout", anyCase: true) {
      return "names starting with '.handout' are Handout's own files; rename the file"
    }
    return nil
  }

  /// Refuses, before anything runs, a folder whose handouts were written for another profile
  /// (unless `force`): a failing student render must not leave the instructor's pages there.
  /// With `force`, a folder whose other edition `--force` could not remove whole (a file of the
  /// user's in a handout's folder, or under one of its names) is refused too: the instructor's
  /// pages would stay beside the student's.
  public static func checkProfile(of out: URL, for profile: Profile, force: Bool) throws {
    let manifest = Manifest.load(from: out.appendingPathComponent(manifestName))
    guard let other = manifest.otherProfile(than: profile) else { return }
    let reason =
      force
      ? otherEditionKept(manifest, in: out).map { forcedProblem(other, keptBy: $0) }
      : otherProfileProblem(other, profile)
    if let reason { throw HandoutError.file(FileError(path: out.path, reason: reason, access: .write)) }
  }

  /// The first path of the user's that keeps one of `manifest`'s handouts from being removed
  /// whole (`forget`), relative to `out`; nil when every handout can go.
  static func otherEditionKept(_ manifest: Manifest, in out: URL) -> String? {
    for entry in manifest.handouts {
      for base in [entry.name + failedSuffix, entry.name] {
        for name in [base, "\(base).html", "\(base).slides.html", "\(base).pdf"] {
          if let foreign = manifest.ownership.foreignPath(at: name, in: out) { return foreign }
        }
      }
    }
    return nil
  }

  /// Why `--force` cannot replace the `other` edition: `path` (relative) is the user's.
  static func forcedProblem(_ other: String, keptBy path: String) -> String {
    "it holds the \(other) edition of the handouts"
      + (other == Profile.instructor.rawValue ? " (with solutions)" : "")
      + ", and --force cannot remove it whole: \(path) is not a file Handout wrote (or it changed since); "
      + "move it out of the output folder, or render into another folder (--out)"
  }

  /// Why a render for `profile` refuses a folder whose handouts are `other`'s.
  static func otherProfileProblem(_ other: String, _ profile: Profile) -> String {
    "it holds the \(other) edition of the handouts"
      + (other == Profile.instructor.rawValue ? " (with solutions)" : "")
      + "; render the \(profile.rawValue) edition into another folder (--out), or pass --force to replace it"
  }
}
