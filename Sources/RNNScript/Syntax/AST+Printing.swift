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
    case .boolean(let value, _): return value ? "true" : "false"
    case .noneLiteral: return "none"
    case .name(let name, _): return name
    case .list(let items, _): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .member(let base, let name, _): return base.printed(atLeast: .postfix) + "." + name
    case .index(let base, let index, _): return base.printed(atLeast: .postfix) + "[\(index)]"
    case .call(let callee, let arguments, _):
      return callee + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
    case .negate(let operand, _): return "-" + operand.printed(atLeast: .unary)
    case .binary(let left, let op, let right, _):
      // Operators group to the left, so a right operand of equal precedence keeps its
      // parentheses: a - (b - c).
      let leftText = left.printed(atLeast: .binary(op.precedence))
      let rightText = right.printed(atLeast: .binary(op.precedence + 1))
      return "\(leftText) \(op.rawValue) \(rightText)"
    }
  }

  /// How tightly the printed expression holds together, from loosest to tightest.
  enum Binding: Comparable {
    /// A binary operation of the given precedence.
    case binary(Int)
    /// `-x`
    case unary
    /// A literal, name, list, call, field access or index.
    case postfix
  }

  var binding: Binding {
    switch self {
    case .binary(_, let op, _, _): return .binary(op.precedence)
    case .negate: return .unary
    // A negative number (only built by hand, never parsed) prints with its sign, like `-x`.
    case .number(let value, _) where value < 0: return .unary
    default: return .postfix
    }
  }

  /// The expression printed, in parentheses if it binds more loosely than `needed`.
  func printed(atLeast needed: Binding) -> String {
    binding < needed ? "(\(description))" : description
  }
}

extension Argument: CustomStringConvertible {
  /// `N_rec: 50`, or just the value for a positional argument.
  public var description: String {
    guard let label else { return value.description }
    return "\(label): \(value)"
  }
}

extension Command: CustomStringConvertible {
  /// `plot states net task trial: 0`. Positional arguments are unary-level, so a binary one is
  /// printed in parentheses: `ablate W_rec (a + 1)`.
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
  /// The statement as one line of canonical source, which parses back to the same tree.
  public var description: String {
    switch self {
    case .expression(let expression): return expression.description
    case .assignment(let name, _, let value): return "\(name) = \(value)"
    case .command(let command): return command.description
    }
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
