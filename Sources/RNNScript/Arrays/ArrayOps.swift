// The namespace of the numeric array operations, and the checks every operation shares: element
// counts (with overflow detection, before anything is allocated), axes, and row-major strides.

/// Numeric array operations with numpy's semantics (broadcasting, indexing, reductions, shapes,
/// creation, matrix products) on `ArrayValue`. Every function checks its input and throws
/// `ArrayError` instead of trapping.
public enum ArrayOps {
  /// The most elements any array made here may have (800 MB of Double).
  public static let maximumElements = 100_000_000

  /// The number of elements of `shape`: throws for negative dimensions, for a product that overflows
  /// and for more than `maximumElements`.
  public static func elementCount(_ shape: [Int]) throws(ArrayError) -> Int {
    let nonzero = try validate(shape)
    if shape.contains(0) { return 0 }
    if nonzero > maximumElements { throw .tooLarge(elements: nonzero, limit: maximumElements) }
    return nonzero
  }

  /// Checks that `shape` has no negative dimension and that the product of its nonzero dimensions
  /// fits in an Int (so every partial product of it does too); returns that product. Operations
  /// call this on their inputs before computing sizes from them.
  @discardableResult
  static func validate(_ shape: [Int]) throws(ArrayError) -> Int {
    if let negative = shape.first(where: { $0 < 0 }) {
      throw .invalidArgument("negative dimensions are not allowed (got \(negative) in \(Format.shape(shape)))")
    }
    var count = 1
    for d in shape where d != 0 {
      let (product, overflow) = count.multipliedReportingOverflow(by: d)
      if overflow { throw .sizeOverflow(shape: shape) }
      count = product
    }
    return count
  }

  /// `axis` (which may be negative, numpy style) as an index into `0..<dimensions`.
  static func normalizedAxis(_ axis: Int, dimensions: Int) throws(ArrayError) -> Int {
    guard axis >= -dimensions && axis < dimensions else { throw .invalidAxis(axis: axis, dimensions: dimensions) }
    return axis < 0 ? axis + dimensions : axis
  }

  /// Row-major (C order) strides, in elements, of an array of `shape`.
  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for d in shape.indices.reversed() {
      strides[d] = step
      step &*= Swift.max(shape[d], 1)
    }
    return strides
  }
}
