// A tiny parser for the Python literals that appear in .npy headers:
// {'descr': '<f4', 'fortran_order': False, 'shape': (50, 2), }

/// A Python literal value: the subset numpy writes into `.npy` headers.
indirect enum PythonLiteral: Equatable, CustomStringConvertible {
  case string(String)
  case int(Int)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  /// Keys in the order written (numpy's headers only use string keys, but any literal is accepted).
  case dict([DictItem])

  struct DictItem: Equatable {
    var key: PythonLiteral
    var value: PythonLiteral
  }

  /// Python's `repr`-like rendering, used to quote values in error messages.
  var description: String {
    switch self {
    case .string(let s): return "'\(s)'"
    case .int(let n): return "\(n)"
    case .bool(let b): return b ? "True" : "False"
    case .none: return "None"
    case .tuple(let items):
      return items.count == 1 ? "(\(items[0]),)" : "(" + items.map(\.description).joined(separator: ", ") + ")"
    case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .dict(let items): return "{" + items.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }

  /// Parses `text`, which must hold exactly one literal (surrounding whitespace is allowed).
  /// Throws a message describing the first problem; the caller wraps it in an error that quotes the header.
  static func parse(_ text: String) throws(PythonLiteralError) -> PythonLiteral {
    var parser = PythonLiteralParser(text)
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.isAtEnd else { throw parser.error("unexpected text after the literal") }
    return value
  }
}

/// Why a Python literal could not be parsed.
struct PythonLiteralError: Error {
  var message: String
}

/// A recursive-descent parser over the Unicode scalars of a header.
private struct PythonLiteralParser {
  private let scalars: [Unicode.Scalar]
  private var position = 0
  /// Nesting limit, so a hostile header like "((((((((" cannot exhaust the stack: the parser recurses
  /// once per level, and so do the values it builds (`indirect enum`), when compared and when freed.
  /// numpy's headers nest 2 levels (the dictionary and the shape tuple).
  private let maxDepth = 32

  init(_ text: String) { scalars = Array(text.unicodeScalars) }

  var isAtEnd: Bool { position >= scalars.count }

  private var current: Unicode.Scalar? { isAtEnd ? nil : scalars[position] }

  func error(_ message: String) -> PythonLiteralError {
    PythonLiteralError(message: "\(message) at character \(position)")
  }

  mutating func skipWhitespace() {
    while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" { position += 1 }
  }

  mutating func parseValue(depth: Int) throws(PythonLiteralError) -> PythonLiteral {
    guard depth < maxDepth else { throw error("the literal nests deeper than \(maxDepth) levels") }
    skipWhitespace()
    guard let c = current else { throw error("unexpected end of header") }
    switch c {
    case "'", "\"": return .string(try parseString())
    case "(": return try parseTuple(depth: depth)
    case "[": return .list(try parseSequence(closing: "]", depth: depth).items)
    case "{": return try parseDict(depth: depth)
    case "-", "0"..."9": return .int(try parseInt())
    default: return try parseName()
    }
  }

  /// `'...'` or `"..."`; a backslash escapes the next character (`\n`, `\t` are translated).
  private mutating func parseString() throws(PythonLiteralError) -> String {
    guard let quote = current else { throw error("expected a string") }
    position += 1
    var result = String.UnicodeScalarView()
    while let c = current, c != quote {
      position += 1
      if c == "\\" {
        guard let escaped = current else { break }
        position += 1
        result.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped)
      } else {
        result.append(c)
      }
    }
    guard current == quote else { throw error("unterminated string") }
    position += 1
    return String(result)
  }

  /// A decimal integer, optionally negative, with Python 2's optional `L` suffix (`50L`).
  private mutating func parseInt() throws(PythonLiteralError) -> Int {
    let start = position
    if current == "-" { position += 1 }
    while let c = current, ("0"..."9").contains(c) { position += 1 }
    let digits = String(String.UnicodeScalarView(scalars[start..<position]))
    guard let value = Int(digits) else { throw error("invalid integer '\(digits)'") }
    if current == "L" || current == "l" { position += 1 }
    return value
  }

  /// `True`, `False` or `None`.
  private mutating func parseName() throws(PythonLiteralError) -> PythonLiteral {
    let start = position
    while let c = current, c.properties.isAlphabetic { position += 1 }
    switch String(String.UnicodeScalarView(scalars[start..<position])) {
    case "True": return .bool(true)
    case "False": return .bool(false)
    case "None": return .none
    default:
      position = start
      throw error("unexpected '\(current.map { String($0) } ?? "")'")
    }
  }

  /// `()`, `(1,)`, `(1, 2)`, `(1, 2,)`; `(1)` is just a parenthesized 1, as in Python.
  private mutating func parseTuple(depth: Int) throws(PythonLiteralError) -> PythonLiteral {
    let (items, sawComma) = try parseSequence(closing: ")", depth: depth)
    return items.count == 1 && !sawComma ? items[0] : .tuple(items)
  }

  /// Comma-separated values between the current opening bracket and `closing`, with an optional
  /// trailing comma. Also reports whether any comma was seen.
  private mutating func parseSequence(
    closing: Unicode.Scalar, depth: Int
  )
    throws(PythonLiteralError) -> (items: [PythonLiteral], sawComma: Bool)
  {
    position += 1  // the opening bracket
    var items: [PythonLiteral] = []
    var sawComma = false
    while true {
      skipWhitespace()
      if current == closing { break }
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      if current == "," {
        position += 1
        sawComma = true
      } else if current != closing {
        throw error("expected ',' or '\(closing)'")
      }
    }
    position += 1  // the closing bracket
    return (items, sawComma)
  }

  /// `{key: value, ...}` with an optional trailing comma.
  private mutating func parseDict(depth: Int) throws(PythonLiteralError) -> PythonLiteral {
    position += 1  // "{"
    var items: [PythonLiteral.DictItem] = []
    while true {
      skipWhitespace()
      if current == "}" { break }
      let key = try parseValue(depth: depth + 1)
      skipWhitespace()
      guard current == ":" else { throw error("expected ':' after a dictionary key") }
      position += 1
      let value = try parseValue(depth: depth + 1)
      items.append(.init(key: key, value: value))
      skipWhitespace()
      if current == "," {
        position += 1
      } else if current != "}" {
        throw error("expected ',' or '}'")
      }
    }
    position += 1  // "}"
    return .dict(items)
  }
}
