// The matrix product's fast path: packed panels and a register-tiled micro-kernel.
//
// Exact: every element is still `cᵢⱼ = ((0 + aᵢ₀b₀ⱼ) + aᵢ₁b₁ⱼ) + …` with the products added one at a
// time in the order p = 0, 1, …, k−1, as the simple loops in `Matrix.product` add them, and a
// multiply and an add are two roundings (Swift never contracts them into an FMA). Tiling only changes
// which elements are computed side by side, and blocking over k stores and reloads the partial sum
// exactly, so the result has the same bits as the simple loops on every machine. (The simple loop
// for `A·B` skips a zero aᵢₚ; adding the product ±0 instead changes nothing, since a sum that starts
// at +0 never becomes −0; only an infinite or NaN b would differ, giving NaN where it was skipped.)

extension Matrix {
  /// Products with fewer multiply-adds than this take the simple loops (packing would not pay).
  static let tiledThreshold = 512
  /// Rows of C per micro-tile.
  @usableFromInline static let tileRows = 4
  /// Columns of C per micro-tile (one `SIMD4<Double>` per row).
  @usableFromInline static let tileCols = 4
  /// Depth of one block of k: a packed panel of B is `kBlock × 4` doubles (8 KiB), one of A the same.
  static let kBlock = 256
  /// Rows of A packed at once: `rowBlock × kBlock` doubles (256 KiB) stay in L2 while B's panels stream.
  static let rowBlock = 128

  /// `C = op(A)·op(B)` for `op(A)` `m × k` with element (i, p) at `a[i·ars + p·acs]`, `op(B)` `k × n`
  /// with (p, j) at `b[p·brs + j·bcs]`, into `c` (`m × n`, row-major, zero on entry).
  ///
  /// - Complexity: m·k·n multiply-adds, plus O(m·k + k·n) to pack; two scratch buffers of at most
  ///   `rowBlock·kBlock + kBlock·roundUp(n, 4)` doubles.
  static func tiledProduct(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Double>, ars: Int, acs: Int,
    b: UnsafePointer<Double>, brs: Int, bcs: Int,
    c: UnsafeMutablePointer<Double>
  ) {
    let nr = tileCols
    let mr = tileRows
    let nPanels = (n + nr - 1) / nr
    let kc = min(k, kBlock)
    let packedB = UnsafeMutablePointer<Double>.allocate(capacity: kc * nPanels * nr)
    defer { packedB.deallocate() }
    let mcMax = min(rowBlock, (m + mr - 1) / mr * mr)
    let packedA = UnsafeMutablePointer<Double>.allocate(capacity: kc * mcMax)
    defer { packedA.deallocate() }
    // One tile of C for the edges, where the tile hangs over the matrix.
    let edge = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: mr)
    defer { edge.deallocate() }

    var p0 = 0
    while p0 < k {
      let kb = min(kc, k - p0)
      // Pack B[p0..<p0+kb, :] as panels of 4 columns: panel q holds rows p, 4 values each.
      for q in 0..<nPanels {
        let j0 = q * nr
        let dst = packedB + q * kb * nr
        for p in 0..<kb {
          let row = b + (p0 + p) * brs
          for t in 0..<nr {
            let j = j0 + t
            dst[p * nr + t] = j < n ? row[j * bcs] : 0
          }
        }
      }
      var i0 = 0
      while i0 < m {
        let mb = min(mcMax, m - i0)
        let aPanels = (mb + mr - 1) / mr
        // Pack A[i0..<i0+mb, p0..<p0+kb] as panels of 4 rows: panel r holds, for each p, 4 values.
        for r in 0..<aPanels {
          let dst = packedA + r * kb * mr
          for t in 0..<mr {
            let i = i0 + r * mr + t
            if i < m {
              let row = a + i * ars + p0 * acs
              for p in 0..<kb { dst[p * mr + t] = row[p * acs] }
            } else {
              for p in 0..<kb { dst[p * mr + t] = 0 }
            }
          }
        }
        for q in 0..<nPanels {
          let j0 = q * nr
          let bPanel = UnsafePointer(packedB + q * kb * nr)
          for r in 0..<aPanels {
            let ti = i0 + r * mr
            let aPanel = UnsafePointer(packedA + r * kb * mr)
            let full = ti + mr <= m && j0 + nr <= n
            if full {
              microKernel(kb, aPanel, bPanel, c + ti * n + j0, n, first: p0 == 0)
            } else {
              // Load the hanging tile into `edge`, run the same kernel on it, store what fits.
              let rows = min(mr, m - ti)
              let cols = min(nr, n - j0)
              let e = UnsafeMutableRawPointer(edge).assumingMemoryBound(to: Double.self)
              for t in 0..<(mr * nr) { e[t] = 0 }
              for x in 0..<rows {
                for y in 0..<cols { e[x * nr + y] = c[(ti + x) * n + j0 + y] }
              }
              microKernel(kb, aPanel, bPanel, e, nr, first: p0 == 0)
              for x in 0..<rows {
                for y in 0..<cols { c[(ti + x) * n + j0 + y] = e[x * nr + y] }
              }
            }
          }
        }
        i0 += mb
      }
      p0 += kb
    }
  }

  /// C[0..<4, 0..<4] (row stride `ldc`) += Σₚ a[p]ᵀ b[p], p in order; `first`: C starts at zero.
  @inline(__always)
  static func microKernel(
    _ kb: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
    _ ldc: Int, first: Bool
  ) {
    let raw = UnsafeRawPointer(b)
    var c0 = SIMD4<Double>()
    var c1 = SIMD4<Double>()
    var c2 = SIMD4<Double>()
    var c3 = SIMD4<Double>()
    if !first {
      c0 = UnsafeRawPointer(c).loadUnaligned(as: SIMD4<Double>.self)
      c1 = UnsafeRawPointer(c + ldc).loadUnaligned(as: SIMD4<Double>.self)
      c2 = UnsafeRawPointer(c + 2 * ldc).loadUnaligned(as: SIMD4<Double>.self)
      c3 = UnsafeRawPointer(c + 3 * ldc).loadUnaligned(as: SIMD4<Double>.self)
    }
    for p in 0..<kb {
      let bp = raw.loadUnaligned(fromByteOffset: p * 32, as: SIMD4<Double>.self)
      let ap = a + p * 4
      c0 += SIMD4(repeating: ap[0]) * bp
      c1 += SIMD4(repeating: ap[1]) * bp
      c2 += SIMD4(repeating: ap[2]) * bp
      c3 += SIMD4(repeating: ap[3]) * bp
    }
    UnsafeMutableRawPointer(c).storeBytes(of: c0, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + ldc).storeBytes(of: c1, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + 2 * ldc).storeBytes(of: c2, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + 3 * ldc).storeBytes(of: c3, as: SIMD4<Double>.self)
  }
}
