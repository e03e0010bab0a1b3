// `handout preview`'s HTTP side: the output folder served on 127.0.0.1 by Hummingbird, every HTML
// page with a small script that reloads it when its handout is rendered again (Server-Sent Events
// from `/__handout/events`). The script is added as a page is served, never to the files on disk.
import Foundation

#if Preview
  import Hummingbird
  import Logging
  import NIOCore
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the open pages wait for: a version per handout, raised each time it is rendered again, and
/// the problem that kept a notebook's page from being written (it does not parse), shown on it.
final class PreviewState: @unchecked Sendable {
  private let lock = NSLock()
  /// Raised at every render; the version of a page that is no handout (the index).
  private var latest = 0
  private var versions: [String: Int] = [:]
  private var problems: [String: String] = [:]
  private var listeners: [UUID: AsyncStream<Void>.Continuation] = [:]

  /// The version of the handout `name`; for a name that is no handout (the index, a page of a
  /// handout's folder), the latest of all, so such a page reloads after any render.
  func version(of name: String?) -> Int {
    lock.lock()
    defer { lock.unlock() }
    return name.flatMap { versions[$0] } ?? latest
  }

  /// Why the handout `name` shows its previous render (its notebook does not parse), or nil.
  func problem(of name: String) -> String? {
    lock.lock()
    defer { lock.unlock() }
    return problems[name]
  }

  /// Sets (or, with nil, clears) the problem of each handout about to be published. Before the
  /// write, so a page served from the new files never carries the old render's banner.
  func setProblems(_ handouts: [(name: String, problem: String?)]) {
    lock.lock()
    for handout in handouts { problems[handout.name] = handout.problem }
    lock.unlock()
  }

  /// Handouts just rendered and published: their pages and the index reload.
  func rendered(_ names: [String]) {
    lock.lock()
    latest += 1
    for name in names { versions[name] = latest }
    let waiting = Array(listeners.values)
    lock.unlock()
    waiting.forEach { $0.yield() }
  }

  /// Wakes every open event stream without a render: each writes a comment, and a stream whose
  /// page is gone fails to and ends (rather than waiting for the next render with its socket).
  func ping() {
    lock.lock()
    let waiting = Array(listeners.values)
    lock.unlock()
    waiting.forEach { $0.yield() }
  }

  /// A stream that yields after each render (and each `ping`), until `unsubscribe`.
  func subscribe() -> (UUID, AsyncStream<Void>) {
    let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let id = UUID()
    lock.lock()
    listeners[id] = continuation
    lock.unlock()
    return (id, stream)
  }

  func unsubscribe(_ id: UUID) {
    lock.lock()
    let continuation = listeners.removeValue(forKey: id)
    lock.unlock()
    continuation?.finish()
  }
}

/// The port could not be listened on.
struct PreviewServerError: Error, CustomStringConvertible {
  var port: Int
  var reason: String
  var description: String {
    "error: cannot serve on 127.0.0.1:\(port): \(reason)"
      + (port == 0 ? "" : "; pass --port 0 for any free port")
  }
}

#if !Preview
  /// Built without the `Preview` trait (`swift build --disable-default-traits`, as `make render`
  /// does): no HTTP server in this binary. `handout preview` says so before it renders anything.
  enum PreviewServer {
    /// Why there is no server, and how to build one.
    static let missing =
      "error: this handout was built without the preview server (`swift build --disable-default-traits`, "
      + "as make render does); build it with `swift build -c release` or `make release`"

    /// Never serves: throws why.
    static func start(root: URL, port: Int, state: PreviewState) throws -> Int {
      throw PreviewServerError(port: port, reason: missing)
    }
  }
