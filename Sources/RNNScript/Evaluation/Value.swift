// The values a script computes with. A statement evaluates to one of these; the shell decides how
// it looks (Presentation/), so nothing here knows about terminals.

import Linear
import PsychRNN

/// A numeric array of any shape, row-major, in Double (what `.npy` files and `b.x` hold).
public struct ArrayValue: Sendable, Equatable {
  public var shape: [Int]
  public var values: [Double]
  /// Where a tape recorded this array (while a loss or regularizer is differentiated); nil for
  /// every ordinary array. Operations never copy it: a result is marked only by the tape
  /// (Differentiation/Tape.swift).
  var mark: TapeMark? = nil

  public init(shape: [Int], values: [Double]) {
    precondition(shape.reduce(1, *) == values.count, "array shape and size disagree")
    self.shape = shape
    self.values = values
  }

  public init(_ m: Matrix<Double>) { self.init(shape: [m.rows, m.cols], values: m.storage) }
  public init<T: LinearScalar>(_ t: Tensor3<T>) { self.init(shape: t.shape, values: t.storage.map(\.doubleValue)) }
  public init(vector: [Double]) { self.init(shape: [vector.count], values: vector) }

  /// Equal shapes and values (a tape's mark is not part of the value).
  public static func == (a: ArrayValue, b: ArrayValue) -> Bool { a.shape == b.shape && a.values == b.values }

  /// The array as a matrix (1-D arrays become one row), if it has at most two axes.
  public var matrix: Matrix<Double>? {
    switch shape.count {
    case 2: return Matrix(rows: shape[0], cols: shape[1], storage: values)
    case 1: return Matrix(rows: 1, cols: shape[0], storage: values)
    case 0: return Matrix(rows: 1, cols: 1, storage: values)
    default: return nil
    }
  }

  /// The array as a (d0, d1, d2) tensor, if it has three axes.
  public var tensor: Tensor3<Double>? {
    shape.count == 3 ? Tensor3(shape[0], shape[1], shape[2], storage: values) : nil
  }

  /// Element `i` along the first axis (an array with one axis fewer).
  public func element(_ i: Int) -> ArrayValue {
    let inner = Array(shape.dropFirst())
    let n = inner.reduce(1, *)
    return ArrayValue(shape: inner, values: Array(values[(i * n)..<((i + 1) * n)]))
  }
}

/// A value with named fields (a batch, a test result, a training report, trial parameters…).
public struct Record: Sendable {
  /// What kind of record this is, shown when printed (e.g. "batch", "test result").
  public var kind: String
  /// Fields in display order.
  public var fields: [(name: String, value: Value)]

  public init(kind: String, fields: [(name: String, value: Value)]) {
    self.kind = kind
    self.fields = fields
  }

  public subscript(name: String) -> Value? {
    // By position: `first(where:)` would copy every (name, value) pair it passes.
    for i in fields.indices where fields[i].name == name { return fields[i].value }
    return nil
  }
}

/// An initializer as written in a script: `GaussianSpectralRadius(spec_rad: 1.2)`, with any
/// initializer keys (dale_ratio, masks…) given to it.
public struct InitializerValue: Sendable {
  public var kind: InitializerKind
  /// Initializer keys given to it (labelled), with where they were written.
  public var options: [EvaluatedArgument]
}

/// A network in the session: the model (any `Network`: Basic, BasicScan, LSTM …) plus the cuts
/// currently applied to it. Nothing in the language asks which model it is.
public struct NetworkValue: Sendable {
  public var model: any Network
  /// Ablations in force for `simulate`, `test` and `accuracy` (cleared by `restore`).
  public var ablation = Ablation()
  /// Where the network came from when it was loaded ("pd_weights.npz", "a weights record").
  public var source: String?
  /// The task it was last trained on in this session (`fixed_points` samples its trajectories).
  public var trainedOn: (any Task)?

  public init(_ model: any Network, source: String? = nil) {
    self.model = model
    self.source = source
  }

  /// Sizes, dynamics, loss and regularization.
  public var configuration: ModelConfiguration { model.configuration }
  /// Losses and trial counts recorded by training.
  public var history: TrainingHistory { model.history }
  /// The initialization seed, when known.
  public var seed: UInt32? { model.seed }
  /// PsychRNN's class name ("Basic", "BasicScan", "LSTM").
  public var className: String { model.className }
}

/// A task value, keeping the PsychRNN constructor arguments for display.
public struct TaskValue: Sendable {
  public var task: any Task
  /// The constructor arguments as written (for `show` and printing).
  public var arguments: [(key: String, value: Value)]
}

/// A picture for the shell to draw (kept as data; RNNShell renders it with TermPlot).
public enum Plot: Sendable {
  /// Line series over a shared x axis; `dimmed` marks x-intervals drawn faintly (masked-out time).
  /// `yRange` fixes the y axis (else it fits the data).
  case lines(
    title: String, xLabel: String, yLabel: String, series: [PlotSeries], logScale: Bool,
    yRange: ClosedRange<Double>? = nil)
  /// A rows × cols grid of values; `diverging` for signed data (weights), else sequential (rates);
  /// `range` fixes the colour scale (else it fits the data).
  case heatmap(
    title: String, rowLabel: String, colLabel: String, rows: Int, cols: Int, values: [Double],
    diverging: Bool, rowMarks: [(row: Int, label: String)], range: ClosedRange<Double>? = nil)
  /// Several pictures one after another.
  case stack([Plot])
  /// Plain text between pictures.
  case note(String)
}

/// One line of a line plot.
public struct PlotSeries: Sendable {
  public var name: String
  public var x: [Double]
  public var y: [Double]
  public var dimmed: [Range<Double>]
  /// Points only, no lines between them (a scatter plot).
  public var points: Bool
  public init(name: String, x: [Double], y: [Double], dimmed: [Range<Double>] = [], points: Bool = false) {
    self.name = name; self.x = x; self.y = y; self.dimmed = dimmed; self.points = points
  }
}

/// What a statement asks of the session itself rather than computes.
public enum Directive: Sendable, Equatable {
  case quit
  case source(path: String)
  case saveHistory(path: String)
  case clearScreen
}

/// Any value a script can hold. The kinds with large payloads (records, tasks, networks…) are
/// boxed (`indirect`): a value is then at most an array's size, and copying one (the evaluator
/// does, for every name it reads) is a switch and a retain, not the generic copy through the
/// enum's value witnesses that their existentials and tuples would otherwise need.
public enum Value: Sendable {
  case none
  case number(Double)
  case string(String)
  case bool(Bool)
  case list([Value])
  case array(ArrayValue)
  indirect case record(Record)
  indirect case task(TaskValue)
  indirect case network(NetworkValue)
  indirect case initializer(InitializerValue)
  indirect case curriculum(Curriculum)
  indirect case plot(Plot)
  /// A function defined with `def`.
  indirect case function(FunctionValue)
  /// Plain text to show as it is (help, show, vars).
  case text(String)
  /// A request to the session (quit, source, history save).
  indirect case directive(Directive)

  /// The type name used in messages ("expected a task, got a number").
  public var typeName: String {
    switch self {
    case .none: return "none"
    case .number: return "number"
    case .string: return "string"
    case .bool: return "boolean"
    case .list: return "list"
    case .array(let a): return "\(a.shape.count)-d array"
    case .record(let r): return r.kind
    case .task: return "task"
    case .network: return "network"
    case .initializer: return "initializer"
    case .curriculum: return "curriculum"
    case .plot: return "plot"
    case .function: return "function"
    case .text: return "text"
    case .directive: return "directive"
    }
  }
}
