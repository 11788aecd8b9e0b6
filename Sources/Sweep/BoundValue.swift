// A value bound from outside a script (`--set lr=0.01`, a grid point) or reported by it (`report
// acc: a`): a number, a string, a boolean or a list of them. The language turns it into its own
// `Value`; the sweep files hold it as JSON (numbers as the shortest text that reads back exactly, so
// a reported value survives the trip through a run folder bit for bit).

import Foundation

/// A number, a string, a boolean, none or a list of them.
public enum BoundValue: Sendable, Equatable, Hashable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case none
  case list([BoundValue])

  /// The number, for numbers and booleans (1/0).
  public var numeric: Double? {
    switch self {
    case .number(let d): return d
    case .bool(let b): return b ? 1 : 0
    default: return nil
    }
  }

  /// The value as a table cell and as `--set` reads it back: numbers exactly (shortest round-trip
  /// text, `nan`, `inf`), strings as they are, lists as `[1, 2]`.
  public var text: String {
    switch self {
    case .number(let d): return BoundValue.exact(d)
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .none: return "none"
    case .list(let items): return "[" + items.map(\.literal).joined(separator: ", ") + "]"
    }
  }

  /// The value as a literal of the language (strings quoted), what `--set NAME=…` accepts.
  public var literal: String {
    switch self {
    case .string(let s):
      return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    default: return text
    }
  }

  /// A number as the shortest text that reads back as the same Double (`nan`, `inf`, `-inf`;
  /// whole numbers without `.0`).
  public static func exact(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded() && abs(d) < 1e15 { return d == 0 && d.sign == .minus ? "-0" : String(Int(d)) }
    return "\(d)"
  }
}

// MARK: - JSON

extension BoundValue: Codable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .none; return }
    if let b = try? c.decode(Bool.self) { self = .bool(b); return }
    if let d = try? c.decode(Double.self) { self = .number(d); return }
    if let s = try? c.decode(String.self) {
      // Non-finite numbers are written as tagged strings (JSON has no nan).
      switch s {
      case BoundValue.nanTag: self = .number(.nan)
      case BoundValue.infinityTag: self = .number(.infinity)
      case "-" + BoundValue.infinityTag: self = .number(-.infinity)
      default: self = .string(s)
      }
      return
    }
    self = .list(try c.decode([BoundValue].self))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let d) where d.isNaN: try c.encode(BoundValue.nanTag)
    case .number(let d) where d.isInfinite: try c.encode(d > 0 ? BoundValue.infinityTag : "-" + BoundValue.infinityTag)
    case .number(let d): try c.encode(d)
    case .string(let s): try c.encode(s)
    case .bool(let b): try c.encode(b)
    case .none: try c.encodeNil()
    case .list(let items): try c.encode(items)
    }
  }

  static let nanTag = "\u{1}nan"
  static let infinityTag = "\u{1}inf"
}

// MARK: - Reading `--set` values

extension BoundValue {
  /// Reads a value as written on the command line: a number (`0.01`, `-3`, `1e-4`, `nan`, `inf`),
  /// `true`/`false`/`none`, a quoted string (`"adam"`), a list (`[1, 2, "x"]`), or else the
  /// text itself as a string (`adam`). Throws only for a malformed quoted string or list.
  public static func parse(_ text: String) throws(BoundValueError) -> BoundValue {
    var reader = LiteralReader(Array(text.unicodeScalars))
    reader.skipSpaces()
    guard let first = reader.peek else { return .string("") }
    if first == "[" || first == "\"" {
      let v = try reader.value()
      reader.skipSpaces()
      guard reader.atEnd else {
        throw BoundValueError(text: text, offset: reader.position, problem: "unexpected text after the value")
      }
      return v
    }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    return LiteralReader.bare(trimmed)
  }
}

/// What is wrong with a value written on the command line, and where (a character offset).
public struct BoundValueError: Error, Sendable, Equatable, CustomStringConvertible {
  public let text: String
  public let offset: Int
  public let problem: String
  public var description: String { "\(problem) at character \(offset + 1) of '\(text)'" }
}

/// A small reader of literals: numbers, quoted strings, lists, true/false/none.
private struct LiteralReader {
  let scalars: [Unicode.Scalar]
  var position = 0
  init(_ s: [Unicode.Scalar]) { scalars = s }

  var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
  var atEnd: Bool { position >= scalars.count }
  mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { position += 1 } }

  func fail(_ problem: String) -> BoundValueError {
    BoundValueError(text: String(String.UnicodeScalarView(scalars)), offset: position, problem: problem)
  }

  mutating func value() throws(BoundValueError) -> BoundValue {
    skipSpaces()
    switch peek {
    case "\""?: return .string(try quoted())
    case "["?:
      position += 1
      var items: [BoundValue] = []
      skipSpaces()
      if peek == "]" { position += 1; return .list([]) }
      while true {
        items.append(try value())
        skipSpaces()
        switch peek {
        case ","?: position += 1
        case "]"?: position += 1; return .list(items)
        default: throw fail("expected ',' or ']' in the list")
        }
      }
    case nil: throw fail("expected a value")
    default:
      let start = position
      while let c = peek, c != ",", c != "]", c != " " { position += 1 }
      let word = String(String.UnicodeScalarView(scalars[start..<position]))
      guard !word.isEmpty else { throw fail("expected a value") }
      let v = LiteralReader.bare(word)
      return v
    }
  }

  mutating func quoted() throws(BoundValueError) -> String {
    position += 1
    var out = String.UnicodeScalarView()
    while let c = peek {
      position += 1
      switch c {
      case "\"": return String(out)
      case "\\":
        guard let next = peek else { throw fail("unfinished escape in the string") }
        position += 1
        switch next {
        case "n": out.append("\n")
        case "t": out.append("\t")
        default: out.append(next)
        }
      default: out.append(c)
      }
    }
    throw fail("the string is not closed (a \" is missing)")
  }

  /// An unquoted word: a number, true/false/none, or the word as a string.
  static func bare(_ word: String) -> BoundValue {
    switch word {
    case "true": return .bool(true)
    case "false": return .bool(false)
    case "none": return .none
    case "nan": return .number(.nan)
    case "inf": return .number(.infinity)
    case "-inf": return .number(-.infinity)
    default: break
    }
    if let d = Double(word), d.isFinite, word.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
      return .number(d)
    }
    return .string(word)
  }
}
