// The operators on values: numbers and booleans as Python has them, strings and lists joined by
// `+`, and arrays elementwise with numpy's broadcasting (Arrays/). A number meets an array as a
// 0-d array; `@` is numpy's matmul.

import Foundation

enum Operators {
  static func negate(_ v: Value, at: SourceLocation) throws -> Value {
    switch v {
    case .number(let d): return .number(-d)
    case .bool(let b): return .number(b ? -1 : 0)
    case .array(let a): return .array(ArrayOps.unary(.negate, a))
    default: throw RuntimeError("cannot negate a \(v.typeName)", at: at)
    }
  }

  static func logicalNot(_ v: Value, at: SourceLocation) throws -> Value {
    guard case .array(let a) = v else { throw RuntimeError("cannot apply 'not' to a \(v.typeName)", at: at) }
    return .array(ArrayOps.unary(.logicalNot, a))
  }

  static func apply(_ op: BinaryOperator, _ l: Value, _ r: Value, at: SourceLocation) throws -> Value {
    switch (l, r) {
    case (.number(let a), .number(let b)): return try numbers(op, a, b, at: at)
    case (.bool, _), (_, .bool):
      if let a = l.numeric, let b = r.numeric {
        if case .array = l { return try arrays(op, l, r, at: at) }
        if case .array = r { return try arrays(op, l, r, at: at) }
        return try numbers(op, a, b, at: at)
      }
    case (.array, _), (_, .array): return try arrays(op, l, r, at: at)
    case (.string(let a), .string(let b)):
      switch op {
      case .add: return .string(a + b)
      case .equal: return .bool(a == b)
      case .notEqual: return .bool(a != b)
      case .less: return .bool(a < b)
      case .lessEqual: return .bool(a <= b)
      case .greater: return .bool(a > b)
      case .greaterEqual: return .bool(a >= b)
      default: break
      }
    case (.list(let a), .list(let b)) where op == .add: return .list(a + b)
    case (.list(let items), .number(let n)) where op == .multiply:
      guard n >= 0, n == n.rounded(), n * Double(items.count) <= 10_000_000 else {
        throw RuntimeError("a list can be repeated by a whole number (and at most 10,000,000 items)", at: at)
      }
      return .list(Array([[Value]](repeating: items, count: Int(n)).joined()))
    case (.list, .number), (.number, .list), (.list, .list):
      // Lists of numbers meet numbers elementwise, as arrays (`+` joining two lists and `*`
      // repeating a list were handled above, as in Python).
      if ![.equal, .notEqual].contains(op) { return try arrays(op, l, r, at: at) }
    default: break
    }
    switch op {
    case .equal: return .bool(same(l, r))
    case .notEqual: return .bool(!same(l, r))
    default:
      throw RuntimeError("cannot apply '\(op.rawValue)' to a \(l.typeName) and a \(r.typeName)", at: at)
    }
  }

  /// Python's arithmetic on two numbers (`%` floored, `/` by zero an error as in Python).
  static func numbers(_ op: BinaryOperator, _ a: Double, _ b: Double, at: SourceLocation) throws -> Value {
    switch op {
    case .add: return .number(a + b)
    case .subtract: return .number(a - b)
    case .multiply: return .number(a * b)
    case .divide:
      guard b != 0 else { throw RuntimeError("division by zero", at: at) }
      return .number(a / b)
    case .remainder:
      guard b != 0 else { throw RuntimeError("remainder of a division by zero", at: at) }
      let m = a.truncatingRemainder(dividingBy: b)
      return .number(m != 0 && (m < 0) != (b < 0) ? m + b : m)
    case .power: return .number(pow(a, b))
    case .matrixProduct: throw RuntimeError("'@' multiplies arrays (matrices); for numbers use '*'", at: at)
    case .equal: return .bool(a == b)
    case .notEqual: return .bool(a != b)
    case .less: return .bool(a < b)
    case .lessEqual: return .bool(a <= b)
    case .greater: return .bool(a > b)
    case .greaterEqual: return .bool(a >= b)
    case .and: return .bool(a != 0 && b != 0)
    case .or: return .bool(a != 0 || b != 0)
    }
  }

