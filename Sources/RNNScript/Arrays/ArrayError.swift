// What can go wrong in an array operation, as typed cases the evaluator can locate and show.
// Every case has a `message`: one sentence a user can act on, with shapes and numbers written as
// numpy writes them (Format.shape, Format.number).

/// An error from an array operation (`ArrayOps`). Operations never trap on user input: every size,
/// axis and index is checked and reported as one of these.
public enum ArrayError: Error, Equatable, Sendable {
  /// Two (or three) shapes that cannot be broadcast together, in `operation` ("add", "where", "assignment"…).
  case shapesDoNotBroadcast(operation: String, [Int], [Int])
  /// An integer index outside `-size..<size` on `axis`.
  case indexOutOfRange(index: Int, axis: Int, size: Int)
  /// More indices than the array has dimensions.
  case tooManyIndices(given: Int, dimensions: Int)
  /// An axis outside `-dimensions..<dimensions`.
  case invalidAxis(axis: Int, dimensions: Int)
  /// An argument that makes no sense for the operation (the text says which and why).
  case invalidArgument(String)
  /// A result with more elements than `ArrayOps.maximumElements`.
  case tooLarge(elements: Int, limit: Int)
  /// A shape whose product of dimensions does not fit in an Int.
  case sizeOverflow(shape: [Int])
  /// A boolean mask whose shape does not match the axes it indexes.
  case maskShapeMismatch(mask: [Int], array: [Int], axis: Int)
  /// `reshape` to a shape with a different number of elements.
  case cannotReshape(from: [Int], to: [Int])
  /// Arrays joined by `concatenate` or `stack` whose shapes disagree.
  case shapesDoNotMatch(operation: String, [Int], [Int])
  /// A reduction with no identity (min, max, argmin, argmax) over zero elements.
  case emptyReduction(operation: String)
  /// `matmul` operands whose inner dimensions differ (or that have no dimensions).
  case matmulMismatch([Int], [Int])

  /// A user-facing sentence describing the error.
  public var message: String {
    switch self {
    case .shapesDoNotBroadcast(let operation, let a, let b):
      return "\(operation): shapes \(Format.shape(a)) and \(Format.shape(b)) cannot be broadcast together"
    case .indexOutOfRange(let index, let axis, let size):
      return "index \(index) is out of bounds for axis \(axis) with size \(size)"
    case .tooManyIndices(let given, let dimensions):
      return "too many indices: the array has \(dimensions) dimension\(dimensions == 1 ? "" : "s") but \(given) were indexed"
    case .invalidAxis(let axis, let dimensions):
      return "axis \(axis) is out of bounds for an array of dimension \(dimensions)"
    case .invalidArgument(let text):
      return text
    case .tooLarge(let elements, let limit):
      return
        "the result would have \(Format.number(Double(elements))) elements, more than the limit of \(Format.number(Double(limit)))"
    case .sizeOverflow(let shape):
      return "an array of shape \(Format.shape(shape)) would have too many elements to count"
    case .maskShapeMismatch(let mask, let array, let axis):
      return
        "boolean index of shape \(Format.shape(mask)) does not match the indexed array of shape \(Format.shape(array)) at axis \(axis)"
    case .cannotReshape(let from, let to):
      let count = from.reduce(1, &*)
      return "cannot reshape an array of size \(count) (shape \(Format.shape(from))) into shape \(Format.shape(to))"
    case .shapesDoNotMatch(let operation, let a, let b):
      return "\(operation): array shapes \(Format.shape(a)) and \(Format.shape(b)) do not match"
    case .emptyReduction(let operation):
      return "\(operation) of an empty array is undefined (there is no identity)"
    case .matmulMismatch(let a, let b):
      if a.isEmpty || b.isEmpty { return "matmul: a 0-d array (scalar) cannot be matrix-multiplied; use *" }
      let k = a.count == 1 ? a[0] : a[a.count - 1]
      let kb = b.count == 1 ? b[0] : b[b.count - 2]
      return "matmul: shapes \(Format.shape(a)) and \(Format.shape(b)) do not align (\(k) ≠ \(kb) in the inner dimension)"
    }
  }
}

extension ArrayError: CustomStringConvertible {
  public var description: String { message }
}
