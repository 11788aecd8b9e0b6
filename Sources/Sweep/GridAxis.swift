// One `--grid KEY=VALUES` argument: a name and its values. Values are a comma list
// (`s=1,2,3`, `opt=adam,sgd`, `shape=[1,2],[3,4]`), an inclusive whole-number range (`s=1..20`,
// with a step `s=0..100:10`), or, for `--random N`, a range to draw from (`lr=0.0001..0.1`,
// `lr=1e-4..1e-1:log`; whole-number ends draw whole numbers).

import Foundation

/// A name and the values it takes in a sweep.
public struct GridAxis: Sendable, Equatable {
  public let name: String
  public let values: Values

  public enum Values: Sendable, Equatable {
    /// These values, in this order.
    case list([BoundValue])
    /// A range `low..high`: in a grid, whole numbers from low to high by step; under `--random`,
    /// draws (uniform, or log-uniform with `:log`; whole numbers when both ends are whole).
    case range(low: Double, high: Double, step: Double?, log: Bool)
  }

  /// The values of a grid (ranges expanded).
  public func gridValues() throws(SweepError) -> [BoundValue] {
    switch values {
    case .list(let v): return v
    case .range(let low, let high, let step, let log):
      let argument = "--grid \(name)=…"
      guard !log else {
        throw .badArgument(
          argument: argument, problem: "a :log range is only for --random draws", hint: "list the values instead")
      }
      let by = step ?? 1
      guard low == low.rounded(), high == high.rounded(), by == by.rounded(), by > 0 else {
        throw .badArgument(
          argument: argument, problem: "a grid range takes whole numbers (low..high or low..high:step)",
          hint: "for other values list them: \(name)=0.001,0.01,0.1")
      }
      guard low <= high else {
        throw .badArgument(
          argument: argument, problem: "the range \(BoundValue.exact(low))..\(BoundValue.exact(high)) is empty", hint: nil)
      }
      let span = ((high - low) / by).rounded(.down) + 1  // in Double: 1..1e300 must not trap
      guard span <= Double(GridAxis.maximumValues) else {
        throw .badArgument(
          argument: argument, problem: "the range has \(BoundValue.exact(span)) values, more than \(GridAxis.maximumValues)",
          hint: nil)
      }
      let count = Int(span)
      return (0..<count).map { .number(low + Double($0) * by) }
    }
  }

  /// At most this many values per axis, and points per sweep.
  public static let maximumValues = 1_000_000

  /// Reads `KEY=VALUES` (the text after `--grid`).
  public static func parse(_ text: String) throws(SweepError) -> GridAxis {
    let argument = "--grid \(text)"
    guard let eq = text.firstIndex(of: "=") else {
      throw .badArgument(argument: argument, problem: "expected NAME=VALUES", hint: "e.g. --grid s=1,2,3 or --grid s=1..20")
    }
    let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
    try checkName(name, argument: argument)
    let body = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
    guard !body.isEmpty else {
      throw .badArgument(argument: argument, problem: "no values after '='", hint: "e.g. --grid \(name)=1,2,3")
    }
    if let range = try parseRange(body, argument: argument) { return GridAxis(name: name, values: range) }
    let pieces = try splitTopLevel(body, argument: argument)
    var values: [BoundValue] = []
    for piece in pieces {
      guard !piece.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw .badArgument(
          argument: argument, problem: "an empty value in the list", hint: "values are separated by single commas")
      }
      do { values.append(try BoundValue.parse(piece)) } catch {
        throw .badArgument(argument: argument, problem: error.description, hint: nil)
      }
    }
    return GridAxis(name: name, values: .list(values))
  }

  /// A name a script can bind: a letter or `_`, then letters, digits, `_`.
  static func checkName(_ name: String, argument: String) throws(SweepError) {
    guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
      name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    else {
      throw .badArgument(
        argument: argument, problem: name.isEmpty ? "the name before '=' is missing" : "'\(name)' is not a variable name",
        hint: "names start with a letter or _ and hold letters, digits and _")
    }
  }

  /// `low..high`, `low..high:step` or `low..high:log`, or nil when the text is not a range.
  private static func parseRange(_ body: String, argument: String) throws(SweepError) -> Values? {
    guard !body.hasPrefix("["), !body.hasPrefix("\""), let dots = body.range(of: "..") else { return nil }
    let lowText = String(body[..<dots.lowerBound])
    var rest = String(body[dots.upperBound...])
    var step: Double?
    var log = false
    if let colon = rest.firstIndex(of: ":") {
      let suffix = String(rest[rest.index(after: colon)...])
      rest = String(rest[..<colon])
      if suffix == "log" {
        log = true
      } else if let s = Double(suffix), s.isFinite, s > 0 {
        step = s
      } else {
        throw .badArgument(argument: argument, problem: "after ':' comes a positive step or 'log', not '\(suffix)'", hint: nil)
      }
    }
    guard let low = Double(lowText), let high = Double(rest), low.isFinite, high.isFinite else {
      throw .badArgument(
        argument: argument, problem: "a range is LOW..HIGH with two numbers, got '\(body)'",
        hint: "e.g. s=1..20 or lr=0.0001..0.1")
    }
    guard low <= high else {
      throw .badArgument(
        argument: argument, problem: "the range \(lowText)..\(rest) is empty (LOW must not exceed HIGH)", hint: nil)
    }
    if log && low <= 0 {
      throw .badArgument(argument: argument, problem: "a :log range needs positive ends", hint: nil)
    }
    return .range(low: low, high: high, step: step, log: log)
  }

  /// Splits at commas outside quotes and brackets.
  private static func splitTopLevel(_ body: String, argument: String) throws(SweepError) -> [String] {
    var pieces: [String] = [], current = "", depth = 0, quoted = false, escaped = false
    for c in body {
      if quoted {
        current.append(c)
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted = false }
        continue
      }
      switch c {
      case "\"": quoted = true; current.append(c)
      case "[": depth += 1; current.append(c)
      case "]":
        depth -= 1
        guard depth >= 0 else { throw .badArgument(argument: argument, problem: "a ']' without its '['", hint: nil) }
        current.append(c)
      case "," where depth == 0: pieces.append(current); current = ""
      default: current.append(c)
      }
    }
    guard !quoted else { throw .badArgument(argument: argument, problem: "a string is not closed (a \" is missing)", hint: nil) }
    guard depth == 0 else { throw .badArgument(argument: argument, problem: "a '[' is not closed", hint: nil) }
    pieces.append(current)
    return pieces
  }
}