  /// numpy's elementwise operators (and `@`) on arrays, numbers and lists of numbers.
  static func arrays(_ op: BinaryOperator, _ l: Value, _ r: Value, at: SourceLocation) throws -> Value {
    if op != .matrixProduct {
      // An array and a number (`t > onset`, `x * 2`): one loop, and no 0-d array made for the number.
      do {
        if case .array(let a) = l, let x = r.numeric {
          return .array(try ArrayOps.elementwise(elementwise(op), a, number: x, numberFirst: false))
        }
        if let x = l.numeric, case .array(let b) = r {
          return .array(try ArrayOps.elementwise(elementwise(op), b, number: x, numberFirst: true))
        }
      } catch {
        throw RuntimeError(error.message, at: at)
      }
    }
    guard let a = try l.asArray(at: at), let b = try r.asArray(at: at) else {
      throw RuntimeError("cannot apply '\(op.rawValue)' to a \(l.typeName) and a \(r.typeName)", at: at)
    }
    let result: ArrayValue
    do {
      switch op {
      case .matrixProduct: result = try ArrayOps.matmul(a, b)
      default: result = try ArrayOps.elementwise(elementwise(op), a, b)
      }
    } catch {
      throw RuntimeError(error.message, at: at)
    }
    return .array(result)
  }

  static func elementwise(_ op: BinaryOperator) -> BinaryOp {
    switch op {
    case .add: return .add
    case .subtract: return .subtract
    case .multiply: return .multiply
    case .divide: return .divide
    case .remainder: return .remainder
    case .power: return .power
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    case .and: return .logicalAnd
    case .or: return .logicalOr
    case .matrixProduct: return .multiply  // not reached: `@` is matmul
    }
  }

  /// `==` on values that are not numbers or arrays: same kind and same contents.
  static func same(_ l: Value, _ r: Value) -> Bool {
    switch (l, r) {
    case (.none, .none): return true
    case (.string(let a), .string(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.list(let a), .list(let b)):
      return a.count == b.count
        && zip(a, b).allSatisfy { x, y in
          if let p = x.numeric, let q = y.numeric { return p == q }
          return same(x, y)
        }
    case (.record(let a), .record(let b)):
      return a.fields.count == b.fields.count
        && zip(a.fields, b.fields).allSatisfy { x, y in
          x.name == y.name && (x.value.numeric.flatMap { p in y.value.numeric.map { p == $0 } } ?? same(x.value, y.value))
        }
    default: return false
    }
  }
}

extension Value {
  /// The value as a number, for numbers and booleans.
  var numeric: Double? {
    switch self {
    case .number(let d): return d
    case .bool(let b): return b ? 1 : 0
    default: return nil
    }
  }

  /// The value as an array: arrays as they are, numbers and booleans as 0-d arrays, (nested)
  /// lists of numbers as arrays of their shape. Nil for other kinds.
  func asArray(at location: SourceLocation) throws -> ArrayValue? {
    switch self {
    case .array(let a): return a
    case .number, .bool: return ArrayValue(shape: [], values: [numeric!])
    case .list(let items):
      var shape: [Int] = [items.count]
      var values: [Double] = []
      var rows: [ArrayValue] = []
      for item in items {
        guard let a = try item.asArray(at: location) else { return nil }
        rows.append(a)
      }
      if let first = rows.first {
        guard rows.allSatisfy({ $0.shape == first.shape }) else {
          throw RuntimeError("the list's items have different shapes, so it is not an array", at: location)
        }
        shape += first.shape
      }
      for r in rows { values += r.values }
      return ArrayValue(shape: shape, values: values)
    default: return nil
    }
  }
}
