// `NEURAL_ISA` reaches the notebook program only when it names a product kernel this CPU runs.
//
// `NEURAL_*` are left out of the cache key because Neural gives the same bits whatever they say.
// But a name Neural cannot use (a typo, `avx512` on a CPU without AVX-512) made it write a warning
// on the program's standard error, inside the block that first multiplied a matrix: the page
// showed it, a published output under that block failed, and the cached run replayed the warning
// to every later render, with the variable or without. So `handout` says it once, on its own
// standard error, and the program runs as without the variable (on the widest kernel).
import CSpawn
import Foundation

extension RunOptions {
  /// The names `NEURAL_ISA` takes (Neural's `ProductISA`), any case.
  static let productISAs = ["sse2", "avx2", "avx512"]

  /// Why the `NEURAL_ISA` of `environment` is not passed on to notebook programs, for a warning;
  /// nil when it is unset or empty, or names a product kernel this CPU runs.
  public static func neuralISAProblem(_ environment: [String: String]) -> String? {
    guard let name = environment["NEURAL_ISA"], !name.isEmpty else { return nil }
    let known = productISAs.joined(separator: ", ")
    guard productISAs.contains(name.lowercased()) else {
      return "NEURAL_ISA=\(name) is not one of \(known); the notebooks run as without it"
    }
    guard cspawn_cpu_runs(name.lowercased()) == 1 else {
      return "NEURAL_ISA=\(name): this CPU does not run it; the notebooks run as without it"
    }
    return nil
  }
}
