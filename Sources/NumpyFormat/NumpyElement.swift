// The Swift types that can be the elements of a numeric NumpyArray, and how each maps to bytes.

/// A Swift scalar type that a numeric ``NumpyArray`` can hold: `Bool`, the fixed-width integers,
/// `Float` and `Double`.
///
/// Each element is stored as the little-endian bytes of ``numpyBits``, an unsigned integer of the same width.
public protocol NumpyElement: Sendable {
  /// The unsigned integer type with the same width as this type.
  associatedtype Bits: FixedWidthInteger & UnsignedInteger
  /// The dtype of arrays holding this type.
  static var numpyDType: NumpyDType { get }
  /// The value's bit pattern.
  var numpyBits: Bits { get }
  /// Recreates a value from its bit pattern.
  init(numpyBits: Bits)
}

extension Bool: NumpyElement {
  public static var numpyDType: NumpyDType { .bool }
  public var numpyBits: UInt8 { self ? 1 : 0 }
  /// numpy treats any nonzero byte as True.
  public init(numpyBits: UInt8) { self = numpyBits != 0 }
}

extension Float: NumpyElement {
  public static var numpyDType: NumpyDType { .float32 }
  public var numpyBits: UInt32 { bitPattern }
  public init(numpyBits: UInt32) { self.init(bitPattern: numpyBits) }
}

extension Double: NumpyElement {
  public static var numpyDType: NumpyDType { .float64 }
  public var numpyBits: UInt64 { bitPattern }
  public init(numpyBits: UInt64) { self.init(bitPattern: numpyBits) }
}

extension Int8: NumpyElement {
  public static var numpyDType: NumpyDType { .int8 }
  public var numpyBits: UInt8 { UInt8(bitPattern: self) }
  public init(numpyBits: UInt8) { self.init(bitPattern: numpyBits) }
}

extension Int16: NumpyElement {
  public static var numpyDType: NumpyDType { .int16 }
  public var numpyBits: UInt16 { UInt16(bitPattern: self) }
  public init(numpyBits: UInt16) { self.init(bitPattern: numpyBits) }
}

extension Int32: NumpyElement {
  public static var numpyDType: NumpyDType { .int32 }
  public var numpyBits: UInt32 { UInt32(bitPattern: self) }
  public init(numpyBits: UInt32) { self.init(bitPattern: numpyBits) }
}

extension Int64: NumpyElement {
  public static var numpyDType: NumpyDType { .int64 }
  public var numpyBits: UInt64 { UInt64(bitPattern: self) }
  public init(numpyBits: UInt64) { self.init(bitPattern: numpyBits) }
}

extension UInt8: NumpyElement {
  public static var numpyDType: NumpyDType { .uint8 }
  public var numpyBits: UInt8 { self }
  public init(numpyBits: UInt8) { self = numpyBits }
}

extension UInt16: NumpyElement {
  public static var numpyDType: NumpyDType { .uint16 }
  public var numpyBits: UInt16 { self }
  public init(numpyBits: UInt16) { self = numpyBits }
}

extension UInt32: NumpyElement {
  public static var numpyDType: NumpyDType { .uint32 }
  public var numpyBits: UInt32 { self }
  public init(numpyBits: UInt32) { self = numpyBits }
}

extension UInt64: NumpyElement {
  public static var numpyDType: NumpyDType { .uint64 }
  public var numpyBits: UInt64 { self }
  public init(numpyBits: UInt64) { self = numpyBits }
}
