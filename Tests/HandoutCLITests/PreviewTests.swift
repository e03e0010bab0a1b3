import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `handout preview` as a person uses it: the real binary serving a temporary course on
/// 127.0.0.1, spoken to over real HTTP, its notebook edited on disk. Deadlines are generous (a
/// notebook compiles on a loaded machine); nothing is timed.
final class PreviewTests: XCTestCase {
  static let notebook = #"""
    # Live

    ```swift
    let extra = try String(contentsOf: dataFile("extra.txt"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    print("number \(4200 + 42) extra \(extra) shared \(sharedWord)")
    ```

    """#

  func testServesThePageAndRendersAgainWhenTheNotebookOrItsDataChanges() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("live.md")
    try Self.notebook.write(to: notebook, atomically: true, encoding: .utf8)
    try "alpha\n".write(to: notebooks.appendingPathComponent("extra.txt"), atomically: true, encoding: .utf8)
    let sharedCode = notebooks.appendingPathComponent("_shared/words.swift")
    try FileManager.default.createDirectory(
      at: sharedCode.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "let sharedWord = \"gamma\"\n".write(to: sharedCode, atomically: true, encoding: .utf8)

    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0", "-o", "output", "--slides"], in: dir)
    defer { preview.stop() }
    let port = try preview.port()
    // The deck is served too, and reloads with its handout.
    let deck = try LoopbackHTTP.get(port: port, path: "/live.slides.html")
    XCTAssertTrue(deck.hasPrefix("HTTP/1.1 200") && deck.contains("number 4242 extra alpha"), deck)
    XCTAssertTrue(deck.contains("/__handout/events?handout=live\""), "the deck reloads with its handout")

    let first = try LoopbackHTTP.get(port: port, path: "/live.html")
    XCTAssertTrue(first.hasPrefix("HTTP/1.1 200"), first)
    XCTAssertTrue(first.contains("number 4242 extra alpha shared gamma"), first)
    XCTAssertTrue(first.contains("/__handout/events?handout=live"), "the reload script is served:\n\(first)")
    // The script is the server's: the page on disk has none.
    let onDisk = try String(contentsOf: dir.appendingPathComponent("output/live.html"), encoding: .utf8)
    XCTAssertTrue(onDisk.contains("number 4242 extra alpha"))
    XCTAssertFalse(onDisk.contains("__handout"), onDisk)
    let index = try LoopbackHTTP.get(port: port, path: "/")
    XCTAssertTrue(index.hasPrefix("HTTP/1.1 200") && index.contains("live.html"), index)

    // The page's reload channel: the version it has now, then a new one after the edit.
    let events = try LoopbackHTTP.Stream(port: port, path: "/__handout/events?handout=live")
    let opened = try events.read(until: { Self.versions(in: $0).count >= 1 }, seconds: 120)
    let version = try XCTUnwrap(Self.versions(in: opened).first, opened)

    try Self.notebook.replacingOccurrences(of: "4200 + 42", with: "4300 + 43")
      .write(to: notebook, atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/live.html", containing: "number 4343 extra alpha")
    try preview.waitForPage(port: port, path: "/live.slides.html", containing: "number 4343 extra alpha")
    let after = try events.read(until: { Self.versions(in: $0).count >= 2 }, seconds: 120)
    XCTAssertNotEqual(Self.versions(in: after).last, version, after)

    // A data file the notebook reads through dataFile.
    try "beta\n".write(to: notebooks.appendingPathComponent("extra.txt"), atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/live.html", containing: "number 4343 extra beta")

    // The folder's shared code.
    try "let sharedWord = \"delta\"\n".write(to: sharedCode, atomically: true, encoding: .utf8)
    try preview.waitForPage(port: port, path: "/live.html", containing: "number 4343 extra beta shared delta")

    // A compile error: the page is published all the same, the error at its block.
    try Self.notebook.replacingOccurrences(of: "print(", with: "let broken: Int = \"text\"\nprint(")
      .write(to: notebook, atomically: true, encoding: .utf8)
    let broken = try preview.waitForPage(port: port, path: "/live.html", containing: "cannot convert value")
    XCTAssertTrue(broken.contains("live.md"), broken)

    // A notebook that does not parse: the error is printed and shown on the page; the server stays.
    try (Self.notebook + "```swift\nlet open = 1\n").write(to: notebook, atomically: true, encoding: .utf8)
    let unparsed = try preview.waitForPage(
      port: port, path: "/live.html", containing: "handout-preview-problem")
    XCTAssertTrue(unparsed.contains("is never closed"), unparsed)
    XCTAssertTrue(preview.isRunning)
    XCTAssertTrue(preview.stdout.contains("is never closed"), preview.stdout)

    try Self.notebook.write(to: notebook, atomically: true, encoding: .utf8)
    let fixed = try preview.waitForPage(
      port: port, path: "/live.html", containing: "number 4242 extra beta shared delta")
    XCTAssertFalse(fixed.contains("handout-preview-problem"), fixed)
  }

  func testListensOnLoopbackOnlyAndSIGTERMLeavesNoNotebookProgramBehind() throws {
    let dir = try HandoutCLI.temporaryDirectory(self)
    let notebooks = dir.appendingPathComponent("notebooks")
    try FileManager.default.createDirectory(at: notebooks, withIntermediateDirectories: true)
    let notebook = notebooks.appendingPathComponent("slow.md")
    try "# Slow\n\n```swift\nprint(\"ready\")\n```\n".write(to: notebook, atomically: true, encoding: .utf8)

    // Notebook programs run in private folders under TMPDIR (`handout-run-…`): this test's own.
    let tmp = dir.appendingPathComponent("tmp", isDirectory: true)
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    let preview = try PreviewProcess(
      ["preview", "notebooks", "--port", "0"], in: dir, environment: ["TMPDIR": tmp.path])
    defer { preview.stop() }
    let port = try preview.port()
    XCTAssertTrue(try LoopbackHTTP.get(port: port, path: "/slow.html").contains("ready"))

    // The kernel's table of listening sockets: this port on 127.0.0.1 only (0100007F), none on IPv6.
    let listening = Self.listeningAddresses(port: port, table: "/proc/net/tcp")
    XCTAssertEqual(listening, ["0100007F"], "listening on \(listening)")
    XCTAssertEqual(Self.listeningAddresses(port: port, table: "/proc/net/tcp6"), [])
    for address in Self.otherIPv4Addresses() {
      XCTAssertFalse(LoopbackHTTP.canConnect(host: address, port: port), "reachable on \(address):\(port)")
    }

    // A notebook program that runs long, then SIGTERM: `handout` ends and takes it along.
    let started = preview.stderr.components(separatedBy: "slow.md: block 0").count
    let marker = "slow-\(UUID().uuidString.prefix(8))"
    try "# Slow\n\n```swift\nprint(\"\(marker)\")\nThread.sleep(forTimeInterval: 300)\n```\n"
      .write(to: notebook, atomically: true, encoding: .utf8)
    let folder = tmp.resolvingSymlinksInPath().path + "/handout-run-"
    let deadline = Date().addingTimeInterval(600)
    // The block is running (its progress line), in its private folder.
    let running = { preview.stderr.components(separatedBy: "slow.md: block 0").count > started }
    while !(running() && !Self.processes(workingIn: folder).isEmpty) && Date() < deadline {
      usleep(200_000)
    }
    XCTAssertTrue(running(), preview.stderr)
    XCTAssertFalse(Self.processes(workingIn: folder).isEmpty, "the notebook program never started")
    preview.terminate()
    XCTAssertEqual(try preview.waitForExit(seconds: 30), 128 + SIGTERM)
    let gone = Date().addingTimeInterval(60)
    while !Self.processes(workingIn: folder).isEmpty && Date() < gone { usleep(200_000) }
    XCTAssertEqual(Self.processes(workingIn: folder), [], "left behind")
    let runFolders = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
      .filter { $0.hasPrefix("handout-run-") }
    XCTAssertEqual(runFolders, [], "the run's private folder was left")
    XCTAssertFalse(LoopbackHTTP.canConnect(host: "127.0.0.1", port: port), "still serving")
  }

  /// The `data:` values of a Server-Sent Events stream so far.
  static func versions(in stream: String) -> [String] {
    // `\r\n` is one Character: split on every kind of line end.
    stream.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("data: ") }.map {
      String($0.dropFirst(6))
    }
  }

  /// The local addresses (hex, as the table writes them) of the sockets listening on `port`.
  static func listeningAddresses(port: Int, table: String) -> [String] {
    guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return [] }
    let suffix = ":" + String(format: "%04X", port)
    return text.split(separator: "\n").dropFirst().compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count > 3, fields[1].hasSuffix(suffix), fields[3] == "0A" else { return nil }
      return String(fields[1].dropLast(suffix.count))
    }
  }

  /// This machine's IPv4 addresses other than loopback.
  static func otherIPv4Addresses() -> [String] {
    var list: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&list) == 0 else { return [] }
    defer { freeifaddrs(list) }
    var addresses: [String] = []
    var next = list
    while let entry = next {
      defer { next = entry.pointee.ifa_next }
      guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else {
        continue
      }
      var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      guard
        getnameinfo(
          address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0,
          NI_NUMERICHOST) == 0
      else { continue }
      let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if !text.hasPrefix("127.") { addresses.append(text) }
    }
    return addresses
  }

  /// The processes whose working folder is `folder` (a notebook program runs in its notebook's).
  /// The processes whose working folder's path starts with `prefix`.
  static func processes(workingIn prefix: String) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap(Int32.init).filter { pid in
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"))?.hasPrefix(prefix)
        == true
    }.sorted()
  }
}

/// `handout preview` running in the background, its stdout and stderr in files.
final class PreviewProcess {
  private let process = Process()
  private let out: URL
  private let err: URL

  /// `handout arguments` in `dir`, started through `wrapper` (a program and its arguments) when
  /// one is given.
  init(_ arguments: [String], in dir: URL, environment: [String: String] = [:], wrapper: [String] = []) throws
  {
    let build = try HandoutCLI.buildDirectory()
    let exe = build.appendingPathComponent("handout")
    process.executableURL = wrapper.first.map(URL.init(fileURLWithPath:)) ?? exe
    process.arguments = wrapper.isEmpty ? arguments : wrapper.dropFirst() + [exe.path] + arguments
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["HANDOUT_CACHE"] = build.appendingPathComponent("handout-test-cache").path
    env.removeValue(forKey: "GITHUB_ACTIONS")
    env.removeValue(forKey: "HANDOUT_RUNTIME")
    env.merge(environment) { _, new in new }
    process.environment = env
    out = dir.appendingPathComponent(".preview-stdout")
    err = dir.appendingPathComponent(".preview-stderr")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
  }

  var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }
  var isRunning: Bool { process.isRunning }

  /// The port from the line `Serving http://127.0.0.1:PORT/ (Ctrl-C to stop)`, once printed.
  func port(seconds: Double = 600) throws -> Int {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      for line in stdout.split(separator: "\n") where line.hasPrefix("Serving http://127.0.0.1:") {
        let rest = line.dropFirst("Serving http://127.0.0.1:".count)
        if let port = Int(rest.prefix { $0.isNumber }),
          rest.dropFirst(String(port).count).hasPrefix("/ (Ctrl-C to stop)")
        {
          return port
        }
      }
      guard process.isRunning else { break }
      usleep(100_000)
    }
    throw PreviewTestError("no Serving line; stdout:\n\(stdout)\nstderr:\n\(stderr)")
  }

  /// GETs `path` until the response contains `text` (and not `absent`, when given); the response.
  @discardableResult
  func waitForPage(
    port: Int, path: String, containing text: String, without absent: String? = nil, seconds: Double = 600
  ) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      last = (try? LoopbackHTTP.get(port: port, path: path)) ?? last
      if last.contains(text) && !(absent.map(last.contains) ?? false) { return last }
      guard process.isRunning else { break }
      usleep(200_000)
    }
    let without = absent.map { " without \($0)" } ?? ""
    throw PreviewTestError("\(path) never held \(text)\(without); last:\n\(last)\nstderr:\n\(stderr)")
  }

  /// Waits until its stderr holds `text`: what a render says is printed after its handouts and
  /// index are swapped in, so a page already served does not mean the line is there yet.
  @discardableResult
  func waitForStderr(containing text: String, seconds: Double = 60) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if stderr.contains(text) { return true }
      guard process.isRunning else { break }
      usleep(100_000)
    }
    return stderr.contains(text)
  }

  func terminate() { process.terminate() }

  /// The exit status, once it exits.
  func waitForExit(seconds: Double) throws -> Int32 {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(100_000) }
    guard !process.isRunning else { throw PreviewTestError("still running after SIGTERM") }
    return process.terminationStatus
  }

  /// Ends it if it still runs (a failed test), the same way a person does.
  func stop() {
    if process.isRunning {
      process.interrupt()
      _ = try? waitForExit(seconds: 20)
    }
  }
}

struct PreviewTestError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A small HTTP/1.1 client over a plain TCP socket, enough for a page and an event stream.
enum LoopbackHTTP {
  /// A connected socket to `host:port`, or nil when the connection is refused.
  static func connect(host: String, port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr = in_addr(s_addr: inet_addr(host))
    var timeout = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      close(fd)
      return nil
    }
    return fd
  }

  static func canConnect(host: String, port: Int) -> Bool {
    guard let fd = connect(host: host, port: port) else { return false }
    close(fd)
    return true
  }

  /// Sends `GET path` with `Host: host` (no Host line when nil).
  static func send(_ fd: Int32, path: String, host: String? = "127.0.0.1") {
    let hostLine = host.map { "Host: \($0)\r\n" } ?? ""
    let request = Array("GET \(path) HTTP/1.1\r\n\(hostLine)Connection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// The whole response (status line, headers, body) to `GET path` sent with `Host: host`.
  static func get(port: Int, path: String, host: String? = "127.0.0.1") throws -> String {
    guard let fd = connect(host: "127.0.0.1", port: port) else {
      throw PreviewTestError("connection to 127.0.0.1:\(port) refused")
    }
    defer { close(fd) }
    send(fd, path: path, host: host)
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n > 0 {
        data += buffer.prefix(n)
      } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
        break
      }
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// A response read a little at a time (Server-Sent Events).
  final class Stream {
    private let fd: Int32
    private var received = [UInt8]()

    init(port: Int, path: String) throws {
      guard let fd = LoopbackHTTP.connect(host: "127.0.0.1", port: port) else {
        throw PreviewTestError("connection to 127.0.0.1:\(port) refused")
      }
      self.fd = fd
      LoopbackHTTP.send(fd, path: path)
    }

    deinit { close(fd) }

    /// Everything received so far, once `done` holds of it.
    func read(until done: (String) -> Bool, seconds: Double) throws -> String {
      var buffer = [UInt8](repeating: 0, count: 4096)
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        let text = String(decoding: received, as: UTF8.self)
        if done(text) { return text }
        let n = recv(fd, &buffer, buffer.count, 0)
        if n > 0 {
          received += buffer.prefix(n)
        } else if n == 0 {
          break
        }
      }
      throw PreviewTestError(
        "the event stream ended or timed out:\n\(String(decoding: received, as: UTF8.self))")
    }
  }
}
