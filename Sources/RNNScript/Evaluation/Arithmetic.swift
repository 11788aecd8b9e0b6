// Arithmetic on numbers, and elementwise on arrays (array ∘ array of the same shape, or array ∘ number).

enum Arithmetic {
  static func negate(_ v: Value, at: SourceLocation) throws -> Value {
    switch v {
    case .number(let d): return .number(-d)
    case .array(let a): return .array(ArrayValue(shape: a.shape, values: a.values.map { -$0 }))
    default: throw RuntimeError("cannot negate a \(v.typeName)", at: at)
    }
  }

  static func apply(_ op: BinaryOperator, _ l: Value, _ r: Value, at: SourceLocation) throws -> Value {
    func f(_ a: Double, _ b: Double) throws -> Double {
      switch op {
      case .add: return a + b
      case .subtract: return a - b
      case .multiply: return a * b
      case .divide:
        guard b != 0 else { throw RuntimeError("division by zero", at: at) }
        return a / b
      }
    }
    switch (l, r) {
    case (.number(let a), .number(let b)): return .number(try f(a, b))
    case (.array(let a), .number(let b)): return .array(ArrayValue(shape: a.shape, values: try a.values.map { try f($0, b) }))
    case (.number(let a), .array(let b)): return .array(ArrayValue(shape: b.shape, values: try b.values.map { try f(a, $0) }))
    case (.array(let a), .array(let b)):
      guard a.shape == b.shape else {
        throw RuntimeError("arrays of shapes \(Format.shape(a.shape)) and \(Format.shape(b.shape)) cannot be combined", at: at)
      }
      return .array(ArrayValue(shape: a.shape, values: try zip(a.values, b.values).map { try f($0, $1) }))
    case (.string(let a), .string(let b)) where op == .add: return .string(a + b)
    default:
      throw RuntimeError("cannot apply '\(op.rawValue)' to a \(l.typeName) and a \(r.typeName)", at: at)
    }
  }
}
