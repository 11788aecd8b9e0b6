// The tape (Sources/RNNScript/Differentiation/) checked against its oracle, Float64 central finite
// differences of the same function evaluated the ordinary way (no tape), for every differentiable
// operation, with broadcasting, every index kind, every axis form and 1-D matmul promotion; the
// value under the tape must equal the ordinary value exactly. Then the errors: an operation with
// no rule, a non-scalar result, both located.

import Foundation
import Linear
import PsychRNN
import Testing

@testable import RNNScript

/// One case: the body of `def f(a, b) { … }` leaving its result in `r` (any shape; the harness
/// returns sum(r·r/2 + r), so every element's derivative is weighted differently), a's and b's
/// shapes, and whether inputs must be positive.
struct TapeCase: CustomStringConvertible, Sendable {
  let body: String
  let a: [Int]
  var b: [Int] = []
  var positive = false
  var description: String { body }
}

let tapeCases: [TapeCase] = [
  // Elementwise arithmetic with broadcasting (both ways, scalars, 1-axes).
  TapeCase(body: "r = a + b", a: [3, 4], b: [4]),
  TapeCase(body: "r = a - b", a: [2, 3], b: [2, 1]),
  TapeCase(body: "r = a * b", a: [3], b: [2, 3]),
  TapeCase(body: "r = a / b", a: [2, 3], b: [3], positive: true),
  TapeCase(body: "r = 2 * a - 1 / b + 3", a: [4], b: [], positive: true),
  TapeCase(body: "r = a ** 2", a: [2, 3]),
  TapeCase(body: "r = a ** 3", a: [5]),
  TapeCase(body: "r = a ** b", a: [2, 3], b: [3], positive: true),
  TapeCase(body: "r = a % b", a: [6], b: [], positive: true),
  TapeCase(body: "r = -a", a: [2, 2]),
  TapeCase(body: "r = maximum(a, b)", a: [3, 4], b: [4]),
  TapeCase(body: "r = minimum(a, 0.1)", a: [3, 4]),
  TapeCase(body: "r = maximum(b, a)", a: [2, 3], b: [2, 3]),
  // Unary functions.
  TapeCase(body: "r = abs(a)", a: [7]),
  TapeCase(body: "r = sqrt(a)", a: [2, 3], positive: true),
  TapeCase(body: "r = exp(a)", a: [2, 3]),
  TapeCase(body: "r = log(a)", a: [2, 3], positive: true),
  TapeCase(body: "r = tanh(a)", a: [2, 3]),
  TapeCase(body: "r = sin(a)", a: [2, 3]),
  TapeCase(body: "r = cos(a)", a: [2, 3]),
  // Constant almost everywhere: zero gradient.
  TapeCase(body: "r = sign(a) + round(a) + floor(a) + ceil(a) + (a > b) + (a == a) + argmax(a)", a: [5], b: [5]),
  // clip and where.
  TapeCase(body: "r = clip(a, -0.4, 0.5)", a: [4, 5]),
  TapeCase(body: "r = clip(a, b, 1.5)", a: [3, 4], b: [4]),
  TapeCase(body: "r = clip(a, -1, b)", a: [3, 4], b: [3, 1]),
  TapeCase(body: "r = where(a > 0, a * 2, b)", a: [3, 4], b: [4]),
  // Reductions, with and without axis, negative axes.
  TapeCase(body: "r = sum(a)", a: [3, 4]),
  TapeCase(body: "r = sum(a, axis: 0)", a: [3, 4]),
  TapeCase(body: "r = mean(a, axis: -1)", a: [2, 3, 4]),
  TapeCase(body: "r = mean(a)", a: [2, 3, 4]),
  TapeCase(body: "r = var(a, axis: 1)", a: [3, 4]),
  TapeCase(body: "r = std(a)", a: [3, 4]),
  TapeCase(body: "r = std(a, axis: 0)", a: [3, 4]),
  TapeCase(body: "r = min(a, axis: 1)", a: [3, 4]),
  TapeCase(body: "r = max(a)", a: [3, 4]),
  TapeCase(body: "r = max(a, axis: 0)", a: [2, 3, 4]),
  TapeCase(body: "r = prod(a, axis: 0)", a: [3, 4]),
  TapeCase(body: "r = prod(a)", a: [5]),
  // Matrix products: 2-D, 1-D promotion on either side, both 1-D, batched with broadcasting.
  TapeCase(body: "r = a @ b", a: [3, 4], b: [4, 2]),
  TapeCase(body: "r = a @ b", a: [4], b: [4, 2]),
  TapeCase(body: "r = a @ b", a: [3, 4], b: [4]),
  TapeCase(body: "r = a @ b", a: [4], b: [4]),
  TapeCase(body: "r = a @ b", a: [2, 3, 4], b: [4, 2]),
  TapeCase(body: "r = a @ b", a: [3, 4], b: [2, 4, 2]),
  // Shapes.
  TapeCase(body: "r = reshape(a, [4, -1])", a: [2, 3, 2]),
  TapeCase(body: "r = transpose(a, [1, 0, 2]) * b", a: [2, 3, 4], b: [4]),
  TapeCase(body: "r = transpose(a)", a: [2, 3, 4]),
  TapeCase(body: "r = a.T @ b", a: [3, 2], b: [3, 2]),
  TapeCase(body: "r = concatenate([a, b], axis: 1)", a: [2, 3], b: [2, 2]),
  TapeCase(body: "r = concatenate([a, b, a])", a: [2, 3], b: [1, 3]),
  TapeCase(body: "r = stack([a, b], axis: 1)", a: [2, 3], b: [2, 3]),
  TapeCase(body: "r = stack([a, b, a], axis: -1)", a: [3], b: [3]),
  // Indexing: integers, slices (negative steps), lists with repeats, masks, newaxis.
  TapeCase(body: "r = a[1]", a: [3, 4]),
  TapeCase(body: "r = a[0, 1:3] + a[-1, ::-2]", a: [3, 4]),
  TapeCase(body: "r = a[:, [2, 0, 2]]", a: [3, 4]),
  TapeCase(body: "r = a[a > 0]", a: [3, 4]),
  TapeCase(body: "r = a[none, :, 1]", a: [2, 3, 4]),
  TapeCase(body: "r = a[1, 2]", a: [3, 4]),
  // A list of tracked values as an array, a loop over rows, control flow on a tracked scalar.
  TapeCase(body: "r = [a[0], b[1], 2]", a: [3], b: [3]),
  TapeCase(body: "r = 0\n  for row in a { r = r + row * row }", a: [3, 2]),
  TapeCase(body: "if sum(a) > 0 { r = a * 2 } else { r = a * 3 }\n  r = r + len(a)", a: [4]),
  // A whole loss: MSE and BCE by hand.
  TapeCase(body: "r = mean((b * (a - 0.5)) ** 2)", a: [2, 3, 2], b: [2, 3, 2]),
  TapeCase(
    body: "p = clip(a, 1e-7, 1 - 1e-7)\n  r = mean(-(0.3 * log(p + 1e-7) + 0.7 * log(1 - p + 1e-7)))", a: [2, 3, 2],
    positive: true),
]

