import Foundation
import XCTest

/// What `handout preview` must not serve: files outside the output folder reached through a
/// symlink, Handout's own files (the manifest, with absolute paths), anything to a page of another
/// site (a `Host:` that is not this machine's, as DNS rebinding sends), the notebook folder's
/// absolute path, and, under `--profile student`, the text of a solution that does not parse.
/// The real binary on 127.0.0.1, over real HTTP (`PreviewProcess`, `LoopbackHTTP`).
final class PreviewExposureTests: XCTestCase {
  /// A notebook whose one block does not compile: its page shows the error at the notebook's line.
  static let broken = """
    # Exposed

    ```swift
    print("number \\(4200 + 42)")
    let wrong: Int = "text"
    ```

    """

  func testServesOnlyTheOutputFolderOnlyToThisMachineAndNoAbsolutePath() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("live.md")
    try Self.broken.write(to: notebook, atomically: true, encoding: .utf8)
    // Outside the output folder: what a symlink in it must not hand out.
    let secrets = try HandoutCLI.temporaryDirectory(self)
    let secret = "secret-\(UUID().uuidString)"
    try FileManager.default.createDirectory(
      at: secrets.appendingPathComponent("secretdir"), withIntermediateDirectories: true)
    for file in ["secret.txt", "secret.html", "secretdir/f.txt", "secretdir/index.html"] {
      try secret.write(to: secrets.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    // The notebooks named by their absolute path: still no absolute path in anything served.
    let preview = try PreviewProcess(
      ["preview", notebooks.path, "--port", "0", "-o", "output", "--slides"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    let page = try preview.waitForPage(port: port, path: "/live.html", containing: "cannot convert value")
    XCTAssertTrue(page.contains("notebooks/live.md:5"), "the error's place, relative:\n\(page)")

    try assertSymlinksOutOfTheFolderAreRefused(
      in: dir.appendingPathComponent("output"), to: secrets, secret: secret, port: port)
    // Handout's own relative links inside the folder keep working.
    for path in ["/live.html", "/live.slides.html", "/", "/index.html", "/assets/handout.css"] {
      XCTAssertEqual(Self.status(try LoopbackHTTP.get(port: port, path: path)), 200, path)
    }
    // Handout's own files are not the reader's.
    for path in ["/.handout-manifest.json", "/%2Ehandout-manifest.json", "/assets/../.handout-manifest.json"]
    {
      let response = try LoopbackHTTP.get(port: port, path: path)
      XCTAssertTrue([400, 403, 404].contains(Self.status(response)), "\(path):\n\(response)")
      XCTAssertFalse(response.contains("\"handouts\""), "\(path) served the manifest")
    }

    // A NUL would end the path early where the file is opened: another name for a file, or a
    // redirect to a place with a NUL in it.
    for path in ["/live.html%00.txt", "/live%00.html", "/%00", "/live%00/"] {
      let response = try LoopbackHTTP.get(port: port, path: path)
      XCTAssertTrue([400, 404].contains(Self.status(response)), "\(path):\n\(response)")
      XCTAssertFalse(response.contains("number"), path)
    }

    try assertServedOnlyToThisMachine(port: port)

    // A notebook that does not parse: its banner names it relative to where preview started.
    try (Self.broken + "```swift\nlet open = 1\n").write(to: notebook, atomically: true, encoding: .utf8)
    let banner = try preview.waitForPage(
      port: port, path: "/live.html", containing: "handout-preview-problem")
    XCTAssertTrue(banner.contains("notebooks/live.md:"), banner)
    let absolute = [dir.path, dir.resolvingSymlinksInPath().path]
    var served = ["/", "/index.html", "/live.html", "/live.slides.html", "/.handout-manifest.json"].map {
      (path: $0, text: (try? LoopbackHTTP.get(port: port, path: $0)) ?? "")
    }
    let events = try LoopbackHTTP.Stream(port: port, path: "/__handout/events?handout=live")
    served.append(
      (path: "events", text: try events.read(until: { !PreviewTests.versions(in: $0).isEmpty }, seconds: 120))
    )
    for (path, text) in served {
      for folder in absolute {
        XCTAssertFalse(text.contains(folder), "\(path) holds \(folder):\n\(text)")
      }
    }
  }

  /// The same for a folder whose name differs from the output folder's only in Unicode
  /// normalization (`site-café/` beside `site-café/`): another folder, which `String`'s `hasPrefix`
  /// took for the output folder, so what the symlinks pointed to there was served.
  func testSymlinksToAFolderNamedLikeTheOutputFolderAreRefused() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("notebooks"), withIntermediateDirectories: true)
    try "# Live\n\nWords.\n".write(
      to: dir.appendingPathComponent("notebooks/live.md"), atomically: true, encoding: .utf8)
    let (out, secrets) = ("site-caf\u{E9}", "site-cafe\u{301}")
    let secret = "secret-\(UUID().uuidString)"
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("\(secrets)/secretdir"), withIntermediateDirectories: true)
    for file in ["secret.txt", "secret.html", "secretdir/f.txt", "secretdir/index.html"] {
      try secret.write(
        to: dir.appendingPathComponent("\(secrets)/\(file)"), atomically: true, encoding: .utf8)
    }
    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", out], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    _ = try preview.waitForPage(port: port, path: "/live.html", containing: "Words")
    try assertSymlinksOutOfTheFolderAreRefused(
      in: dir.appendingPathComponent(out), to: dir.appendingPathComponent(secrets), secret: secret, port: port
    )
  }

