// `check --shard K/N`: one CI job's share of the notebooks.
import ArgumentParser

/// The K-th of N shares of the notebooks (1 ≤ K ≤ N), so a course's CI can check its notebooks in a
/// matrix of N jobs, each writing its own `--junit` file.
///
/// Assignment: the notebooks sorted by file name (then by path), and the i-th (from 0) goes to
/// shard `i mod N + 1`. It depends on the names only, not on the order of the folders or of the
/// file system, so every job computes the same split; the shards' sizes differ by at most one.
/// Adding or renaming a notebook may move the ones after it to other shards.
struct Shard: ExpressibleByArgument, Equatable, CustomStringConvertible {
  let index: Int
  let count: Int

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
      return nil
    }
    (index, count) = (k, n)
  }

  var description: String { "\(index)/\(count)" }

  /// This shard's notebooks among `paths`, in the order given.
  func select(_ paths: [String]) -> [String] {
    let order = paths.indices.sorted { a, b in
      let (x, y) = (Self.fileName(paths[a]), Self.fileName(paths[b]))
      return x != y ? x < y : paths[a] < paths[b]
    }
    var mine = Set<Int>()
    for (rank, i) in order.enumerated() where rank % count == index - 1 { mine.insert(i) }
    return paths.indices.filter(mine.contains).map { paths[$0] }
  }

  private static func fileName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
