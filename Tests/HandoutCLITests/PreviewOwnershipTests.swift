import Foundation
import XCTest

/// `handout preview` keeps the decks and PDFs an earlier render made (`keepProducts`): that path
/// must never take a file of the user's for one of them. Each attack is set up in a folder
/// `render` wrote, then a real preview serves it and re-renders after an edit; every file of the
/// user's stays byte-identical (and a symlink of theirs keeps pointing where it did).
final class PreviewOwnershipTests: XCTestCase {
  static func notebook(_ n: Int) -> String {
    "# Handout \(n)\n\n```swift\nprint(\"number \\(\(n) * 1000 + 7)\")\n```\n"
  }

  func testPreviewKeepsEveryFileOfTheUsersThatIsNamedLikeAProduct() throws {
    try attack(legacy: false)
  }

  /// The same with a manifest forged as an older Handout's (version 1: it lists handouts, and the
  /// files beside them were taken over as they were).
  func testALegacyManifestTakesOverNoFileOfTheUsers() throws {
    try attack(legacy: true)
  }

  func attack(legacy: Bool) throws {
    let fm = FileManager.default
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try fm.createDirectory(at: notebooks, withIntermediateDirectories: true)
    for (n, name) in ["forged", "linked", "outlink", "placed", "plain"].enumerated() {
      try Self.notebook(n + 1).write(
        to: notebooks.appendingPathComponent("\(name).md"), atomically: true, encoding: .utf8)
    }
    let render = try HandoutCLI.run(["render", "notebooks", "-o", "output"], in: dir)
    XCTAssertEqual(render.status, 0, render.stderr)
    let out = dir.appendingPathComponent("output")
    func put(_ text: String, _ name: String) throws {
      try Data(text.utf8).write(to: out.appendingPathComponent(name))
    }

    // 1. A forged manifest claims the user's PDF by its own hash (Handout never writes a PDF
    //    there as a plain file), and the user's symlink `linked.pdf` by its target.
    try put("%PDF-1.4 my own PDF", "forged.pdf")
    let manifestURL = out.appendingPathComponent(".handout-manifest.json")
    var manifest = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    var files = try XCTUnwrap(manifest["files"] as? [String: Any])
    files["forged.pdf"] = ["sha256": try Self.sha256(of: out.appendingPathComponent("forged.pdf"))]
    files["linked.pdf"] = ["link": "../outside.pdf"]
    manifest["files"] = files
    if legacy { manifest["version"] = 1 }
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    // 2. The user's own deck and PDF placed beside a rendered handout.
    try put("placed deck of mine", "placed.slides.html")
    try put("%PDF-1.4 placed PDF of mine", "placed.pdf")
    // 3. Symlinks named like products, pointing outside the folder (`linked.pdf` claimed above).
    try Data("%PDF-1.4 outside".utf8).write(to: dir.appendingPathComponent("outside.pdf"))
    try Data("outside deck".utf8).write(to: dir.appendingPathComponent("outside.html"))
    try fm.createSymbolicLink(
      atPath: out.appendingPathComponent("linked.pdf").path, withDestinationPath: "../outside.pdf")
    try fm.createSymbolicLink(
      atPath: out.appendingPathComponent("outlink.slides.html").path,
      withDestinationPath: dir.appendingPathComponent("outside.html").path)

    let watched =
      ["forged.pdf", "placed.slides.html", "placed.pdf"].map {
        out.appendingPathComponent($0)
      } + [dir.appendingPathComponent("outside.pdf"), dir.appendingPathComponent("outside.html")]
    let before = try watched.map { try Data(contentsOf: $0) }
    func links() -> [String?] {
      ["linked.pdf", "outlink.slides.html"].map {
        try? fm.destinationOfSymbolicLink(atPath: out.appendingPathComponent($0).path)
      }
    }
    let linksBefore = links()
    func assertTheUsersFilesAreAsTheyWere(_ when: String) throws {
      for (url, data) in zip(watched, before) {
        var info = stat()
        XCTAssertEqual(lstat(url.path, &info), 0, "\(when): \(url.lastPathComponent) is gone")
        XCTAssertEqual(
          info.st_mode & S_IFMT, S_IFREG, "\(when): \(url.lastPathComponent) is not the user's file")
        XCTAssertEqual(try Data(contentsOf: url), data, "\(when): \(url.lastPathComponent) changed")
      }
      XCTAssertEqual(links(), linksBefore, "\(when): a symlink of the user's changed")
    }

    let preview = try PreviewProcess(["preview", "notebooks", "--port", "0", "-o", "output"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    try assertTheUsersFilesAreAsTheyWere("after preview's first render")
    // An edit of every notebook: each is rendered again; the clean one shows when it is done.
    for (n, name) in ["forged", "linked", "outlink", "placed", "plain"].enumerated() {
      try Self.notebook(n + 1).replacingOccurrences(of: "+ 7", with: "+ 8")
        .write(to: notebooks.appendingPathComponent("\(name).md"), atomically: true, encoding: .utf8)
    }
    try preview.waitForPage(port: port, path: "/plain.html", containing: "number 5008")
    usleep(500_000)
    try assertTheUsersFilesAreAsTheyWere("after an edit")
    preview.stop()
    try assertTheUsersFilesAreAsTheyWere("after preview ended")
  }

  static func sha256(of url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
  }
}
