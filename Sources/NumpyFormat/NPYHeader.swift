// The .npy header: the dictionary literal that says the dtype, the memory order and the shape,
// how to read it tolerantly and how to write it byte-for-byte as numpy does.

/// The contents of an `.npy` header dictionary.
struct NPYHeader: Equatable {
  /// The dtype string, such as `<f4` or `|O`.
  var descr: String
  /// True when the data is stored in Fortran (column-major) order.
  var fortranOrder: Bool
  /// The array's shape; `[]` for a 0-d array.
  var shape: [Int]

  /// numpy refuses headers longer than this by default (`max_header_size`), as a guard against
  /// hostile files; so do we.
  static let maxLength = 10_000

  /// numpy leaves room after the dictionary so the first dimension can grow to this many digits
  /// without rewriting the file (`GROWTH_AXIS_MAX_DIGITS`).
  static let growthAxisMaxDigits = 21

  init(descr: String, fortranOrder: Bool, shape: [Int]) {
    self.descr = descr
    self.fortranOrder = fortranOrder
    self.shape = shape
  }

  /// Parses a header such as `{'descr': '<f4', 'fortran_order': False, 'shape': (50, 2), }`.
  /// Keys may come in any order, whitespace is free, extra keys are ignored.
  init(parsing text: String) throws {
    func malformed(_ reason: String) -> NumpyFormatError {
      .malformedHeader(header: NPYHeader.quoted(text), reason: reason)
    }
    let literal: PythonLiteral
    do {
      literal = try PythonLiteral.parse(text)
    } catch {
      throw malformed(error.message)
    }
    guard case .dict(let items) = literal else { throw malformed("not a dictionary") }
    func value(_ key: String) throws -> PythonLiteral {
      guard let item = items.last(where: { $0.key == .string(key) }) else { throw malformed("no '\(key)' key") }
      return item.value
    }
    switch try value("descr") {
    case .string(let descr): self.descr = descr
    case let other: throw NumpyFormatError.unsupportedDType(descr: other.description)
    }
    guard case .bool(let fortranOrder) = try value("fortran_order") else {
      throw malformed("'fortran_order' is not True or False")
    }
    self.fortranOrder = fortranOrder
    guard case .tuple(let dimensions) = try value("shape") else { throw malformed("'shape' is not a tuple") }
    self.shape = try dimensions.map { dimension in
      guard case .int(let n) = dimension, n >= 0 else {
        throw malformed("'shape' holds \(dimension), not a non-negative integer")
      }
      return n
    }
  }

  /// The dictionary exactly as numpy writes it, followed by numpy's growth padding (but not the
  /// alignment padding and final newline, which depend on the format version).
  var text: String {
    let shapeText = shapeString(shape)
    var text =
      "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
    if let growing = fortranOrder ? shape.last : shape.first {
      text += String(repeating: " ", count: max(0, NPYHeader.growthAxisMaxDigits - String(growing).count))
    }
    return text
  }

  /// Headers quoted in error messages are cut short so a hostile file cannot flood the terminal.
  static func quoted(_ text: String) -> String {
    let trimmed = text.trimmingTrailingWhitespace()
    return trimmed.count <= 200 ? "\"\(trimmed)\"" : "\"\(trimmed.prefix(200))…\""
  }
}

extension String {
  fileprivate func trimmingTrailingWhitespace() -> String {
    var scalars = Substring(self)
    while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
