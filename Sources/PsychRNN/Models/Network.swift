// The one seam between a model and everything a front end does with it beyond training (which is
// `RecurrentModel`, Trainer.swift): build it, run it, simulate it with cuts, read its fields, look
// at its weights, describe it. Each model implements it in its own folder (Basic+Network.swift,
// LSTM+Network.swift); the command language holds `any Network` and never asks which model it is.
//
// Everything here is data — numbers, matrices, names, facts with verdicts — never text to print:
// how a value looks is decided by the front end's presentation layer.

import Linear
import NumpyFormat

/// A network the command language can build, run, take apart and describe.
public protocol Network: RecurrentModel {
  /// The class name the network was made with, PsychRNN's ("Basic", "BasicScan", "LSTM").
  var className: String { get }
  /// The seed of the initialization stream, when known (recorded in saved files).
  var seed: UInt32? { get set }

  // MARK: Construction

  /// A freshly initialized network: `initializer` (PsychRNN's default when nil) draws from `rng`.
  init(
    configuration: ModelConfiguration, initializer: InitializerKind?, options: InitializerOptions,
    using rng: inout NumpyRandom) throws
  /// A network from a weights file already read (`path` names it in errors).
  init(configuration: ModelConfiguration, checkpoint: Checkpoint.Contents, path: String) throws
  /// The sizes a weights file fixes, by PsychRNN key (N_in, N_rec, N_out; an LSTM's N_batch).
  static func sizes(in file: Checkpoint.Contents) -> [String: Int]

  // MARK: Running

  /// Outputs and states on trials x (B, S, N_in), with `ablation`'s cuts in force and recurrent
  /// noise from `noise`: what `test`, `accuracy` and the plots run.
  func run(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double>
  /// PsychRNN's Float64 simulator on the effective weights, with the cuts in force.
  func simulate(_ x: Tensor3<Double>, ablation: Ablation, noise: inout NumpyRandom) throws -> ForwardResult<Double>
  /// Throws (`ConfigurationError` keyed "ablate") unless these cuts can be applied to this network.
  func checkAblation(_ ablation: Ablation) throws
  /// The one-step update x ↦ F(x, u) at constant input `input` (N_in values), with the cuts in
  /// force, in Float64 with its Jacobian: what `fixed_points` searches. The state is what `run`
  /// returns as states (an LSTM's: h then c).
  func stepMap(input: [Double], ablation: Ablation) throws -> any StepMap

  // MARK: Inspecting

  /// Every field name `field(_:)` answers, in display order.
  var fieldNames: [String] { get }
  /// A field by its PsychRNN name (`W_rec`, `N_rec`, `dale_ratio` …), or nil.
  func field(_ name: String) -> NetworkField?
  /// The fields of the network's one-line signature, in order.
  var signatureFields: [String] { get }
  /// The matrices `plot weights` can draw.
  var weightNames: [String] { get }
  /// One of `weightNames`, as it acts in the dynamics (or raw, when that is all there is).
  func weights(_ name: String) -> WeightMatrix?
  /// +1 (excitatory) or −1 (inhibitory) per recurrent unit under Dale's law; nil without it.
  var unitSigns: [Double]? { get }
  /// Settings and constraint checks, for `show`.
  func report() throws -> NetworkReport
  /// The arrays `save` writes, in PsychRNN's key order (PsychRNN's `get_weights`).
  func weightEntries() -> [(String, NumpyArray)]
}

/// A field of a network.
public enum NetworkField: Sendable {
  case matrix(Matrix<Double>)
  case vector([Double])
  case number(Double)
  case text(String)
  /// The field exists but holds nothing (an unset `dale_ratio`, an unknown seed).
  case none
}

/// A weight matrix with what its axes index.
public struct WeightMatrix: Sendable {
  public var values: Matrix<Double>
  /// Effective (masks and Dale's signs applied) rather than the raw variable.
  public var isEffective: Bool
  /// What rows and columns index ("to unit", "from input" …).
  public var rowLabel: String
  public var columnLabel: String

