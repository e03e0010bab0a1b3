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
  /// Products with fewer multiply-adds than this take the simple loops (tiles would not pay).
  static let tiledThreshold = 512
  /// Rows of C per micro-tile.
  @usableFromInline static let tileRows = 4
  /// Columns of C per micro-tile (one `SIMD4<Double>` per row).
  @usableFromInline static let tileCols = 4
  /// Depth of one block of k: a panel of B is at most `kBlock × 4` doubles (8 KiB).
  static let kBlock = 256
  /// Rows of A visited per pass over B's panels: `rowBlock × kBlock` doubles (256 KiB) stay in L2.
  static let rowBlock = 128
  /// Row strides up to this many doubles are read in place rather than packed.
  static let inPlaceStride = 32

  /// `C = op(A)·op(B)` for `op(A)` `m × k` with element (i, p) at `a[i·ars + p·acs]`, `op(B)` `k × n`
  /// with (p, j) at `b[p·brs + j·bcs]`, into `c` (`m × n`, row-major; every element is written, and
  /// none is read before it has been).
  ///
  /// Panels are packed (copied so the micro-kernel reads them contiguously) where that pays: a
  /// layer-sized A or B with long rows is read with strides of kilobytes that defeat the caches.
  /// Narrow ones (rows of at most `inPlaceStride` doubles, as in a 16-unit layer, or a transposed A,
  /// whose four tile rows sit side by side) are read where they lie: packing them cost as much as
  /// the product itself. Tiles hanging over the bottom edge of A are always packed (zero-padded).
  ///
  /// - Complexity: m·k·n multiply-adds, plus O(m·k + k·n) to pack; scratch of at most
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
    let mcMax = min(rowBlock, (m + mr - 1) / mr * mr)
    let packAll = !(ars == 1 || (acs == 1 && ars <= inPlaceStride))
    let bInPlace = bcs == 1 && brs <= inPlaceStride
    let packedB = UnsafeMutablePointer<Double>.allocate(capacity: kc * nPanels * nr)
    defer { packedB.deallocate() }
    let packedA = UnsafeMutablePointer<Double>.allocate(capacity: kc * (packAll ? mcMax : mr))
    defer { packedA.deallocate() }
    // One tile of C for the edges, where the tile hangs over the matrix.
    let edge = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: mr)
    defer { edge.deallocate() }
    let e = UnsafeMutableRawPointer(edge).assumingMemoryBound(to: Double.self)

    /// Copies rows `i..<i+4` of A (zero past m), columns `p0..<p0+kb`, to `dst` as `dst[p·4 + t]`.
    func packTile(_ i: Int, _ p0: Int, _ kb: Int, _ dst: UnsafeMutablePointer<Double>) {
      for t in 0..<mr {
        if i + t < m {
          let row = a + (i + t) * ars + p0 * acs
          for p in 0..<kb { dst[p * mr + t] = row[p * acs] }
        } else {
          for p in 0..<kb { dst[p * mr + t] = 0 }
        }
      }
    }

    var p0 = 0
    while p0 < k {
      let kb = min(kc, k - p0)
      let first = p0 == 0
      // B panel q: (p0 + p, j0 + t) at panel[p · bStride + t], in place or packed.
      var panels: [(UnsafePointer<Double>, Int)] = []
      panels.reserveCapacity(nPanels)
      var packFrom = nPanels  // panels q ≥ packFrom are packed
      for q in 0..<nPanels {
        let j0 = q * nr
        if bInPlace && j0 + nr <= n {
          panels.append((b + p0 * brs + j0, brs))
        } else {
          packFrom = min(packFrom, q)
          panels.append((UnsafePointer(packedB + q * kb * nr), nr))
        }
      }
      if packFrom < nPanels {
        // Row by row of B (each row read once, in order), into the panels' columns.
        for p in 0..<kb {
          let row = b + (p0 + p) * brs
          for j in (packFrom * nr)..<(nPanels * nr) {
            let (q, t) = (j / nr, j % nr)
            packedB[q * kb * nr + p * nr + t] = j < n ? row[j * bcs] : 0
          }
        }
      }
      var i0 = 0
      while i0 < m {
        let mb = min(mcMax, m - i0)
        let aTiles = (mb + mr - 1) / mr
        if packAll {
          for r in 0..<aTiles { packTile(i0 + r * mr, p0, kb, packedA + r * kb * mr) }
        }
        for q in 0..<nPanels {
          let j0 = q * nr
          let (bPanel, bStride) = panels[q]
          for r in 0..<aTiles {
            let ti = i0 + r * mr
            let rows = min(mr, m - ti)
            let cols = min(nr, n - j0)
            // A tile: (ti + t, p0 + p) at aTile[p · aps + t · ats].
            var (aTile, aps, ats) = (a + ti * ars + p0 * acs, acs, ars)
            if packAll {
              (aTile, aps, ats) = (UnsafePointer(packedA + r * kb * mr), mr, 1)
            } else if rows < mr {
              packTile(ti, p0, kb, packedA)
              (aTile, aps, ats) = (UnsafePointer(packedA), mr, 1)
            }
            if rows == mr && cols == nr {
              microKernel(kb, aTile, aps, ats, bPanel, bStride, c + ti * n + j0, n, first: first)
            } else {
              // Load the hanging tile into `edge`, run the same kernel on it, store what fits.
              for t in 0..<(mr * nr) { e[t] = 0 }
              if !first {  // (on the first block C is not initialised yet, and not read)
                for x in 0..<rows {
                  for y in 0..<cols { e[x * nr + y] = c[(ti + x) * n + j0 + y] }
                }
              }
              microKernel(kb, aTile, aps, ats, bPanel, bStride, e, nr, first: first)
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

  /// C[0..<4, 0..<4] (row stride `ldc`) += Σₚ A[0..<4, p] B[p, 0..<4], p in order, with A's
  /// (t, p) at `a[p·aps + t·ats]` and B's row p at `b + p·bStride`; `first`: C starts at zero.
  @inline(__always)
  static func microKernel(
    _ kb: Int, _ a: UnsafePointer<Double>, _ aps: Int, _ ats: Int, _ b: UnsafePointer<Double>,
    _ bStride: Int, _ c: UnsafeMutablePointer<Double>, _ ldc: Int, first: Bool
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
    // Pointers step along k (no index arithmetic, and so no overflow checks, in the loop).
    var (ap, bp) = (a, raw)
    let (o1, o2, o3, bStep) = (ats, ats &* 2, ats &* 3, bStride &* 8)
    for _ in 0..<kb {
      let bv = bp.loadUnaligned(as: SIMD4<Double>.self)
      c0 += SIMD4(repeating: ap[0]) * bv
      c1 += SIMD4(repeating: ap[o1]) * bv
      c2 += SIMD4(repeating: ap[o2]) * bv
      c3 += SIMD4(repeating: ap[o3]) * bv
      ap += aps
      bp += bStep
    }
    UnsafeMutableRawPointer(c).storeBytes(of: c0, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + ldc).storeBytes(of: c1, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + 2 * ldc).storeBytes(of: c2, as: SIMD4<Double>.self)
    UnsafeMutableRawPointer(c + 3 * ldc).storeBytes(of: c3, as: SIMD4<Double>.self)
  }

  /// `c = op(A)·b` for `op(A)` `m × k` ((i, p) at `a[i·ars + p·acs]`) and `b` with element p at
  /// `b[p·bs]`: each `cᵢ` summed in the order p = 0…k−1 like the other loops, four rows side by side
  /// (four independent sums keep the adder busy), or for a transposed A (`ars == 1`) a whole
  /// contiguous column of A at a time.
  static func matrixVector(
    m: Int, k: Int, a: UnsafePointer<Double>, ars: Int, acs: Int, b: UnsafePointer<Double>, bs: Int,
    c: UnsafeMutablePointer<Double>
  ) {
    if ars == 1 {
      for i in 0..<m { c[i] = 0 }
      for p in 0..<k {
        let (column, bp) = (a + p * acs, b[p * bs])
        for i in 0..<m { c[i] += column[i] * bp }
      }
      return
    }
    var i = 0
    while i + 4 <= m {
      let (r0, r1, r2, r3) = (a + i * ars, a + (i + 1) * ars, a + (i + 2) * ars, a + (i + 3) * ars)
      var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
      for p in 0..<k {
        let (o, bp) = (p * acs, b[p * bs])
        s0 += r0[o] * bp
        s1 += r1[o] * bp
        s2 += r2[o] * bp
        s3 += r3[o] * bp
      }
      (c[i], c[i + 1], c[i + 2], c[i + 3]) = (s0, s1, s2, s3)
      i += 4
    }
    while i < m {
      var s = 0.0
      for p in 0..<k { s += a[i * ars + p * acs] * b[p * bs] }
      c[i] = s
      i += 1
    }
  }
}
