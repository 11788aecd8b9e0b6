// Test support for the array operations: numpy itself is the oracle. A batch of cases is written
// as one python3 script (each case a numpy expression over arrays spelled out exactly), run once,
// and every printed result is compared with what ArrayOps computes: shapes exactly, values bit for
// bit (every nan equal to every nan, and -0.0 distinct from 0.0) unless a case allows a relative
// tolerance. A case numpy rejects must throw an ArrayError here. Tests skip when python3 with numpy
// is missing.

import Foundation
import TestSupport
import Testing
@testable import RNNScript

enum ArrayNumpy {
  /// Whether `python3` with numpy can be run here.
  static let available: Bool = (try? run("import numpy; print('ok')")) == "ok\n"

  /// Runs `script` with python3 (TestSupport's runner) and returns its standard output.
  static func run(_ script: String) throws -> String { try Python.run(script) }

  /// What numpy gave for one case.
  enum Outcome {
    case value(shape: [Int], values: [Double])
    case error(String)
  }

  /// The prelude: `A(shape, "v v v")` builds an exact float64 array; `emit` prints a result as
  /// `tag ok ndim d… v…` (values as repr, which round-trips) or `tag err ExceptionName`.
  static let prelude = """
    import numpy as np, warnings
    warnings.simplefilter('ignore')
    def A(shape, text):
        return np.array([float(t) for t in text.split()], dtype=np.float64).reshape(shape)
    def setitem(a, idx, v):
        a = a.copy(); a[idx] = v; return a
    def emit(tag, f):
        try:
            r = np.asarray(f(), dtype=np.float64)
        except Exception as e:
            print(tag, 'err', type(e).__name__); return
        print(tag, 'ok', r.ndim, *r.shape, *[repr(float(v)) for v in r.ravel()])

    """

  /// Evaluates each python expression (numpy as `np`, arrays via `literal`) and returns the outcomes in order.
  static func evaluate(_ expressions: [String], setup: String = "") throws -> [Outcome] {
    var script = prelude + setup + "\n"
    for (i, e) in expressions.enumerated() { script += "emit(\(i), lambda: \(e))\n" }
    var outcomes = [Outcome?](repeating: nil, count: expressions.count)
    for line in try run(script).split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init)
      guard words.count >= 3, let tag = Int(words[0]) else { continue }
      if words[1] == "err" {
        outcomes[tag] = .error(words[2])
      } else {
        let rank = Int(words[2])!
        let shape = words[3..<(3 + rank)].map { Int($0)! }
        outcomes[tag] = .value(shape: shape, values: words[(3 + rank)...].map { Double($0)! })
      }
    }
    return try outcomes.enumerated().map { i, o in
      guard let o else { throw ArrayNumpyError(description: "numpy printed nothing for \(expressions[i])") }
      return o
    }
  }

  /// A subscript as numpy text: `np.s_[0, 1:3, None, ...,]` (a tuple), `()` when empty.
  static func index(_ idx: [ArrayIndex]) -> String {
    if idx.isEmpty { return "()" }
    func part(_ i: Int?) -> String { i.map(String.init) ?? "" }
    let items = idx.map { item -> String in
      switch item {
      case .index(let i): return "\(i)"
      case .slice(let start, let stop, let step): return "\(part(start)):\(part(stop)):\(part(step))"
      case .indices(let list): return "np.array([\(list.map(String.init).joined(separator: ", "))], dtype=np.intp)"
      case .mask(let m): return "\(literal(m)).astype(bool)"
      case .newAxis: return "None"
      case .ellipsis: return "..."
      }
    }
    return "np.s_[" + items.joined(separator: ", ") + ",]"
  }

  /// An array as a python expression that rebuilds it exactly.
  static func literal(_ a: ArrayValue) -> String {
    "A(\(Format.shape(a.shape)), '\(a.values.map { "\($0)" }.joined(separator: " "))')"
  }
}

struct ArrayNumpyError: Error, CustomStringConvertible {
  let description: String
}

/// One comparison with numpy: a python expression and the Swift computation that should agree.
struct NumpyCase {
  var label: String
  var python: String
  var swift: () throws -> ArrayValue
  /// Allowed relative difference (0: bit for bit).
  var tolerance: Double = 0

