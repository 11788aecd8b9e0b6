// Elementwise operations on the tape, each forward beside its backward rule. With y = f(a, b)
// broadcast to shape S and g = dL/dy (shape S), each operand gets its partial derivative times g,
// summed back to its own shape (GradientKernels.unbroadcast):
//
//   a + b: g, g      a − b: g, −g      a·b: g·b, g·a      a / b: g/b, −g·y/b
//   a ** b: g·b·a^(b−1), g·y·ln a (0 where a ≤ 0)           a % b: g, −g·⌊a/b⌋
//   maximum(a, b): g where a ≥ b, else to b     minimum(a, b): g where a ≤ b, else to b
//   −a: −g   |a|: g·sign(a)   √a: g/(2y)   eᵃ: g·y   ln a: g/a   tanh a: g·(1 − y²)
//   clip(x, lo, hi): to x where lo ≤ x ≤ hi (bounds included, as TensorFlow), to lo below, to hi above
//   where(c, x, y): to x where c ≠ 0, to y elsewhere; c gets nothing
//
// Comparisons, logical operations, sign, round, floor, ceil, isnan, isinf, isfinite and
// logical not are constant almost everywhere: their results carry no gradient (they are not
// recorded), which is their derivative wherever it exists.

import Foundation

extension Tape {
  /// `a op b` with numpy broadcasting, recorded.
  func binary(_ op: BinaryOp, _ a: ArrayValue, _ b: ArrayValue) throws -> ArrayValue {
    let y = try ArrayOps.elementwise(op, a, b)
    let (ta, tb) = (tracks(a), tracks(b))
    typealias K = GradientKernels
    func both(_ da: () throws -> ArrayValue, _ db: () throws -> ArrayValue) throws -> [ArrayValue?] {
      [ta ? try K.unbroadcast(try da(), to: a.shape) : nil, tb ? try K.unbroadcast(try db(), to: b.shape) : nil]
    }
    switch op {
    case .add:
      return record(y, from: [a, b]) { g in try both({ g }, { g }) }
    case .subtract:
      return record(y, from: [a, b]) { g in try both({ g }, { ArrayOps.unary(.negate, g) }) }
    case .multiply:
      return record(y, from: [a, b]) { g in
        try both({ try ArrayOps.elementwise(.multiply, g, b) }, { try ArrayOps.elementwise(.multiply, g, a) })
      }
    case .divide:
      return record(y, from: [a, b]) { g in
        try both(
          { try ArrayOps.elementwise(.divide, g, b) },
          { ArrayOps.unary(.negate, try ArrayOps.elementwise(.divide, try ArrayOps.elementwise(.multiply, g, y), b)) })
      }
    case .power:
      return record(y, from: [a, b]) { g in
        try both({ try Tape.powerBase(g, a, b) }, { try Tape.powerExponent(g, a, y) })
      }
    case .remainder:
      return record(y, from: [a, b]) { g in
        try both(
          { g },
          {
            let q = ArrayOps.unary(.floor, try ArrayOps.elementwise(.divide, a, b))
            return ArrayOps.unary(.negate, try ArrayOps.elementwise(.multiply, g, q))
          })
      }
    case .maximum, .minimum:
      return record(y, from: [a, b]) { g in
        let x = try K.expanded(a, to: y.shape), z = try K.expanded(b, to: y.shape)
        let toA = g.values.withUnsafeBufferPointer { gv in
          x.values.withUnsafeBufferPointer { xv in
            z.values.withUnsafeBufferPointer { zv in
              op == .maximum
                ? K.map(y.shape) { xv[$0] >= zv[$0] ? gv[$0] : 0 } : K.map(y.shape) { xv[$0] <= zv[$0] ? gv[$0] : 0 }
            }
          }
        }
        return try both({ toA }, { try ArrayOps.elementwise(.subtract, g, toA) })
      }
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .logicalAnd, .logicalOr:
      return y
    }
  }

  /// d(a ** b)/da·g = g·b·a^(b−1); a constant exponent of 2 (squares) is one pass, g·2a.
  private static func powerBase(_ g: ArrayValue, _ a: ArrayValue, _ b: ArrayValue) throws -> ArrayValue {
    if b.values.count == 1 && g.shape == a.shape {
      let e = b.values[0]
      return g.values.withUnsafeBufferPointer { gv in
        a.values.withUnsafeBufferPointer { av in
          e == 2
            ? GradientKernels.map(g.shape) { gv[$0] * 2 * av[$0] }
            : GradientKernels.map(g.shape) { gv[$0] * e * pow(av[$0], e - 1) }
        }
      }
    }
    let e1 = try ArrayOps.elementwise(.subtract, b, ArrayValue(scalar: 1))
    let d = try ArrayOps.elementwise(.multiply, b, try ArrayOps.elementwise(.power, a, e1))
    return try ArrayOps.elementwise(.multiply, g, d)
  }

