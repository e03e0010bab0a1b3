// What a render does for its publishing while the first notebook compiles (issue 25). The
// frontend works on one core for ~250 ms and the other is idle, while everything `handout` does
// after the run is on the critical path. So, once a notebook is about to be compiled, another
// thread reads and hashes the asset files publish will copy (`ReadAhead`), and weaves each
// notebook's page once without a run and throws it away: that brings the templates, the
// highlighter and the Swift runtime's type metadata for weaving into memory, so the real weave
// after the run finds them ready. Nothing of it is written or kept in the output: publish makes
// every product from the run as before, and uses a file read ahead only while its stamp holds.
// The first page is woven ahead once the first run's key is known, so a warm render has it too:
// there the run's thread reads and checks the cached `run.json` while the main thread waits
// (bench/README 53).
import Foundation

extension Pipeline {
  /// Starts, on another thread, what publishing `notebooks` as `publication` says needs and no
  /// run changes (see the file comment), the asset files too unless `assets` is false. Returns at
  /// once.
  static func publishAhead(_ notebooks: [Notebook], _ publication: Publication, assets: Bool = true) {
    let weave = publication.weave
    if notebooks.isEmpty && !assets { return }
    DispatchQueue.global(qos: .userInitiated).async {
      if assets, let assets = try? Weave.assets(options: weave) {
        for asset in assets {
          if case .copy(let source) = asset.content {
            ReadAhead.shared.prefetch(source.resolvingSymlinksInPath().path)
          }
        }
      }
      for notebook in notebooks {
        _ = try? Weave.page(notebook: notebook, run: RunResult(), options: weave)
      }
      _ = try? Manifest().encoded()
    }
  }
}

/// Calls its closure the first time `fire` is called, never again.
final class Once: @unchecked Sendable {
  private let lock = NSLock()
  private var action: (() -> Void)?

  init(_ action: @escaping () -> Void) { self.action = action }

  func fire() {
    let action = lock.withLock {
      defer { self.action = nil }
      return self.action
    }
    action?()
  }
}
