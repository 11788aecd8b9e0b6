// The element types numpy arrays can have here, and their `descr` strings ('<f4', '|b1', '|O', ...).

/// The element type of a ``NumpyArray``.
///
/// Numeric types are stored little-endian. An `object` array (numpy `|O`) holds a single pickled Python
/// object, which is carried in the dtype itself.
public enum NumpyDType: Hashable, Sendable {
  /// One byte per element, 0 or 1 (`|b1`); Swift `Bool`.
  case bool
  /// Signed integers (`|i1`, `<i2`, `<i4`, `<i8`); Swift `Int8` ... `Int64`.
  case int8, int16, int32, int64
  /// Unsigned integers (`|u1`, `<u2`, `<u4`, `<u8`); Swift `UInt8` ... `UInt64`.
  case uint8, uint16, uint32, uint64
  /// IEEE floating point (`<f4`, `<f8`); Swift `Float` and `Double`.
  case float32, float64
  /// A numpy object array's single element (`descr` `|O`).
  case object(PickledObject)

  /// All numeric dtypes, for tests and iteration.
  public static let numericTypes: [NumpyDType] = [
    .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64,
  ]

  /// Bytes per element. Object arrays store no element bytes of their own, so this is 0 for them.
  public var itemSize: Int {
    switch self {
    case .bool, .int8, .uint8: return 1
    case .int16, .uint16: return 2
    case .int32, .uint32, .float32: return 4
    case .int64, .uint64, .float64: return 8
    case .object: return 0
    }
  }

  /// The `descr` numpy writes for this dtype in an `.npy` header: `<f4`, `|u1`, `|b1`, `|O`, ...
  public var descr: String {
    switch self {
    case .bool: return "|b1"
    case .int8: return "|i1"
    case .uint8: return "|u1"
    case .int16: return "<i2"
    case .int32: return "<i4"
    case .int64: return "<i8"
    case .uint16: return "<u2"
    case .uint32: return "<u4"
    case .uint64: return "<u8"
    case .float32: return "<f4"
    case .float64: return "<f8"
    case .object: return "|O"
    }
  }

  /// True for every dtype except `object`.
  public var isNumeric: Bool {
    if case .object = self { return false }
    return true
  }
}

/// What an `.npy` header's `descr` string describes.
enum ParsedDescr: Equatable {
  /// A numeric type, and whether its bytes are stored big-endian.
  case numeric(NumpyDType, bigEndian: Bool)
  /// A pickled Python object (`|O`).
  case object

  /// Parses a descr such as `<f4`, `>i8`, `|b1`, `=u2`, `f8`, `?` or `|O`.
  init(_ descr: String) throws {
    var rest = Substring(descr)
    var bigEndian = false
    if let first = rest.first, "<>|=".contains(first) {
      bigEndian = first == ">"
      rest = rest.dropFirst()
    }
    if rest == "O" || rest == "O8" {
      self = .object
    } else if let dtype = ParsedDescr.numericCodes[String(rest)] {
      self = .numeric(dtype, bigEndian: bigEndian)
    } else {
      throw NumpyFormatError.unsupportedDType(descr: descr)
    }
  }

  /// Numeric type codes, as they follow the byte-order character.
  private static let numericCodes: [String: NumpyDType] = [
    "b1": .bool, "?": .bool,
    "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
    "u1": .uint8, "u2": .uint16, "u4": .uint32, "u8": .uint64,
    "f4": .float32, "f8": .float64,
  ]
}
