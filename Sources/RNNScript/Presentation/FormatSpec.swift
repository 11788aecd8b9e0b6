// f-strings: `f"seed {s}: {acc:.3f}"`. A piece without a specification is shown as `print` shows
// it (numbers as Format.number writes them); a specification follows Python's format mini-language:
//
//     [[fill]align][sign][0][width][,|_][.precision][type]
//     align  < left, > right, ^ centre, = after the sign      sign  + - or space
//     type   d (whole numbers), f F (fixed), e E (exponent), g G (general), % (percent), s (text)
//
// `{acc:.3f}` → 0.875, `{n:>6d}` → "    42", `{x:+.2e}` → +1.23e-04, `{p:.1%}` → 87.5%,
// `{big:,}` → 1,234,567, `{name:<10}` → "pd        ".

import Foundation

/// A parsed format specification.
struct FormatSpec {
  var fill: Character = " "
  var align: Character? = nil
  var sign: Character = "-"
  var zeroPad = false
  var width = 0
  var grouping: Character? = nil
  var precision: Int? = nil
  var type: Character? = nil

  /// Parses `spec`; nil (with the reason) if it is not a valid specification.
  static func parse(_ spec: String) -> Result<FormatSpec, FormatSpecError> {
    var s = FormatSpec()
    var c = Array(spec)
    var i = 0
    func isAlign(_ ch: Character) -> Bool { "<>^=".contains(ch) }
    if c.count >= 2 && isAlign(c[1]) {
      s.fill = c[0]; s.align = c[1]; i = 2
    } else if let first = c.first, isAlign(first) {
      s.align = first; i = 1
    }
    if i < c.count, "+- ".contains(c[i]) { s.sign = c[i]; i += 1 }
    if i < c.count, c[i] == "0" { s.zeroPad = true; i += 1 }
    var digits = ""
    while i < c.count, c[i].isASCII, c[i].isNumber { digits.append(c[i]); i += 1 }
    if !digits.isEmpty {
      guard let w = Int(digits), w <= 1000 else {
        return .failure(FormatSpecError("width \(digits) is too large (at most 1000)"))
      }
      s.width = w
    }
    if i < c.count, c[i] == "," || c[i] == "_" { s.grouping = c[i]; i += 1 }
    if i < c.count, c[i] == "." {
      i += 1
      var p = ""
      while i < c.count, c[i].isASCII, c[i].isNumber { p.append(c[i]); i += 1 }
      guard let n = Int(p), n <= 100 else { return .failure(FormatSpecError("expected a precision (at most 100) after '.'")) }
      s.precision = n
    }
    if i < c.count, "dfFeEgGs%".contains(c[i]) { s.type = c[i]; i += 1 }
    guard i == c.count else {
      c = Array(c[i...])
      return .failure(
        FormatSpecError(
          "'\(String(c))' is not part of a format specification ([[fill]align][sign][0][width][,][.precision][type])"))
    }
    return .success(s)
  }

  /// `value` formatted; nil (with the reason) for a specification that does not fit the value.
  func format(_ value: Value) -> Result<String, FormatSpecError> {
    switch value {
    case .number, .bool:
      return number(value.numeric!)
    case .string(let text):
      guard type == nil || type == "s" else { return .failure(FormatSpecError("'\(type!)' formats numbers, not text")) }
      guard sign == "-", grouping == nil else {
        return .failure(FormatSpecError("a sign or grouping applies to numbers, not text"))
      }
      let cut = precision.map { String(text.prefix($0)) } ?? text
      return .success(pad(cut, defaultAlign: "<"))
    default:
      guard type == nil && precision == nil else {
        return .failure(FormatSpecError("a format specification applies to numbers and text, not a \(value.typeName)"))
      }
      return .success(pad(Printer.plain(value), defaultAlign: "<"))
    }
  }

  private func number(_ d: Double) -> Result<String, FormatSpecError> {
    var body: String
    let magnitude = abs(d)
    switch type {
    case "d":
      guard d == d.rounded(), magnitude < 1e18 else {
        return .failure(FormatSpecError("'d' formats whole numbers, got \(Format.number(d))"))
      }
      body = String(Int64(magnitude))
    case "f", "F": body = String(format: "%.\(precision ?? 6)f", magnitude)
    case "e", "E": body = String(format: "%.\(precision ?? 6)e", magnitude)
    case "g", "G": body = String(format: "%.\(max(1, precision ?? 6))g", magnitude)
    case "%": body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
    case "s": return .failure(FormatSpecError("'s' formats text, not numbers"))
    default:
      body = precision.map { String(format: "%.\(max(1, $0))g", magnitude) } ?? Format.number(magnitude)
    }
    if d.isNaN { body = "nan" } else if d.isInfinite { body = "inf" }
    if type == "F" || type == "E" || type == "G" { body = body.uppercased() }
    if let g = grouping { body = grouped(body, separator: g) }
    let negative = d < 0 || (d == 0 && d.sign == .minus && type != nil && type != "d")
    let signText = negative ? "-" : (sign == "+" ? "+" : sign == " " ? " " : "")
    if zeroPad && align == nil {
      let digits = max(0, width - signText.count - body.count)
      return .success(signText + String(repeating: "0", count: digits) + body)
    }
    if align == "=" {
      let fillCount = max(0, width - signText.count - body.count)
      return .success(signText + String(repeating: fill, count: fillCount) + body)
    }
    return .success(pad(signText + body, defaultAlign: ">"))
  }

  /// The integer part of `body` with a separator every three digits.
  private func grouped(_ body: String, separator: Character) -> String {
    let integerEnd = body.firstIndex(where: { !$0.isNumber }) ?? body.endIndex
    let integer = Array(body[..<integerEnd])
    var out = ""
    for (i, ch) in integer.enumerated() {
      if i > 0 && (integer.count - i) % 3 == 0 { out.append(separator) }
      out.append(ch)
    }
    return out + body[integerEnd...]
  }

  private func pad(_ text: String, defaultAlign: Character) -> String {
    let missing = width - text.count
    guard missing > 0 else { return text }
    switch align ?? defaultAlign {
    case "<": return text + String(repeating: fill, count: missing)
    case "^":
      let left = missing / 2
      return String(repeating: fill, count: left) + text + String(repeating: fill, count: missing - left)
    default: return String(repeating: fill, count: missing) + text
    }
  }
}

struct FormatSpecError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

extension Session {
  /// An f-string's text.
  func formatted(_ pieces: [FormatPiece]) throws -> String {
    var out = ""
    for piece in pieces {
      switch piece {
      case .text(let t): out += t
      case .value(let e, let spec):
        let v = try evaluate(e)
        guard let spec else {
          out += Printer.plain(v)
          continue
        }
        switch FormatSpec.parse(spec).flatMap({ $0.format(v) }) {
        case .success(let text): out += text
        case .failure(let error): throw RuntimeError("format '\(spec)': \(error.message)", at: e.startLocation, length: e.length)
        }
      }
    }
    return out
  }
}
