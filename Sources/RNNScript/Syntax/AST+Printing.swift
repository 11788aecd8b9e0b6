// The canonical source printer: any tree the parser returns prints back as one line of source that
// parses to the same tree (locations aside). `history save` writes scripts with it, and the tests
// check the round trip parse → print → parse on thousands of statements.
//
// Canonical form: one space around binary operators and after `,` and `:`; parentheses only where
// precedence needs them; numbers in their shortest exact form (`64_000` → `64000`); strings in
// double quotes with `\" \\ \n \t \r` escaped; `true`, `false`, `none` in lower case.

extension Expression: CustomStringConvertible {
  /// The expression as canonical source: `Basic(task, N_rec: 50)`, `(a + b) * c`.
  public var description: String {
    switch self {
    case .number(let value, _): return formatNumber(value)
    case .string(let value, _): return quoteString(value)
    case .formatString(let pieces, _): return "f" + quoteFormatString(pieces)
    case .boolean(let value, _): return value ? "true" : "false"
    case .noneLiteral: return "none"
    case .name(let name, _): return name
    case .list(let items, _): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .record(let fields, _):
      return "{" + fields.map { "\(recordKey($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    case .member(let base, let name, _): return base.printed(atLeast: .postfix) + "." + name
    case .index(let base, let subscripts, _):
      return base.printed(atLeast: .postfix) + "[" + subscripts.map(\.description).joined(separator: ", ") + "]"
    case .call(let callee, let arguments, _):
      return callee + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    case .invoke(let callee, let arguments, _):
      return callee.printed(atLeast: .postfix) + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    case .negate(let operand, _): return "-" + operand.printed(atLeast: .unary)
    case .not(let operand, _): return "not " + operand.printed(atLeast: .binary(3))
    case .binary(let left, let op, let right, _):
      // Operators group to the left, so a right operand of equal precedence keeps its
      // parentheses: a - (b - c). `**` groups to the right, and comparisons not at all.
      let leftText: String, rightText: String
      switch op {
      case .power:
        leftText = left.printed(atLeast: .postfix)
        rightText = right.printed(atLeast: .unary)
      default:
        leftText = left.printed(atLeast: .binary(op.precedence + (op.isComparison ? 1 : 0)))
        rightText = right.printed(atLeast: .binary(op.precedence + 1))
      }
      return "\(leftText) \(op.rawValue) \(rightText)"
    }
  }

  /// How tightly the printed expression holds together, from loosest to tightest.
  enum Binding: Comparable {
    /// A binary operation of the given precedence (`not` counts as 3).
    case binary(Int)
    /// `-x`
    case unary
    /// A literal, name, list, call, field access or index.
    case postfix
  }

  var binding: Binding {
    switch self {
    case .binary(_, let op, _, _): return op == .power ? .binary(8) : .binary(op.precedence)
    case .not: return .binary(3)
    case .negate: return .unary
    // A negative number (only built by hand, never parsed) prints with its sign, like `-x`.
    case .number(let value, _) where value < 0: return .unary
    default: return .postfix
    }
  }

  /// The expression printed, in parentheses if it binds more loosely than `needed`.
  func printed(atLeast needed: Binding) -> String {
    // `**` binds tighter than unary minus but is printed between binary and unary levels.
    if case .binary(_, .power, _, _) = self, needed == .unary { return description }
    return binding < needed ? "(\(description))" : description
  }
}

extension Subscript: CustomStringConvertible {
  /// `i`, `a:b`, `::2`, `:`.
  public var description: String {
    switch self {
    case .single(let e): return e.description
    case .slice(let start, let stop, let step):
      var s = (start?.description ?? "") + ":" + (stop?.description ?? "")
      if let step { s += ":" + step.description }
      return s
    }
  }
}

/// A record key as written: a name plainly, anything else quoted.
func recordKey(_ key: String) -> String {
  let isName =
    key.first.map { $0.isLetter || $0 == "_" } == true
    && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    && Keyword(rawValue: key) == nil && !["true", "True", "false", "False", "none", "None"].contains(key)
  return isName ? key : quoteString(key)
}

/// An f-string's pieces in double quotes: text escaped (braces doubled), values in braces.
func quoteFormatString(_ pieces: [FormatPiece]) -> String {
  var body = ""
  for piece in pieces {
    switch piece {
    case .text(let t):
      let quoted = quoteString(t)
      body += String(quoted.dropFirst().dropLast()).replacingOccurrences(of: "{", with: "{{").replacingOccurrences(
        of: "}", with: "}}")
    case .value(let e, let spec):
      body += "{" + e.description.replacingOccurrences(of: "\"", with: "'") + (spec.map { ":" + $0 } ?? "") + "}"
    }
  }
  return "\"" + body + "\""
}

extension Argument: CustomStringConvertible {
  /// `N_rec: 50`, `**w`, or just the value for a positional argument.
  public var description: String {
    if isSplat { return "**" + value.printed(atLeast: .postfix) }
    guard let label else { return value.description }
    return "\(label): \(value)"
  }
}

extension Command: CustomStringConvertible {
  /// `plot states net task trial: 0`. A positional argument that is an operation is printed in
  /// parentheses, `ablate W_rec (a + 1)`, so it reads as one argument.
  public var description: String {
    var words = [name]
    words += arguments.map { $0.printed(atLeast: .unary) }
    words += options.map(\.description)
    return words.joined(separator: " ")
  }
}

extension AssignedValue: CustomStringConvertible {
  /// The expression or command, as canonical source.
  public var description: String {
    switch self {
    case .expression(let expression): return expression.description
    case .command(let command): return command.description
    }
  }
}

extension Statement: CustomStringConvertible {
  /// The statement as canonical source, which parses back to the same tree: one line, or for
  /// statements with blocks, the block's statements indented by two spaces on lines of their own.
  public var description: String { lines.joined(separator: "\n") }