#else
  enum PreviewServer {
    /// The path of the reload events; a page asks for its handout's with `?handout=NAME`.
    static let eventsPath = "/__handout/events"

    /// Starts serving `root` on 127.0.0.1:`port` (0: a free port the system picks) in the
    /// background and returns the port it listens on once it does.
    /// - Throws: `PreviewServerError` when it cannot listen (the port is taken).
    static func start(root: URL, port: Int, state: PreviewState) throws -> Int {
      // Errors only: what preview says goes to the terminal through `ProgressPrinter`.
      var logger = Logger(label: "handout-preview")
      logger.logLevel = .error
      let router = Router(context: BasicRequestContext.self)
      let resolved = root.standardizedFileURL.resolvingSymlinksInPath()
      // First: what is refused is never looked at by anything else.
      router.add(middleware: PreviewGuard(root: resolved))
      router.add(middleware: LivePages(root: resolved, state: state))
      router.add(
        middleware: FileMiddleware(
          root.path, cacheControl: CacheControl([(MediaType(type: .any), [.noCache])]),
          searchForIndexHtml: true,
          logger: logger))
      router.get(RouterPath(eventsPath)) { request, _ -> Response in
        events(for: request.uri.queryParameters.get("handout"), state: state)
      }
      let bound = Bound()
      let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
        onServerRunning: { channel in bound.set(.success(channel.localAddress?.port ?? port)) },
        logger: logger)
      Task.detached {
        do {
          try await app.run()
          bound.set(.failure(PreviewServerError(port: port, reason: "the server stopped")))
        } catch {
          bound.set(.failure(PreviewServerError(port: port, reason: "\(error)")))
        }
      }
      return try bound.wait().get()
    }

    /// Server-Sent Events for one handout's page: the version it has now, then each new one. The
    /// page's script reloads when a version differs from the one it was served with.
    static func events(for name: String?, state: PreviewState) -> Response {
      var headers = HTTPFields()
      headers[.contentType] = "text/event-stream"
      headers[.cacheControl] = "no-store"
      return Response(
        status: .ok, headers: headers,
        body: ResponseBody { writer in
          // Subscribed before the first version is read: no render falls between the two.
          let (id, renders) = state.subscribe()
          defer { state.unsubscribe(id) }
          var sent = state.version(of: name)
          try await writer.write(ByteBuffer(string: "retry: 1000\ndata: \(sent)\n\n"))
          for await _ in renders {
            let now = state.version(of: name)
            // A closed page ends here: the write throws. A comment line is ignored by the page.
            try await writer.write(ByteBuffer(string: now == sent ? ": ping\n\n" : "data: \(now)\n\n"))
            sent = now
          }
          try await writer.finish(nil)
        })
    }
  }

  /// The port the server listens on, handed from its task to the command's thread.
  private final class Bound: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var result: Result<Int, PreviewServerError>?

    /// The first result counts; later ones (the server stopping) are ignored.
    func set(_ value: Result<Int, PreviewServerError>) {
      lock.lock()
      defer { lock.unlock() }
      guard result == nil else { return }
      result = value
      ready.signal()
    }

    func wait() -> Result<Int, PreviewServerError> {
      ready.wait()
      lock.lock()
      defer { lock.unlock() }
      return result ?? .failure(PreviewServerError(port: 0, reason: "no result"))
    }
  }

  /// What preview refuses before anything else sees the request:
  /// - a `Host` other than `127.0.0.1` or `localhost` (with any port), or none: a page of another
  ///   site whose name is made to point at 127.0.0.1 (DNS rebinding) sends its own name, and must
  ///   not read the handouts (421);
  /// - a path with a `..`, `.` or empty step, or naming one of Handout's own entries
  ///   (`.handout-manifest.json`, which holds absolute paths, `.handout-staging-*`) (404);
  /// - a file or folder that a symlink takes out of the output folder (404). Handout's own links
  ///   (`<name>.html -> <name>/.page.html`, the deck's, the PDF's) stay inside it and are served.
  struct PreviewGuard<Context: RequestContext>: RouterMiddleware {
    /// The output folder, absolute and with symlinks resolved.
    let root: URL

    func handle(
      _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
      // HTTP/1 moves the first Host line into `authority`; a second one stays a header field.
      guard Self.isThisMachine(request.head.authority),
        !request.headers.contains(where: { $0.name.canonicalName == "host" })
      else {
        return Self.text(
          .init(code: 421, reasonPhrase: "Misdirected Request"),
          "handout preview answers only requests for 127.0.0.1 or localhost\n")
      }
      let path = request.uri.path
      guard path != PreviewServer.eventsPath else { return try await next(request, context) }
      guard let relative = Self.servable(path), Self.staysInside(relative, root: root) else {
        return Self.text(.notFound, "not found\n")
      }
      return try await next(request, context)
    }

    /// Whether a `Host` value names this machine: `127.0.0.1` or `localhost`, each with or
    /// without a port.
    static func isThisMachine(_ host: String?) -> Bool {
      guard let host else { return false }
      var name = Substring(host)
      if let colon = name.lastIndex(of: ":") {
        let port = name[name.index(after: colon)...]
        guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else {
          return false
        }
        name = name[..<colon]
      }
      return name == "127.0.0.1" || name.lowercased() == "localhost"
    }

    /// The path relative to the output folder (percent-decoded, "" for the folder itself), or nil
    /// when it has a `..`, `.` or empty step (a trailing `/` aside), a NUL, or names a `.handout…`
    /// entry.
    static func servable(_ path: String) -> String? {
      guard let decoded = path.removingPercentEncoding, decoded.hasPrefix("/") else { return nil }
      var steps = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
      if steps.last?.isEmpty == true { steps.removeLast() }
      // A NUL ends the path where the file system reads it (`/x.html%00.txt` would be `x.html`).
      for step in steps
      where step.isEmpty || step == "." || step == ".." || step.hasPrefix(".handout") || step.contains("\0") {
        return nil
      }
      return steps.joined(separator: "/")
    }

    /// Whether `relative` names something whose real place (every symlink followed) is inside
    /// `root` and no `.handout-` entry, and so is a folder's `index.html`, which the file
    /// middleware serves for the folder. True for what does not exist (it is not found anyway).
    /// Paths are compared by their bytes: `String`'s `hasPrefix` took `site-café/` (é as `e` and a
    /// combining accent), a folder beside the output folder `site-café/` (é one code point), for
    /// the output folder itself, and served what a symlink pointed to there.
    static func staysInside(_ relative: String, root: URL) -> Bool {
      let target = relative.isEmpty ? root.path : root.path + "/" + relative
      guard let real = realPath(target) else { return true }
      let folder = Array(root.path.utf8)
      func within(_ path: String) -> Bool { path.utf8.starts(with: folder + [UInt8(ascii: "/")]) }
      guard real.utf8.elementsEqual(folder) || within(real) else { return false }
      let inside = String(decoding: real.utf8.dropFirst(folder.count), as: UTF8.self).split(separator: "/")
      if inside.contains(where: { $0.hasPrefix(Self.ownPrefix) }) { return false }
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue,
        let index = realPath(real + "/index.html")
      {
        return within(index)
      }
      return true
    }

    /// The prefix of the output folder's entries that are Handout's and never a reader's (the
    /// manifest, staging folders).
    static var ownPrefix: String { ".handout-" }

    /// `realpath(3)`: the absolute path with every symlink followed; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
      guard let resolved = realpath(path, nil) else { return nil }
      defer { free(resolved) }
      return String(cString: resolved)
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
      var headers = HTTPFields()
      headers[.contentType] = "text/plain; charset=utf-8"
      headers[.cacheControl] = "no-store"
      return Response(
        status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
  }

  /// Serves every `.html` page of the output folder (and `/`, the index) with the reload script,
  /// and a banner with the notebook's problem when its last render could not write the page.
  /// Everything else goes on to the file middleware.
  struct LivePages<Context: RequestContext>: RouterMiddleware {
    /// The output folder, absolute and with symlinks resolved.
    let root: URL
    let state: PreviewState

    func handle(
      _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
      guard request.method == .get, let path = request.uri.path.removingPercentEncoding else {
        return try await next(request, context)
      }
      let relative = path == "/" ? "index.html" : String(path.drop { $0 == "/" })
      guard relative.hasSuffix(".html") else { return try await next(request, context) }
      let components = relative.split(separator: "/", omittingEmptySubsequences: false)
      guard !components.contains(where: { $0 == ".." || $0.isEmpty }) else {
        return Response(status: .badRequest)
      }
      let name = PreviewPages.handoutName(of: relative)
      let problem = name.flatMap { state.problem(of: $0) }
      let file = root.appendingPathComponent(PreviewPages.shown(relative, in: root)).resolvingSymlinksInPath()
      let inside = file.path.hasPrefix(root.path + "/")
      guard inside, let data = FileManager.default.contents(atPath: file.path) else {
        // A notebook that never rendered because it does not parse: its problem, on a page that
        // reloads once it renders.
        guard let problem, let name else { return try await next(request, context) }
        let page =
          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(Self.escape(name))</title></head>"
          + "<body></body></html>\n"
        return Self.html(
          Self.inject(into: page, version: state.version(of: name), name: name, problem: problem))
      }
      let page = String(decoding: data, as: UTF8.self)
      return Self.html(
        Self.inject(into: page, version: state.version(of: name), name: name, problem: problem))
    }

    static func html(_ text: String) -> Response {
      var headers = HTTPFields()
      headers[.contentType] = "text/html; charset=utf-8"
      headers[.cacheControl] = "no-store"
      return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `page` with the reload script before its last `</body>` (at its end when it has none), and
    /// the problem's banner first in the body, where it pushes the page down rather than hiding it.
    static func inject(into page: String, version: Int, name: String?, problem: String?) -> String {
      let query =
        name.map { "?handout=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
        ?? ""
      let script = """
        <script>/* handout preview: reload when this handout is rendered again */
        (function () {
          var version = "\(version)";
          var events = new EventSource("\(PreviewServer.eventsPath)\(query)");
          events.onmessage = function (e) { if (e.data !== version) { events.close(); location.reload(); } };
        })();
        </script>

        """
      var result = page
      if let end = result.range(of: "</body>", options: [.backwards, .caseInsensitive]) {
        result.replaceSubrange(end.lowerBound..<end.lowerBound, with: script)
      } else {
        result += script
      }
      guard let problem else { return result }
      let banner =
        "\n<pre id=\"handout-preview-problem\" style=\"position:sticky;top:0;z-index:1000;margin:0;"
        + "padding:0.6em 1em;background:#fde8e8;color:#7a0b0b;border-bottom:2px solid #c81e1e;"
        + "font:13px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto\">"
        + "This page is from an earlier render: the last one stopped before the page could be written.\n"
        + escape(problem) + "</pre>\n"
      guard let body = result.range(of: "<body", options: .caseInsensitive),
        let open = result[body.upperBound...].firstIndex(of: ">")
      else { return banner + result }
      result.insert(contentsOf: banner, at: result.index(after: open))
      return result
    }

    static func escape(_ text: String) -> String {
      text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
  }
#endif
