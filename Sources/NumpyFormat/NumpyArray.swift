// An n-dimensional numpy array as read from or written to .npy: a shape, a dtype and raw element bytes.

/// A numpy array: a shape, an element type and the elements' bytes in C (row-major) order.
///
/// Numeric elements are kept as little-endian bytes exactly as they appear in a little-endian `.npy` file;
/// use ``values(as:)``, ``asDoubles()`` or ``asFloats()`` to get Swift numbers. An object array (dtype
/// ``NumpyDType/object(_:)``) holds exactly one Python object, carried in its dtype, and no element bytes.
///
/// ```swift
/// let w = NumpyArray(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6])
/// w.shape            // [2, 3]
/// try w.asDoubles()  // [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
/// ```
public struct NumpyArray: Equatable, Sendable, CustomStringConvertible {
  /// The size of each dimension; `[]` for a 0-d (scalar) array.
  public let shape: [Int]
  /// The element type.
  public let dtype: NumpyDType
  /// The elements' little-endian bytes in C order (`count * dtype.itemSize` bytes; empty for object arrays).
  public let bytes: [UInt8]

  /// Creates an array from raw little-endian C-order bytes.
  ///
  /// Throws ``NumpyFormatError/sizeMismatch(shape:expectedBytes:actualBytes:)`` when `bytes` does not hold
  /// exactly the elements `shape` requires (for an object array: when `shape` does not hold one element,
  /// or `bytes` is not empty).
  public init(shape: [Int], dtype: NumpyDType, bytes: [UInt8]) throws {
    guard let count = NumpyArray.elementCount(shape) else { throw NumpyFormatError.invalidShape(shape) }
    if case .object = dtype, count != 1 {
      throw NumpyFormatError.unsupportedPickle(
        "object arrays must hold exactly one element, shape is "
          + shapeString(shape))
    }
    let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
    guard !overflow, expected == bytes.count else {
      throw NumpyFormatError.sizeMismatch(
        shape: shape, expectedBytes: overflow ? Int.max : expected,
        actualBytes: bytes.count)
    }
    self.shape = shape
    self.dtype = dtype
    self.bytes = bytes
  }

  /// Creates a numeric array from values in C order. `values.count` must equal the product of `shape`.
  public init<T: NumpyElement>(shape: [Int], values: [T]) {
    precondition(
      NumpyArray.elementCount(shape) == values.count,
      "shape \(shapeString(shape)) does not hold \(values.count) values")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * MemoryLayout<T.Bits>.size)
    for value in values { bytes.appendLE(value.numpyBits) }
    self.shape = shape
    self.dtype = T.numpyDType
    self.bytes = bytes
  }

  /// Creates a float32 (`<f4`) array. `float32.count` must equal the product of `shape`.
  public init(shape: [Int], float32: [Float]) {
    self.init(shape: shape, values: float32)
  }

  /// Creates a float64 (`<f8`) array. `float64.count` must equal the product of `shape`.
  public init(shape: [Int], float64: [Double]) {
    self.init(shape: shape, values: float64)
  }

  /// Creates a 0-d object array (numpy `|O`) holding one Python object, as PsychRNN stores
  /// `dale_ratio = None` or its `transfer_function`.
  public init(object: PickledObject) {
    self.shape = []
    self.dtype = .object(object)
    self.bytes = []
  }

  /// The number of elements: the product of `shape` (1 for a 0-d array).
  public var count: Int { NumpyArray.elementCount(shape) ?? 0 }

  /// The object held by an object array, or `nil` for a numeric array.
  public var object: PickledObject? {
    if case .object(let object) = dtype { return object }
    return nil
  }

  /// The value of a 0-d numeric array as a `Double`; `nil` for object arrays and arrays with dimensions.
  public var scalar: Double? {
    guard shape.isEmpty, dtype.isNumeric else { return nil }
    return try? asDoubles().first
  }

  /// The elements as `T`, in C order, if the dtype is exactly `T`'s; otherwise `nil`.
  public func values<T: NumpyElement>(as type: T.Type = T.self) -> [T]? {
    guard dtype == T.numpyDType else { return nil }
    return elements(T.self)
  }

  /// The elements in C order, converted to `Double` from any numeric dtype (bool gives 0 or 1).
  /// Throws ``NumpyFormatError/notNumeric(descr:)`` for an object array.
  public func asDoubles() throws -> [Double] { try converted() }

  /// The elements in C order, converted to `Float` from any numeric dtype (bool gives 0 or 1).
  /// Throws ``NumpyFormatError/notNumeric(descr:)`` for an object array.
  public func asFloats() throws -> [Float] { try converted() }

  public var description: String { "NumpyArray(\(dtype.descr), shape \(shapeString(shape)))" }

  /// The product of the dimensions, or `nil` if one is negative or the product overflows `Int`.
  static func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      if overflow { return nil }
      count = product
    }
    return count
  }

  /// Decodes the bytes as elements of type `T` (the caller has checked the dtype).
  private func elements<T: NumpyElement>(_: T.Type) -> [T] {
    let size = MemoryLayout<T.Bits>.size
    return bytes.withUnsafeBytes { raw in
      (0..<bytes.count / size).map { i in
        T(numpyBits: T.Bits(littleEndian: raw.loadUnaligned(fromByteOffset: i * size, as: T.Bits.self)))
      }
    }
  }

  /// The elements converted to a floating-point type `R`.
  private func converted<R: BinaryFloatingPoint>() throws -> [R] {
    switch dtype {
    case .bool: return elements(Bool.self).map { $0 ? 1 : 0 }
    case .int8: return elements(Int8.self).map { R($0) }
    case .int16: return elements(Int16.self).map { R($0) }
    case .int32: return elements(Int32.self).map { R($0) }
    case .int64: return elements(Int64.self).map { R($0) }
    case .uint8: return elements(UInt8.self).map { R($0) }
    case .uint16: return elements(UInt16.self).map { R($0) }
    case .uint32: return elements(UInt32.self).map { R($0) }
    case .uint64: return elements(UInt64.self).map { R($0) }
    case .float32: return elements(Float.self).map { R($0) }
    case .float64: return elements(Double.self).map { R($0) }
    case .object: throw NumpyFormatError.notNumeric(descr: dtype.descr)
    }
  }
}

/// Formats a shape the way Python prints a tuple: `()`, `(50,)`, `(50, 2)`.
func shapeString(_ shape: [Int]) -> String {
  shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
