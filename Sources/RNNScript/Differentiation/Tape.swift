// Reverse-mode automatic differentiation over the language's arrays: micrograd's design, on whole
// arrays. While a loss or regularizer runs, every operation with a recorded (tracked) operand
// appends one node to the tape: the shape of its result, which earlier nodes it read, and its
// backward rule (a closure over what the forward kept: one per operation, never per element).
// The tape is in the order the operations ran, so it is already topologically sorted: the
// backward pass walks it once in reverse, handing each node's adjoint to its rule and adding the
// contributions into its parents' adjoints. The rules live next to their forwards
// (Differentiable*.swift); Session+Differentiation.swift is the evaluator's hook.

/// Which tape and which node of it recorded an array.
struct TapeMark: Sendable, Equatable {
  let tape: UInt32
  let node: Int
}

/// One recording: created for one call of a loss or regularizer, then differentiated once.
final class Tape {
  /// A backward rule: the adjoint of the node's result → one contribution per parent (nil for a
  /// parent that was not tracked, or that gets nothing), each already of the parent's shape.
  typealias Backward = (_ adjoint: ArrayValue) throws -> [ArrayValue?]

  struct Node {
    let shape: [Int]
    /// Parent nodes, one per operand (nil: a constant operand).
    let parents: [Int?]
    /// nil for an input (a leaf).
    let backward: Backward?
  }

  /// Tells this tape's arrays from those of an earlier one (a tracked value kept in a variable
  /// outlives its call, and is a constant afterwards).
  let serial: UInt32
  /// What is being differentiated, for errors: "loss_function my_loss".
  let context: String
  private(set) var nodes: [Node] = []

  init(serial: UInt32, context: String) {
    self.serial = serial
    self.context = context
  }

  // MARK: - Recording

  /// `value` as an input of the differentiated function.
  func input(_ value: ArrayValue) -> ArrayValue {
    var v = value
    v.mark = TapeMark(tape: serial, node: nodes.count)
    nodes.append(Node(shape: value.shape, parents: [], backward: nil))
    return v
  }

  /// The node of `a` on this tape, or nil when `a` is a constant.
  func node(_ a: ArrayValue) -> Int? {
    guard let m = a.mark, m.tape == serial else { return nil }
    return m.node
  }

  /// Whether `a` was recorded on this tape.
  func tracks(_ a: ArrayValue) -> Bool { node(a) != nil }

  /// Records `result` as computed from `operands` by an operation whose rule is `backward`.
  /// With no tracked operand the result is a plain constant and nothing is recorded.
  func record(_ result: ArrayValue, from operands: [ArrayValue], backward: @escaping Backward) -> ArrayValue {
    var r = result
    let parents = operands.map(node)
    guard parents.contains(where: { $0 != nil }) else {
      r.mark = nil
      return r
    }
    r.mark = TapeMark(tape: serial, node: nodes.count)
    nodes.append(Node(shape: result.shape, parents: parents, backward: backward))
    return r
  }

  // MARK: - Backward

  /// d output / d each of `inputs` (arrays this tape's `input` returned): one reverse sweep from
  /// `output`, seeded with 1. An input the output does not depend on gets zeros.
  func gradients(of output: ArrayValue, withRespectTo inputs: [ArrayValue]) throws -> [ArrayValue] {
    var adjoints = [ArrayValue?](repeating: nil, count: nodes.count)
    let wanted = Set(inputs.compactMap(node))
    if let top = node(output) {
      adjoints[top] = ArrayValue(shape: output.shape, values: [Double](repeating: 1, count: output.values.count))
      for i in stride(from: top, through: 0, by: -1) {
        guard let g = adjoints[i], let backward = nodes[i].backward else { continue }
        if !wanted.contains(i) { adjoints[i] = nil }  // an intermediate adjoint is used once
        let contributions = try backward(g)
        for (parent, c) in zip(nodes[i].parents, contributions) {
          guard let p = parent, let c else { continue }
          precondition(c.shape == nodes[p].shape, "a backward rule returned the wrong shape")
          if adjoints[p] == nil {
            adjoints[p] = c
          } else {
            Tape.accumulate(c, into: &adjoints[p]!)
          }
        }
      }
    }
    return inputs.map { x in
      guard let n = node(x), let g = adjoints[n] else {
        return ArrayValue(shape: x.shape, values: [Double](repeating: 0, count: x.values.count))
      }
      var out = g
      out.mark = nil
      return out
    }
  }

  /// total += c, elementwise over equal shapes.
  private static func accumulate(_ c: ArrayValue, into total: inout ArrayValue) {
    let n = c.values.count
    total.mark = nil
    total.values.withUnsafeMutableBufferPointer { t in
      c.values.withUnsafeBufferPointer { x in
        for i in 0..<n { t[i] += x[i] }
      }
    }
  }
}