  /// d(a ** b)/db·g = g·y·ln a, taken as 0 where a ≤ 0 (as TensorFlow).
  private static func powerExponent(_ g: ArrayValue, _ a: ArrayValue, _ y: ArrayValue) throws -> ArrayValue {
    let x = try GradientKernels.expanded(a, to: y.shape)
    return g.values.withUnsafeBufferPointer { gv in
      x.values.withUnsafeBufferPointer { xv in
        y.values.withUnsafeBufferPointer { yv in
          GradientKernels.map(y.shape) { xv[$0] > 0 ? gv[$0] * yv[$0] * Foundation.log(xv[$0]) : 0 }
        }
      }
    }
  }

  /// f(a) elementwise, recorded.
  func unary(_ f: UnaryFunction, _ a: ArrayValue) -> ArrayValue {
    let y = ArrayOps.unary(f, a)
    switch f {
    case .negate: return record(y, from: [a]) { g in [ArrayOps.unary(.negate, g)] }
    case .abs, .sqrt, .exp, .log, .tanh, .sin, .cos: return record(y, from: [a]) { g in [Tape.unaryGradient(f, g, a, y)] }
    case .logicalNot, .sign, .round, .floor, .ceil, .isnan, .isinf, .isfinite: return y
    }
  }

  /// g·f′(x) for y = f(x), one pass (the switch is outside the loop).
  private static func unaryGradient(_ f: UnaryFunction, _ g: ArrayValue, _ x: ArrayValue, _ y: ArrayValue) -> ArrayValue {
    typealias K = GradientKernels
    return g.values.withUnsafeBufferPointer { gv in
      x.values.withUnsafeBufferPointer { xv in
        y.values.withUnsafeBufferPointer { yv in
          switch f {
          case .abs: return K.map(x.shape) { xv[$0] > 0 ? gv[$0] : (xv[$0] < 0 ? -gv[$0] : 0) }
          case .sqrt: return K.map(x.shape) { gv[$0] / (2 * yv[$0]) }
          case .exp: return K.map(x.shape) { gv[$0] * yv[$0] }
          case .log: return K.map(x.shape) { gv[$0] / xv[$0] }
          case .tanh: return K.map(x.shape) { gv[$0] * (1 - yv[$0] * yv[$0]) }
          case .sin: return K.map(x.shape) { gv[$0] * Foundation.cos(xv[$0]) }
          case .cos: return K.map(x.shape) { -gv[$0] * Foundation.sin(xv[$0]) }
          default: return K.map(x.shape) { _ in 0 }
          }
        }
      }
    }
  }

  /// `np.clip(x, lo, hi)`, recorded.
  func clip(_ x: ArrayValue, _ lo: ArrayValue, _ hi: ArrayValue) throws -> ArrayValue {
    let y = try ArrayOps.clip(x, lo, hi)
    let (tx, tl, th) = (tracks(x), tracks(lo), tracks(hi))
    return record(y, from: [x, lo, hi]) { g in
      typealias K = GradientKernels
      let xs = try K.expanded(x, to: y.shape), l = try K.expanded(lo, to: y.shape), h = try K.expanded(hi, to: y.shape)
      // Which operand each element's result is: 0 x, 1 lo, 2 hi (lo > hi gives hi, as numpy).
      func part(_ which: Int) -> ArrayValue {
        g.values.withUnsafeBufferPointer { gv in
          xs.values.withUnsafeBufferPointer { xv in
            l.values.withUnsafeBufferPointer { lv in
              h.values.withUnsafeBufferPointer { hv in
                K.map(y.shape) { i in
                  let source = lv[i] > hv[i] ? 2 : (xv[i] < lv[i] ? 1 : (xv[i] > hv[i] ? 2 : 0))
                  return source == which ? gv[i] : 0
                }
              }
            }
          }
        }
      }
      return [
        tx ? try K.unbroadcast(part(0), to: x.shape) : nil, tl ? try K.unbroadcast(part(1), to: lo.shape) : nil,
        th ? try K.unbroadcast(part(2), to: hi.shape) : nil,
      ]
    }
  }

  /// `np.where(c, x, y)`, recorded (the condition is a constant).
  func `where`(_ c: ArrayValue, _ x: ArrayValue, _ y: ArrayValue) throws -> ArrayValue {
    let out = try ArrayOps.where(c, x, y)
    let (tx, ty) = (tracks(x), tracks(y))
    return record(out, from: [c, x, y]) { g in
      typealias K = GradientKernels
      let cs = try K.expanded(c, to: out.shape)
      func part(_ taken: Bool) -> ArrayValue {
        g.values.withUnsafeBufferPointer { gv in
          cs.values.withUnsafeBufferPointer { cv in K.map(out.shape) { (cv[$0] != 0) == taken ? gv[$0] : 0 } }
        }
      }
      return [nil, tx ? try K.unbroadcast(part(true), to: x.shape) : nil, ty ? try K.unbroadcast(part(false), to: y.shape) : nil]
    }
  }
}
