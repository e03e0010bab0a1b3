import XCTest

@testable import Literate

/// Handout deletes or replaces only what it wrote (issue 20): the output folder is shared with the
/// user's own files, and every render through the real `handout` leaves each of their bytes.
final class OwnershipTests: XCTestCase {
  /// Every regular file under `dir` (not following symlinks) with its bytes, by relative path.
  func snapshot(_ dir: URL) -> [String: Data] {
    var result: [String: Data] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: dir.path) else { return [:] }
    for case let relative as String in walker {
      let url = dir.appendingPathComponent(relative)
      let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
      if values?.isRegularFile == true, values?.isSymbolicLink != true {
        result[relative] = fm.contents(atPath: url.path)
      }
    }
    return result
  }

  let notebook = "# Photos\n\n```swift\nprint(\"drawn\")\n```\n"

  func testRenderIntoTheNotebooksOwnFolderIsRefusedBeforeAnythingRuns() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(notebook, to: dir.appendingPathComponent("points.md"))
    try Support.write("x,y\n1,2\n", to: dir.appendingPathComponent("points.csv"))
    try Support.write("my notes\n", to: dir.appendingPathComponent("notes.txt"))
    try Support.write("keep\n", to: dir.appendingPathComponent("points/figure.svg"))
    let before = snapshot(dir)

    for (args, cwd) in [
      (["render", ".", "--out", "."], dir), (["render", "points.md", "--out", "."], dir),
      (["render", "./points.md", "--out", dir.path], dir),
      // The output folder above the notebooks' folder.
      (["render", "\(dir.lastPathComponent)/points.md", "--out", "."], dir.deletingLastPathComponent()),
    ] {
      let result = try Support.handout(args, in: cwd)
      XCTAssertEqual(result.status, 2, "\(args): \(result.output)")
      XCTAssertTrue(result.output.contains("must not be the notebooks' folder"), result.output)
      XCTAssertFalse(result.output.contains("compiling"), "refused before anything runs: \(result.output)")
    }
    XCTAssertEqual(snapshot(dir), before, "every byte of the notebook folder is as it was")
  }

  func testUserFilesInTheOutputFolderAreNeverReplacedNorLinked() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    try Support.write(notebook, to: dir.appendingPathComponent("nb/photos.md"))
    try Support.write(notebook, to: dir.appendingPathComponent("nb/api.md"))
    try Support.write(notebook, to: dir.appendingPathComponent("nb/good.md"))
    try Support.write(notebook, to: dir.appendingPathComponent("nb/deck.md"))
    try Support.write("jpeg bytes\n", to: out.appendingPathComponent("photos/me.jpg"))
    try Support.write("<p>my page</p>\n", to: out.appendingPathComponent("photos.html"))
    try Support.write("<p>API reference</p>\n", to: out.appendingPathComponent("api/index.html"))
    try Support.write("<p>mine</p>\n", to: out.appendingPathComponent("deck.slides.html"))
    let before = snapshot(out)

    let result = try Support.handout(["render", "nb", "--out", "out", "--slides"], in: dir)
    XCTAssertEqual(result.status, 1, result.output)
    for name in ["photos/me.jpg", "api/index.html", "deck.slides.html"] {
      XCTAssertTrue(result.output.contains("\(name) is not a file Handout wrote"), result.output)
    }
    for (path, data) in before {
      XCTAssertEqual(snapshot(out)[path], data, "\(path) is the user's and unchanged")
    }
    let index = try Support.text(out.appendingPathComponent("index.html"))
    XCTAssertFalse(index.contains("href=\"photos.html\""), index)
    XCTAssertFalse(index.contains("href=\"api.html\""), index)
    XCTAssertFalse(index.contains("deck.slides.html"), "the user's deck is not linked: \(index)")
    XCTAssertTrue(index.contains("good.slides.html"), "Handout's own deck is: \(index)")

    // A good handout is written, and a second render replaces it: it is Handout's.
    let good = out.appendingPathComponent("good.html")
    let first = try Data(contentsOf: good)
    XCTAssertEqual(try Support.handout(["render", "nb/good.md", "--out", "out"], in: dir).status, 0)
    XCTAssertEqual(try Data(contentsOf: good), first)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("index.html")).contains("href=\"good.html\""))

    // A file the user puts into a handout's folder, or a figure they edit, stops the next render
    // of that handout (it would be deleted with the old folder); everything stays.
    try Support.write("my own\n", to: out.appendingPathComponent("good/extra.txt"))
    let edited = try Support.handout(["render", "nb/good.md", "--out", "out"], in: dir)
    XCTAssertEqual(edited.status, 1, edited.output)
    XCTAssertTrue(edited.output.contains("good/extra.txt is not a file Handout wrote"), edited.output)
    XCTAssertEqual(try Support.text(out.appendingPathComponent("good/extra.txt")), "my own\n")
    try FileManager.default.removeItem(at: out.appendingPathComponent("good/extra.txt"))
    try Support.write("<p>edited by hand</p>", to: out.appendingPathComponent("good/.page.html"))
    XCTAssertEqual(try Support.handout(["render", "nb/good.md", "--out", "out"], in: dir).status, 1)
    XCTAssertEqual(try Support.text(out.appendingPathComponent("good.html")), "<p>edited by hand</p>")

    // A notebook gone from a folder rendered whole: its handout goes only if it is all Handout's.
    try FileManager.default.removeItem(at: out.appendingPathComponent("good/.page.html"))
    try FileManager.default.removeItem(at: dir.appendingPathComponent("nb/good.md"))
    try Support.write("still mine\n", to: out.appendingPathComponent("good/kept.txt"))
    _ = try Support.handout(["render", "nb", "--out", "out"], in: dir)
    XCTAssertEqual(try Support.text(out.appendingPathComponent("good/kept.txt")), "still mine\n")
  }

  /// The manifest is part of the output tree that `make same-bits` compares: two renders give the
  /// same bytes (no time, inode or size of the moment in it).
  func testTwoRendersWriteTheSameManifest() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write(notebook, to: dir.appendingPathComponent("nb/a.md"))
    for out in ["one", "two"] {
      XCTAssertEqual(try Support.handout(["render", "nb", "--out", out, "--slides"], in: dir).status, 0)
      Thread.sleep(forTimeInterval: 0.05)
    }
    let one = try Data(contentsOf: dir.appendingPathComponent("one/.handout-manifest.json"))
    XCTAssertEqual(one, try Data(contentsOf: dir.appendingPathComponent("two/.handout-manifest.json")))
  }

  func testAFolderAnOlderHandoutWroteIsTakenOverFromItsManifest() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    try Support.write(notebook, to: dir.appendingPathComponent("nb/a.md"))
    XCTAssertEqual(try Support.handout(["render", "nb", "--out", "out", "--slides"], in: dir).status, 0)
    // As an older Handout left it: a version 1 manifest that lists the handouts, no files.
    let manifestURL = out.appendingPathComponent(".handout-manifest.json")
    var json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    json["version"] = 1
    json["files"] = nil
    try JSONSerialization.data(withJSONObject: json).write(to: manifestURL)
    try Support.write("mine\n", to: out.appendingPathComponent("notes.txt"))

    try Support.write(
      notebook.replacingOccurrences(of: "drawn", with: "redrawn"), to: dir.appendingPathComponent("nb/a.md"))
    let result = try Support.handout(["render", "nb", "--out", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    XCTAssertTrue(try Support.text(out.appendingPathComponent("a.html")).contains("redrawn"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("a.slides.html").path))
    XCTAssertEqual(try Support.text(out.appendingPathComponent("notes.txt")), "mine\n")
  }

  /// The cache sweeps the scratch folders of runs that died: only names of the shapes it makes,
  /// never a user's folder that merely starts like one (`--cache .` shares the project's root).
  func testTheCacheSweepRemovesOnlyItsOwnScratchFolders() throws {
    let dir = try Support.temporaryDirectory(self)
    let cache = dir.appendingPathComponent("shared")
    let uuid = UUID().uuidString
    let mine = ["tmp-notes", "old-photos", "tmp-12-x", "tmp-2147483647", "old-\(uuid)x", "tmp-0-\(uuid)"]
    let handouts = ["tmp-\(uuid)", "old-\(uuid)", "tmp-2147483646-\(uuid)", "tmp-2147483646-\(uuid)-figures"]
    let twoDaysAgo = Date().addingTimeInterval(-2 * 24 * 3600)
    for name in mine + handouts {
      try Support.write("kept?\n", to: cache.appendingPathComponent(name).appendingPathComponent("f.txt"))
      try FileManager.default.setAttributes(
        [.modificationDate: twoDaysAgo], ofItemAtPath: cache.appendingPathComponent(name).path)
    }
    try Support.write(
      notebook.replacingOccurrences(of: "drawn", with: "swept \(uuid)"),
      to: dir.appendingPathComponent("nb/a.md"))
    let result = try Support.handout(["check", "nb", "--cache", cache.path], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    for name in mine {
      XCTAssertEqual(try Support.text(cache.appendingPathComponent("\(name)/f.txt")), "kept?\n", name)
    }
    for name in handouts {
      XCTAssertFalse(FileManager.default.fileExists(atPath: cache.appendingPathComponent(name).path), name)
    }
  }

  func testAForgedManifestCannotReachOutsideTheOutputFolder() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("site/out")
    try Support.write(notebook, to: dir.appendingPathComponent("nb/a.md"))
    XCTAssertEqual(try Support.handout(["render", "nb", "--out", "site/out"], in: dir).status, 0)

    // The victim: a folder and files beside the output folder, named as a handout's would be.
    let site = dir.appendingPathComponent("site")
    try Support.write("precious\n", to: site.appendingPathComponent("victim/data.txt"))
    try Support.write("<p>victim</p>\n", to: site.appendingPathComponent("victim.html"))
    try Support.write("%PDF victim\n", to: site.appendingPathComponent("victim.pdf"))
    try Support.write("absolute\n", to: dir.appendingPathComponent("abs.txt"))
    let before = snapshot(site).filter { !$0.key.hasPrefix("out/") }

    // The manifest is a plain JSON file: an entry `../victim` whose notebook is gone from a folder
    // rendered whole, and ownership records for paths outside the folder.
    let manifestURL = out.appendingPathComponent(".handout-manifest.json")
    var json = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    var handouts = try XCTUnwrap(json["handouts"] as? [[String: Any]])
    var forged = handouts[0]
    forged["name"] = "../victim"
    forged["source"] = dir.appendingPathComponent("nb/victim.md").path
    handouts.append(forged)
    json["handouts"] = handouts
    var files = json["files"] as? [String: Any] ?? [:]
    for (path, content) in [
      ("../victim.html", "<p>victim</p>\n"), ("../victim/data.txt", "precious\n"),
      (dir.appendingPathComponent("abs.txt").path, "absolute\n"),
    ] {
      files[path] = ["sha256": SHA256.hex(Data(content.utf8))]
    }
    json["files"] = files
    try JSONSerialization.data(withJSONObject: json).write(to: manifestURL)

    let result = try Support.handout(["render", "nb", "--out", "site/out"], in: dir)
    XCTAssertTrue(result.output.contains("ignored"), result.output)
    XCTAssertEqual(snapshot(site).filter { !$0.key.hasPrefix("out/") }, before)
    XCTAssertEqual(try Support.text(dir.appendingPathComponent("abs.txt")), "absolute\n")
    XCTAssertFalse(try Support.text(out.appendingPathComponent("index.html")).contains("victim"))
    // The manifest that is published with the site names no absolute path.
    let manifest = try Support.text(manifestURL)
    XCTAssertFalse(manifest.contains(dir.path), manifest)
  }

  /// A self-contained handout without figures has an empty folder beside its page: Handout made
  /// it, so the next render replaces the handout (it was refused as a user's empty folder), while
  /// an empty folder of the user's under a handout's name is still refused.
  func testASelfContainedHandoutWithoutFiguresIsRenderedAgain() throws {
    let dir = try Support.temporaryDirectory(self)
    try Support.write("# Plain\n\nFirst words.\n", to: dir.appendingPathComponent("plain.md"))
    let first = try Support.handout(
      ["render", "plain.md", "-o", "out", "--self-contained", "--slides"], in: dir)
    XCTAssertEqual(first.status, 0, first.output)
    try Support.write("# Plain\n\nSecond words.\n", to: dir.appendingPathComponent("plain.md"))
    let second = try Support.handout(
      ["render", "plain.md", "-o", "out", "--self-contained", "--slides"], in: dir)
    XCTAssertEqual(second.status, 0, second.output)
    for page in ["plain.html", "plain.slides.html"] {
      XCTAssertTrue(
        try Support.text(dir.appendingPathComponent("out/" + page)).contains("Second words."), page)
    }
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("out/mine"), withIntermediateDirectories: false)
    try Support.write("# Mine\n\nWords.\n", to: dir.appendingPathComponent("mine.md"))
    let mine = try Support.handout(["render", "mine.md", "-o", "out", "--self-contained"], in: dir)
    XCTAssertEqual(mine.status, 1, mine.output)
    XCTAssertTrue(
      mine.output.contains("1 refused (a file of the user's holds its name: mine.html)"), mine.output)
  }

  /// A file or folder of the user's whose name starts like a stopped render's staging entry
  /// (`.handout-staging-notes/`) is the user's: only names of the shape Handout makes
  /// (`.handout-staging-<uuid>` and `-<n>` after it) are a stopped render's leftovers. Every
  /// `.handout-staging-*` entry was deleted, files and all, by the next render.
  func testEntriesNamedLikeAStagingFolderButNotOfItsShapeAreTheUsers() throws {
    let dir = try Support.temporaryDirectory(self)
    let out = dir.appendingPathComponent("out")
    try Support.write(notebook, to: dir.appendingPathComponent("nb/photos.md"))
    try Support.write("mine\n", to: out.appendingPathComponent(".handout-staging-notes/todo.txt"))
    try Support.write("mine\n", to: out.appendingPathComponent(".handout-staging-backup.txt"))
    let uuid = UUID().uuidString
    try Support.write("mine\n", to: out.appendingPathComponent(".handout-staging-\(uuid)-x/kept.txt"))
    // A stopped render's: removed.
    try Support.write("old\n", to: out.appendingPathComponent(".handout-staging-\(uuid)/index.html"))
    try Support.write("old\n", to: out.appendingPathComponent(".handout-staging-\(uuid)-3/.page.html"))
    var before = snapshot(out)
    before[".handout-staging-\(uuid)/index.html"] = nil
    before[".handout-staging-\(uuid)-3/.page.html"] = nil

    let result = try Support.handout(["render", "nb", "--out", "out"], in: dir)
    XCTAssertEqual(result.status, 0, result.output)
    let after = snapshot(out)
    for (path, bytes) in before { XCTAssertEqual(after[path], bytes, path) }
    XCTAssertNil(after[".handout-staging-\(uuid)/index.html"])
    XCTAssertNil(after[".handout-staging-\(uuid)-3/.page.html"])
  }
}