/// A session with `f` defined from the case, the function value, and random inputs.
private func prepare(_ c: TapeCase, seed: UInt32 = 5) throws -> (Session, FunctionValue, [ArrayValue]) {
  let session = Session()
  try runScript("def f(a, b) {\n  \(c.body)\n  return sum(r * r / 2 + r)\n}", in: session)
  guard case .function(let f)? = session.variables["f"] else { throw RuntimeError("no function") }
  var rng = NumpyRandom(seed: seed)
  func random(_ shape: [Int]) -> ArrayValue {
    let n = shape.reduce(1, *)
    return ArrayValue(shape: shape, values: (0..<n).map { _ in c.positive ? 0.5 + 1.5 * rng.uniform() : rng.normal() })
  }
  return (session, f, [random(c.a), random(c.b)])
}

private let here = SourceLocation(line: 1, column: 1)

private func evaluate(
  _ s: Session, _ f: FunctionValue, _ inputs: [ArrayValue], gradient: Bool
) throws -> (
  value: Double, gradients: [ArrayValue]
) {
  try s.differentiate(f, inputs: inputs, gradient: gradient, context: "test f", at: here) { $0.map { .array($0) } }
}

@Test(arguments: tapeCases)
func tapeGradientMatchesFiniteDifferences(_ c: TapeCase) throws {
  let (session, f, inputs) = try prepare(c)
  let (value, gradients) = try evaluate(session, f, inputs, gradient: true)
  let (plain, _) = try evaluate(session, f, inputs, gradient: false)
  #expect(value == plain, "the value under the tape differs from the ordinary value")
  let h = 1e-6
  for (k, x) in inputs.enumerated() {
    #expect(gradients[k].shape == x.shape)
    for i in x.values.indices {
      var plus = inputs, minus = inputs
      plus[k].values[i] += h
      minus[k].values[i] -= h
      let numeric =
        (try evaluate(session, f, plus, gradient: false).value - (try evaluate(session, f, minus, gradient: false).value))
        / (2 * h)
      let analytic = gradients[k].values[i]
      #expect(
        abs(analytic - numeric) <= 1e-6 * max(1, abs(numeric)),
        "\(c.body): d/d\(k == 0 ? "a" : "b")[\(i)] = \(analytic), finite differences \(numeric)")
    }
  }
  #expect(session.tape == nil, "the tape outlived the call")
}

