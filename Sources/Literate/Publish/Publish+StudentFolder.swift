// What holds solutions never goes into a student edition's folder: the cache (every notebook's
// program) and `check --junit`'s report (the solutions' failures, with their values) are the
// instructor's, and a file of the user's in that folder is published with it.
import Foundation

extension Publisher {
  /// Refuses, before anything runs, to write `path` (`what` it is and why it holds solutions) into
  /// a student edition's folder (`render --profile student`), or below one: the folder, or one
  /// above `path`, whose manifest says it was written for students. `render` refuses the cache
  /// inside its own output folder (`checkOutputFolder`); this is for every other command and folder
  /// (`check --cache student/cache`, `check --junit student/report.xml`: the report's failure showed
  /// a solution's value).
  /// - Throws: `HandoutError.file` naming `path`, the student edition and what to do.
  public static func refuseInStudentEdition(_ path: String, what: String) throws {
    var folder = resolved(path)
    while true {
      let manifest = URL(fileURLWithPath: folder).appendingPathComponent(manifestName)
      if FileManager.default.fileExists(atPath: manifest.path),
        Manifest.load(from: manifest).profile == Profile.student.rawValue
      {
        throw HandoutError.file(
          FileError(
            path: path,
            reason:
              "it is inside \(folder), a student edition (render --profile student), and would be published "
              + "with it (\(what)); choose a place outside it",
            access: .write))
      }
      let parent = (folder as NSString).deletingLastPathComponent
      if parent == folder || parent.isEmpty { return }
      folder = parent
    }
  }
}