  /// Symlinks in the output folder `out` to files and a folder in `secrets` (which hold `secret`):
  /// none of them is served.
  func assertSymlinksOutOfTheFolderAreRefused(in out: URL, to secrets: URL, secret: String, port: Int) throws
  {
    let links = [
      "link.txt": "secret.txt", "link.html": "secret.html", "linkdir": "secretdir",
      "live/escape.txt": "secret.txt",
    ]
    for (link, target) in links {
      try FileManager.default.createSymbolicLink(
        atPath: out.appendingPathComponent(link).path,
        withDestinationPath: secrets.appendingPathComponent(target).path)
    }
    for path in [
      "/link.txt", "/link.html", "/linkdir/f.txt", "/linkdir/", "/linkdir/index.html", "/live/escape.txt",
    ] {
      let response = try LoopbackHTTP.get(port: port, path: path)
      XCTAssertTrue(Self.status(response) == 404 || Self.status(response) == 403, "\(path):\n\(response)")
      XCTAssertFalse(response.contains(secret), "\(path) served the file outside the output folder")
    }
  }

  /// Only a Host of this machine: a page of another site that rebinds its name to 127.0.0.1 sends
  /// its own, and gets nothing.
  func assertServedOnlyToThisMachine(port: Int) throws {
    for host in ["127.0.0.1:\(port)", "localhost:\(port)", "127.0.0.1", "localhost"] {
      let response = try LoopbackHTTP.get(port: port, path: "/live.html", host: host)
      XCTAssertEqual(Self.status(response), 200, "Host: \(host)\n\(response)")
    }
    for host in [
      "evil.example", "evil.example:\(port)", "localhost.evil.example:\(port)", "127.0.0.1.nip.io", nil,
    ] {
      for path in ["/live.html", "/", "/assets/handout.css", "/__handout/events?handout=live"] {
        let response = try LoopbackHTTP.get(port: port, path: path, host: host)
        XCTAssertTrue(
          [400, 403, 421].contains(Self.status(response)), "Host: \(host ?? "none") \(path)\n\(response)")
        XCTAssertFalse(response.contains("number"), "Host: \(host ?? "none") \(path)")
      }
    }
  }

  /// A notebook with an exercise whose solution does not parse (`echo=` is not true or false: the
  /// error quotes the solution's text), and an error outside it, which stays.
  static func exercise(solutionFence: String, otherFence: String) -> String {
    """
    # Exercises

    ::: exercise Train it
    Print a word.

    ::: solution
    \(solutionFence)
    print("the-answer-\\(6 * 7)")
    ```
    :::
    :::

    \(otherFence)
    print("shown-\\(2 * 3)")
    ```

    """
  }

  func testStudentProfileServesNoTextOfASolutionThatDoesNotParse() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("ex.md")
    let hidden = "answer\(UUID().uuidString.prefix(8))"
    try Self.exercise(solutionFence: "```swift echo=\(hidden)", otherFence: "```swift eval=visible7")
      .write(to: notebook, atomically: true, encoding: .utf8)

    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "--profile", "student"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    // Never rendered: the page that stands in for it says why, for the student.
    let first = try preview.waitForPage(port: port, path: "/ex.html", containing: "handout-preview-problem")
    XCTAssertFalse(first.contains(hidden), "the solution's text reached the student:\n\(first)")
    XCTAssertTrue(first.contains("exercise 1"), first)
    XCTAssertTrue(first.contains("visible7"), "an error outside the solution is shown whole:\n\(first)")
    let index = try LoopbackHTTP.get(port: port, path: "/")
    XCTAssertFalse(index.contains(hidden), index)
    // The terminal is the instructor's: it says it all.
    XCTAssertTrue(preview.stdout.contains(hidden), preview.stdout)

    // Rendered once, then the solution breaks: the student's page stays, its banner names only
    // the exercise.
    try Self.exercise(solutionFence: "```swift", otherFence: "```swift")
      .write(to: notebook, atomically: true, encoding: .utf8)
    let good = try preview.waitForPage(port: port, path: "/ex.html", containing: "shown-6")
    XCTAssertFalse(good.contains("the-answer-42"), good)
    try Self.exercise(solutionFence: "```swift echo=\(hidden)", otherFence: "```swift")
      .write(to: notebook, atomically: true, encoding: .utf8)
    let kept = try preview.waitForPage(port: port, path: "/ex.html", containing: "handout-preview-problem")
    XCTAssertTrue(kept.contains("shown-6") && kept.contains("exercise 1"), kept)
    XCTAssertFalse(kept.contains(hidden), "the solution's text reached the student:\n\(kept)")
    let after = try LoopbackHTTP.get(port: port, path: "/")
    XCTAssertFalse(after.contains(hidden), after)
  }

  /// The status code of an HTTP response, 0 when there is none.
  static func status(_ response: String) -> Int {
    let parts = response.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
    return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
  }
}
