// `Collection.map` for notebook code, compiled and specialised here.
//
// A notebook is compiled at `-Onone`, so `(0..<n).map { … }` calls the standard library's generic
// `Collection.map`: `Range<Int>`'s index witnesses and the result array's metadata looked up for
// every element. The lecture's loop (notebook 02) makes 60 000 such calls, ~20 ms of the program's
// main thread (bench/README.md, items 38 and 42). This declaration has the standard library's exact
// signature, so name lookup keeps it and drops the standard library's (a declaration outside the
// standard library shadows one inside it with the same type): the type checker sees the same
// candidates as before, and no expression of any notebook takes longer to check. A concrete
// overload (`Range<Int>.map(_: (Int) -> Double)`) would be one more candidate for every `map`, and
// made an untyped closure such as notebook 01's `(0..<n).map { i in 3 + 2 * x[i] + noise[i] }`
// take 550 ms to check instead of 300.
//
// Same semantics as the standard library's: `transform` is called once per element, in order, and
// its error (typed or not) is rethrown. `MapShadowTests` holds that a notebook calls this one.

extension Collection {
  /// The standard library's `map`, shadowed so that a notebook compiled at `-Onone` calls a body
  /// compiled with optimisation (specialised for the course's common shapes).
  @inlinable
  public func map<T, E>(_ transform: (Element) throws(E) -> T) throws(E) -> [T] {
    if E.self == Never.self {
      // A closure that cannot throw (every one in the course): the specialised body.
      return _handoutMap { (element: Element) -> T in
        do { return try transform(element) } catch { fatalError("a non-throwing closure threw") }
      }
    }
    let n = count
    if n == 0 { return [] }
    var result = ContiguousArray<T>()
    result.reserveCapacity(n)
    var i = startIndex
    for _ in 0..<n {
      result.append(try transform(self[i]))
      formIndex(after: &i)
    }
    return Array(result)
  }

  /// `map` for a closure that does not throw. `@_specialize` makes the generic entry (what a
  /// `-Onone` caller reaches) jump to a specialised body for these types (typed throws cannot be
  /// specialised this way: the compiler crashes, hence the two functions).
  @inlinable
  @_specialize(where Self == Range<Int>, T == Double)
  @_specialize(where Self == [Double], T == Double)
  @_specialize(where Self == Range<Int>, T == Int)
  @_specialize(where Self == ClosedRange<Int>, T == Double)
  @usableFromInline func _handoutMap<T>(_ transform: (Element) -> T) -> [T] {
    let n = count
    if n == 0 { return [] }
    var result = ContiguousArray<T>()
    result.reserveCapacity(n)
    var i = startIndex
    for _ in 0..<n {
      result.append(transform(self[i]))
      formIndex(after: &i)
    }
    return Array(result)
  }
}
