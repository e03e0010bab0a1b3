#if canImport(Glibc)
  /// glibc's `int mallopt(int param, int value)` from <malloc.h>, which the Glibc module does not export.
  @_silgen_name("mallopt") private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32
  private let M_TRIM_THRESHOLD: Int32 = -1
  private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// glibc's malloc, left at its defaults, hands every freed block of 128 KiB or more back to the
/// kernel and maps fresh zeroed pages for the next one. A training step allocates and frees the
/// same few layer-sized matrices again and again, so a run spent up to a third of its time in page
/// faults (perf, W6: 2.1 s of 7.6 s in the kernel). Raising the two thresholds once keeps those
/// blocks in the heap for reuse. It changes where memory comes from, never a computed value; the
/// process keeps at most 64 MiB of freed memory instead of returning it.
enum AllocatorTuning {
  static let applied: Bool = {
    #if canImport(Glibc)
      _ = glibcMallopt(M_MMAP_THRESHOLD, 32 << 20)
      _ = glibcMallopt(M_TRIM_THRESHOLD, 64 << 20)
    #endif
    return true
  }()
}