// MARK: - Errors

private func differentiationError(_ body: String, inputs: [[Int]] = [[3]]) -> RuntimeError? {
  do {
    let session = Session()
    try runScript("seed 1\ndef f(a, b) {\n  \(body)\n}", in: session)
    guard case .function(let f)? = session.variables["f"] else { return nil }
    let xs = inputs.map { ArrayValue(shape: $0, values: [Double](repeating: 0.5, count: $0.reduce(1, *))) }
    _ = try session.differentiate(f, inputs: xs + [ArrayValue(scalar: 1)], gradient: true, context: "loss_function f", at: here) {
      $0.map { .array($0) }
    }
    return nil
  } catch let e as RuntimeError {
    return e
  } catch {
    return nil
  }
}

@Test func anOperationWithoutARuleIsALocatedError() throws {
  let e = try #require(differentiationError("x = a * 2\n  return sum(full([3], mean(x)))"))
  #expect(e.message.hasPrefix("`full` is not differentiable; inside loss_function f at line 4"), "\(e.message)")
  #expect(e.location?.line == 4)
  #expect(e.callChain.first?.function == "f")
}

@Test func assigningIntoATrackedArrayIsRefused() throws {
  let e = try #require(differentiationError("x = a * 1\n  x[0] = 3\n  return sum(x)"))
  #expect(e.message.hasPrefix("assigning into part of an array is not differentiable"), "\(e.message)")
  #expect(e.location?.line == 4)
}

@Test func aCommandOtherThanPrintIsRefusedButPrintReads() throws {
  let e = try #require(differentiationError("print a\n  x = pca a\n  return sum(a)", inputs: [[3, 2]]))
  #expect(e.message.hasPrefix("`pca` is not differentiable"), "\(e.message)")
  #expect(e.location?.line == 4)
}

@Test func aNonScalarResultIsAnError() throws {
  let e = try #require(differentiationError("return a * 2"))
  #expect(e.message.contains("returned an array of shape (3,), not one number"), "\(e.message)")
  #expect(e.location?.line == 2)
}

@Test func aConstantResultHasZeroGradient() throws {
  let session = Session()
  try runScript("def f(a, b) { return 4 }", in: session)
  guard case .function(let f)? = session.variables["f"] else { throw RuntimeError("no function") }
  let (v, g) = try evaluate(session, f, [ArrayValue(vector: [1, 2]), ArrayValue(scalar: 1)], gradient: true)
  #expect(v == 4 && g[0].values == [0, 0])
}

@Test func anArrayFromAnEarlierTapeIsAConstant() throws {
  let first = Tape(serial: 1, context: "first"), second = Tape(serial: 2, context: "second")
  let x = first.input(ArrayValue(vector: [1, 2]))
  #expect(first.tracks(x) && !second.tracks(x))
  let y = try second.binary(.multiply, x, ArrayValue(scalar: 3))
  #expect(!second.tracks(y) && second.nodes.isEmpty)
}