  public init(values: Matrix<Double>, isEffective: Bool, rowLabel: String, columnLabel: String) {
    self.values = values; self.isEffective = isEffective; self.rowLabel = rowLabel; self.columnLabel = columnLabel
  }
}

/// What `show` says of a network: a heading of settings, then sections of lines.
public struct NetworkReport: Sendable {
  public var heading: [ReportItem]
  public var sections: [ReportSection]

  public init(heading: [ReportItem], sections: [ReportSection]) {
    self.heading = heading; self.sections = sections
  }
}

/// A titled group of report lines (the untitled first one holds the settings).
public struct ReportSection: Sendable {
  public var title: String?
  public var lines: [ReportLine]

  public init(title: String? = nil, lines: [ReportLine]) { self.title = title; self.lines = lines }
}

/// One line: an optional label, its items, and a verdict when it is a check (✓ true, ✗ false).
public struct ReportLine: Sendable {
  public var label: String?
  public var items: [ReportItem]
  public var verdict: Bool?

  public init(_ label: String, _ items: [ReportItem], verdict: Bool? = nil) {
    self.label = label; self.items = items; self.verdict = verdict
  }

  public init(_ items: [ReportItem], verdict: Bool? = nil) {
    self.label = nil; self.items = items; self.verdict = verdict
  }
}

/// A piece of a report line. Items are shown one after another with a space between them (none
/// before a text that starts with "," or ")"), consecutive settings separated by commas.
public enum ReportItem: Sendable {
  /// `key value`, e.g. N_rec 50.
  case setting(String, ReportValue)
  /// Words as they are.
  case text(String)
  /// A number inside the text.
  case number(Double)
  /// A list of names.
  case names([String])
}

/// A setting's value.
public enum ReportValue: Sendable {
  case number(Double)
  case text(String)
}

// MARK: - What every network has

extension Network {
  /// The fields every network has, from its configuration, history and seed.
  public static var commonFieldNames: [String] {
    [
      "N_in", "N_rec", "N_out", "N_steps", "N_batch", "dt", "tau", "alpha", "transfer_function", "loss_function",
      "losses", "trials", "seed",
    ]
  }

  /// One of `commonFieldNames`.
  public func commonField(_ name: String) -> NetworkField? {
    let c = configuration
    switch name {
    case "N_in": return .number(Double(c.nIn))
    case "N_rec": return .number(Double(c.nRec))
    case "N_out": return .number(Double(c.nOut))
    case "N_steps": return .number(Double(c.nSteps))
    case "N_batch": return .number(Double(c.nBatch))
    case "dt": return .number(c.dt)
    case "tau": return .number(c.tau)
    case "alpha": return .number(c.alpha)
    case "transfer_function": return .text(c.transferFunction.rawValue)
    case "loss_function": return .text(c.lossFunction.name)
    case "losses": return .vector(history.losses.map(\.loss))
    case "trials": return .number(Double(history.trials))
    case "seed": return seed.map { .number(Double($0)) } ?? NetworkField.none
    default: return nil
    }
  }

  /// The report's last lines, common to every network: the seed and what training it has had.
  func historyLines() -> [ReportLine] {
    var lines: [ReportLine] = []
    if let seed { lines.append(ReportLine([.text("initialized with seed"), .number(Double(seed))])) }
    if history.steps > 0 {
      var items: [ReportItem] = [
        .text("trained:"), .number(Double(history.trials)), .text("trials,"),
        .number(Double(history.steps)), .text("steps"),
      ]
      if let last = history.losses.last { items += [.text(", last loss"), .number(last.loss)] }  // "," attaches
      lines.append(ReportLine(items))
    } else if let step = optimizerState?.step, step > 0 {
      lines.append(
        ReportLine([
          .text("trained:"), .number(Double(step)), .text("Adam steps before it was saved (its losses are not in the file)"),
        ]))
    } else {
      lines.append(ReportLine([.text("untrained")]))
    }
    return lines
  }
}
