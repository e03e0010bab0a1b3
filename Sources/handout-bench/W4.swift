// W4 waits for HandoutKit's `decisionBoundary(network:data:…) -> Figure`; until it lands this
// workload reports itself unavailable (exit 3) and bench/run.py prints the row as pending.

import Foundation
import HandoutKit

func w4(_ arguments: [String]) throws {
  FileHandle.standardError.write("handout-bench: w4 needs HandoutKit.decisionBoundary (not in this build)\n".data(using: .utf8)!)
  exit(3)
}
