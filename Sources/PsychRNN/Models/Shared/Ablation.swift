// Ablations: connections or whole units cut, for all steps or only during a window of trial time.
// They compile to per-step 0/1 masks on the effective W_in, W_rec and W_out that the simulator
// multiplies in (PsychRNN's `t_connectivity` generalised to the input and output weights).

import Linear

/// One cut.
public enum Cut: Sendable, Equatable, CustomStringConvertible {
  /// The recurrent weight from unit `from` onto unit `to` (W_rec[to, from]).
  case recurrent(to: Int, from: Int)
  /// The input weight from channel `from` onto unit `to` (W_in[to, from]).
  case input(to: Int, from: Int)
  /// The readout weight from unit `from` onto output `to` (W_out[to, from]).
  case output(to: Int, from: Int)
  /// A whole unit silenced: its outgoing recurrent and readout weights are cut, so it influences
  /// neither other units nor the outputs (its own state still evolves).
  case unit(Int)

  public var description: String {
    switch self {
    case .recurrent(let i, let j): return "W_rec \(i) \(j)"
    case .input(let i, let j): return "W_in \(i) \(j)"
    case .output(let i, let j): return "W_out \(i) \(j)"
    case .unit(let i): return "unit \(i)"
    }
  }
}

/// A cut active during a window of trial time [start, end) (nil bounds: from the start / to the end).
/// Step k (0-based; the update producing states[:, k, :]) is at trial time k·dt.
public struct TimedCut: Sendable, Equatable, CustomStringConvertible {
  public var cut: Cut
  public var start: Double?
  public var end: Double?

  public init(_ cut: Cut, from start: Double? = nil, to end: Double? = nil) {
    self.cut = cut; self.start = start; self.end = end
  }

  /// Whether the cut applies at trial time t.
  public func isActive(at t: Double) -> Bool {
    (start.map { t >= $0 } ?? true) && (end.map { t < $0 } ?? true)
  }

  public var description: String {
    func number(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)" }
    var s = cut.description
    if let a = start { s += " from: \(number(a))" }
    if let b = end { s += " to: \(number(b))" }
    return s
  }
}

/// A set of cuts applied together.
public struct Ablation: Sendable, Equatable {
  public var cuts: [TimedCut]
  public init(_ cuts: [TimedCut] = []) { self.cuts = cuts }

  public var isEmpty: Bool { cuts.isEmpty }

  /// Checks every index against the network's sizes.
  public func validate(nIn: Int, nRec: Int, nOut: Int) throws {
    func check(_ v: Int, _ limit: Int, _ what: String) throws {
      guard (0..<limit).contains(v) else {
        throw ConfigurationError.invalid(key: "ablate", message: "\(what) index \(v) is out of range 0..<\(limit)")
      }
    }
    for timed in cuts {
      switch timed.cut {
      case .recurrent(let i, let j): try check(i, nRec, "unit"); try check(j, nRec, "unit")
      case .input(let i, let j): try check(i, nRec, "unit"); try check(j, nIn, "input")
      case .output(let i, let j): try check(i, nOut, "output"); try check(j, nRec, "unit")
      case .unit(let i): try check(i, nRec, "unit")
      }
      if let a = timed.start, let b = timed.end, !(a < b) {
        throw ConfigurationError.invalid(key: "ablate", message: "time window from: \(a) to: \(b) is empty")
      }
    }
  }

  /// The 0/1 masks (C_in, C_rec, C_out) in force at trial time t.
  func masks(at t: Double, nIn: Int, nRec: Int, nOut: Int) -> (Matrix<Double>, Matrix<Double>, Matrix<Double>) {
    var cIn = Matrix<Double>(rows: nRec, cols: nIn, repeating: 1)
    var cRec = Matrix<Double>(rows: nRec, cols: nRec, repeating: 1)
    var cOut = Matrix<Double>(rows: nOut, cols: nRec, repeating: 1)
    for timed in cuts where timed.isActive(at: t) {
      switch timed.cut {
      case .recurrent(let i, let j): cRec[i, j] = 0
      case .input(let i, let j): cIn[i, j] = 0
      case .output(let i, let j): cOut[i, j] = 0
      case .unit(let u):
        for i in 0..<nRec { cRec[i, u] = 0 }
        for o in 0..<nOut { cOut[o, u] = 0 }
      }
    }
    return (cIn, cRec, cOut)
  }
}