  init(_ label: String, _ python: String, tolerance: Double = 0, _ swift: @escaping () throws -> ArrayValue) {
    self.label = label
    self.python = python
    self.tolerance = tolerance
    self.swift = swift
  }
}

/// Whether two doubles agree: bit for bit (any nan matches any nan), or within `tolerance` relative.
func arraysAgree(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
  if tolerance == 0 || a.isInfinite || b.isInfinite { return a.bitPattern == b.bitPattern }
  return abs(a - b) <= tolerance * Swift.max(abs(a), abs(b)) || abs(a - b) < 1e-300
}

/// Runs every case through numpy and ArrayOps and records a failure for each disagreement.
/// Returns how many cases numpy answered with a value (so a test can check it compared something).
@discardableResult
func checkAgainstNumpy(
  _ cases: [NumpyCase], setup: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Int {
  let outcomes = try ArrayNumpy.evaluate(cases.map(\.python), setup: setup)
  var compared = 0
  for (c, outcome) in zip(cases, outcomes) {
    let mine: Result<ArrayValue, Error> = Result { try c.swift() }
    switch (outcome, mine) {
    case (.value(let shape, let values), .success(let got)):
      compared += 1
      #expect(got.shape == shape, "\(c.label): shape \(got.shape), numpy \(shape)", sourceLocation: sourceLocation)
      guard got.shape == shape else { continue }
      let bad = values.indices.filter { !arraysAgree(got.values[$0], values[$0], tolerance: c.tolerance) }
      #expect(
        bad.isEmpty,
        "\(c.label): \(bad.count) of \(values.count) values differ, first at \(bad.first ?? 0): \(bad.first.map { got.values[$0] } ?? 0) vs numpy \(bad.first.map { values[$0] } ?? 0)",
        sourceLocation: sourceLocation)
    case (.value, .failure(let error)):
      Issue.record("\(c.label): threw \(error), numpy gave a value", sourceLocation: sourceLocation)
    case (.error(let name), .success(let got)):
      Issue.record("\(c.label): gave shape \(got.shape), numpy raised \(name)", sourceLocation: sourceLocation)
    case (.error, .failure(let error)):
      #expect(error is ArrayError, "\(c.label): threw \(error), not an ArrayError", sourceLocation: sourceLocation)
    }
  }
  return compared
}

/// Deterministic test arrays drawn from a pool of awkward values (zeros of both signs, halves, nan,
/// ±inf, negatives, tiny and large magnitudes).
enum ArraySamples {
  static let pool: [Double] = [
    1.5, -2, 0, 3, -0.5, 2.5, .nan, 7, -3.25, .infinity, 0.5, -7, 1e-300, 4, -0.0, 1e300, -1.5, 6, -.infinity, 0.1,
  ]
  static let finitePool: [Double] = [1.5, -2, 0, 3, -0.5, 2.5, 7, -3.25, 0.5, -7, 4, -1.5, 6, 0.1, 10, -4, 2, -0.25, 5, -6]

  /// An array of `shape` with values from `pool` starting at `seed`, stepping by a stride coprime to its size.
  static func array(_ shape: [Int], seed: Int = 0, finite: Bool = false) -> ArrayValue {
    let source = finite ? finitePool : pool
    let count = shape.reduce(1, *)
    return ArrayValue(shape: shape, values: (0..<count).map { source[(seed + $0 * 7) % source.count] })
  }

  /// An array of `shape` with pseudo-random normal-ish values (a fixed linear congruential generator).
  static func random(_ shape: [Int], seed: UInt64 = 1) -> ArrayValue {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    let count = shape.reduce(1, *)
    let values = (0..<count).map { _ -> Double in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(Int64(bitPattern: state >> 11) % 2_000_000 - 1_000_000) / 1_000_000 * 1.37
    }
    return ArrayValue(shape: shape, values: values)
  }
}

/// The `ArrayError` `body` throws, or nil if it throws nothing (or something else).
func arrayError(_ body: () throws -> Any) -> ArrayError? {
  do {
    _ = try body()
    return nil
  } catch let e as ArrayError {
    return e
  } catch {
    return nil
  }
}