  /// The statement's canonical lines.
  var lines: [String] {
    switch self {
    case .expression(let expression): return [expression.description]
    case .assignment(let name, _, let value): return ["\(name) = \(value)"]
    case .assignInto(let target, let value): return ["\(target) = \(value)"]
    case .command(let command): return [command.description]
    case .ifElse(let s):
      var out: [String] = []
      for (i, branch) in s.branches.enumerated() {
        let head = (i == 0 ? "if " : "} else if ") + branch.condition.description + " {"
        out += [head] + branch.body.indentedLines
      }
      if let otherwise = s.otherwise { out += ["} else {"] + otherwise.indentedLines }
      return out + ["}"]
    case .forIn(let s):
      return ["for \(s.variable) in \(s.sequence) {"] + s.body.indentedLines + ["}"]
    case .whileLoop(let s):
      return ["while \(s.condition) {"] + s.body.indentedLines + ["}"]
    case .function(let f):
      let parameters = f.parameters.map { p in p.defaultValue.map { "\(p.name): \($0)" } ?? p.name }
      return ["def \(f.name)(" + parameters.joined(separator: ", ") + ") {"] + f.body.indentedLines + ["}"]
    case .returnValue(let value, _): return [value.map { "return \($0)" } ?? "return"]
    case .breakLoop: return ["break"]
    case .continueLoop: return ["continue"]
    }
  }
}

extension Block {
  /// The block's statements, each line indented by two spaces.
  var indentedLines: [String] { statements.flatMap(\.lines).map { "  " + $0 } }
}

extension AssignmentTarget: CustomStringConvertible {
  /// `w.W_rec[0:10, 0:10]`.
  public var description: String {
    name
      + path.map { step in
        switch step {
        case .field(let f, _): return "." + f
        case .index(let subscripts, _): return "[" + subscripts.map(\.description).joined(separator: ", ") + "]"
        }
      }.joined()
  }
}

// MARK: - Literals

/// A number in the shortest form that reads back exactly: whole numbers below 10¹⁶ without a
/// fraction (`64000`), others as Swift prints them (`0.9`, `1e-05`, `1e+20`), which the lexer
/// reads back.
func formatNumber(_ value: Double) -> String {
  if value == value.rounded(), abs(value) < 1e16 {
    return String(Int64(value))
  }
  return value.description
}

/// `value` in double quotes, with quote, backslash, newline, tab and carriage return escaped.
func quoteString(_ value: String) -> String {
  var result = "\""
  for scalar in value.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\t": result += "\\t"
    case "\r": result += "\\r"
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result + "\""
}
