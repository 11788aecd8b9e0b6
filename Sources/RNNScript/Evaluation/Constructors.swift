// Constructors and built-in functions callable as `Name(args…)`: PsychRNN's tasks, models,
// initializers and Curriculum under their PsychRNN names and keys, plus `load`, `zeros`, `ones`
// and `eye` for arrays.

import Foundation
import Linear
import NumpyFormat
import PsychRNN

/// One callable: its PsychRNN name, the keys it accepts (positional ones first) and how to build it.
struct Constructor: Sendable {
  let name: String
  /// Keys that may be given positionally, in order.
  let positional: [String]
  /// Every accepted key.
  let keys: [String]
  let summary: String
  let example: String
  let build: @Sendable (_ args: KeyedArguments, _ extra: [EvaluatedArgument], _ session: Session) throws -> Value
}

/// Keys of the model's `params` dictionary (spec §2), by group.
enum ModelKeys {
  static let sizes = ["N_in", "N_rec", "N_out", "N_steps", "N_batch", "dt", "tau"]
  static let model = [
    "name", "rec_noise", "load_weights_path", "initializer", "loss_function", "transfer_function",
    "W_in_train", "W_rec_train", "W_out_train", "b_rec_train", "b_out_train", "init_state_train",
  ]
  static let regularization = [
    "L1_in", "L1_rec", "L1_out", "L2_in", "L2_rec", "L2_out", "L2_firing_rate", "custom_regularization",
  ]
  static let initializer = [
    "autapses", "dale_ratio", "which_rand_init", "which_rand_W_rec_init", "init_minval",
    "init_maxval", "input_connectivity", "rec_connectivity", "output_connectivity",
    "Dale_rec", "Dale_out", "W_in", "W_rec", "W_out", "b_rec", "b_out", "init_state", "spec_rad",
  ]
  /// The other keys of a weights file (PsychRNN's get_weights): our seed and Adam step, Adam's slots,
  /// the LSTM's own variables. Accepted so that `Basic(**get_weights(net), …)` rebuilds a network.
  static let weightsFile: [String] =
    ["seed", "adam_step"] + VariableName.lstm.map(\.rawValue)
    + (VariableName.allCases + VariableName.lstm).flatMap { ["\($0)/Adam", "\($0)/Adam_1"] }
  static let all = sizes + model + regularization + initializer + weightsFile
}

enum Constructors {
  static let taskKeys = ["dt", "tau", "T", "N_batch"]

  static let table: [Constructor] = tasks + [userTask] + models + others

  /// One constructor per registered model (ModelRegistry.swift), all with PsychRNN's params keys.
  static let models: [Constructor] = ModelRegistry.entries.map { entry in
    Constructor(name: entry.name, positional: [], keys: ModelKeys.all, summary: entry.summary, example: entry.example) {
      a, extra, session in
      let source = try a.string("load_weights_path") ?? (Checkpoint.requiredKeys.allSatisfy(a.has) ? "a weights record" : nil)
      return .network(NetworkValue(try entry.build(a, try leadingTask(extra, owner: entry.name), session), source: source))
    }
  }

  static let tasks: [Constructor] = [
    Constructor(
      name: "PerceptualDiscrimination", positional: taskKeys + ["coherence", "direction"],
      keys: taskKeys + ["coherence", "direction"],
      summary: "two noisy inputs; report which is larger (2 inputs, 2 outputs)",
      example: "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)"
    ) { a, _, _ in
      let t = try taskTiming(a)
      let task = try PerceptualDiscrimination(
        dt: t.dt, tau: t.tau, duration: t.T, nBatch: t.nBatch,
        coherence: try a.number("coherence"), direction: try a.integer("direction"))
      return .task(TaskValue(task: task, arguments: a.listed()))
    },
    Constructor(
      name: "MatchToCategory", positional: taskKeys + ["N_in", "N_out"], keys: taskKeys + ["N_in", "N_out"],
      summary: "a bump on a ring of inputs; report its category (angular sector)",
      example: "mtc = MatchToCategory(dt: 10, tau: 100, T: 2000, N_batch: 64)"
    ) { a, _, _ in
      let t = try taskTiming(a)
      let task = try MatchToCategory(
        dt: t.dt, tau: t.tau, duration: t.T, nBatch: t.nBatch,
        nIn: try a.integer("N_in") ?? 16, nOut: try a.integer("N_out") ?? 2)
      return .task(TaskValue(task: task, arguments: a.listed()))
    },
    Constructor(
      name: "DelayedDiscrimination",
      positional: taskKeys + ["onset_time", "stim_duration_1", "delay_duration", "stim_duration_2", "decision_duration"],
      keys: taskKeys + ["onset_time", "stim_duration_1", "delay_duration", "stim_duration_2", "decision_duration"],
      summary: "two frequencies separated by a delay; report whether the first is higher",
      example: "dd = DelayedDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)"
    ) { a, _, _ in
      let t = try taskTiming(a)
      let task = try DelayedDiscrimination(
        dt: t.dt, tau: t.tau, duration: t.T, nBatch: t.nBatch, onsetTime: try a.number("onset_time"),
        stimDuration1: try a.number("stim_duration_1"), delayDuration: try a.number("delay_duration"),
        stimDuration2: try a.number("stim_duration_2"), decisionDuration: try a.number("decision_duration"))
      return .task(TaskValue(task: task, arguments: a.listed()))
    },
  ]

  static let others: [Constructor] = [
    Constructor(
      name: "GaussianSpectralRadius", positional: ["spec_rad"], keys: ModelKeys.initializer,
      summary: "default initializer: Gaussian W_rec scaled to spectral radius spec_rad (1.1)",
      example: "net = Basic(task, N_rec: 50, initializer: GaussianSpectralRadius(spec_rad: 1.2))"
    ) { a, _, _ in
      .initializer(
        InitializerValue(
          kind: .gaussianSpectralRadius(specRad: try a.number("spec_rad") ?? 1.1),
          options: a.arguments().filter { $0.label != "spec_rad" }))
    },
    Constructor(
      name: "AlphaIdentity", positional: ["alpha"], keys: ["alpha"] + ModelKeys.initializer,
      summary: "initializer with W_rec = alpha·I (Dale-balanced)",
      example: "net = Basic(task, N_rec: 50, initializer: AlphaIdentity(alpha: 0.5))"
    ) { a, _, _ in
      guard let alpha = try a.number("alpha") else { throw a.error("alpha", "AlphaIdentity needs alpha") }
      return .initializer(
        InitializerValue(kind: .alphaIdentity(alpha: alpha), options: a.arguments().filter { $0.label != "alpha" }))
    },
    Constructor(
      name: "WeightInitializer", positional: [], keys: ModelKeys.initializer,
      summary: "plain initializer: W_rec drawn by which_rand_W_rec_init, or the W_rec given",
      example: "net = Basic(task, N_rec: 50, initializer: WeightInitializer(which_rand_init: \"glorot_unif\"))"
    ) { a, _, _ in
      .initializer(InitializerValue(kind: .weightInitializer, options: a.arguments()))
    },
    Constructor(
      name: "Curriculum", positional: ["tasks"],
      keys: ["tasks", "thresholds", "metric_epoch", "output_file", "accuracies", "metric"],
      summary: "train on tasks in stages; move on when accuracy reaches each threshold",
      example: "c = Curriculum([easy, hard], thresholds: [0.9, 0.9])"
    ) { a, _, session in
      guard case .list(let items)? = a.value("tasks") else { throw a.error("tasks", "expected a list of tasks") }
      let tasks = try items.map { item -> any Task in
        guard case .task(let t) = item else { throw a.error("tasks", "expected tasks in the list, found a \(item.typeName)") }
        return t.task
      }
      do {
        return .curriculum(
          try Curriculum(
            tasks: tasks, thresholds: try a.numbers("thresholds"),
            accuracies: try CurriculumFunctions.accuracies(a, session: session),
            metricEpoch: try a.integer("metric_epoch") ?? 10,
            outputFile: try a.string("output_file").map(session.resolve),
            metric: try CurriculumFunctions.metric(a, session: session)))
      } catch let e as ConfigurationError {
        throw a.error(e)
      }
    },
    Constructor(
      name: "load", positional: ["path"], keys: ["path"],
      summary: "read a .npy file (an array) or a .npz file (a record of its arrays)",
      example: "w = load(\"pd_weights.npz\")"
    ) { a, _, session in
      guard let path = try a.string("path") else { throw a.error("path", "load needs a file name") }
      return try FileValues.load(session.resolve(path))
    },
    Constructor(
      name: "random_mask", positional: ["rows", "cols", "density"], keys: ["rows", "cols", "density"],
      summary: "a 0/1 connectivity mask, each entry 1 with probability density (initialization stream)",
      example: "mask = random_mask(50, 50, 0.5)"
    ) { a, _, session in
      let m = try filledMatrix(a, 0)
      let p = try a.number("density") ?? 0.5
      guard (0...1).contains(p) else { throw a.error("density", "must be between 0 and 1") }
      let mask = Matrix<Double>(rows: m.rows, cols: m.cols) { _, _ in session.random.initialization.uniform() < p ? 1 : 0 }
      return .array(ArrayValue(mask))
    },
  ]

  static func named(_ name: String) -> Constructor? { index[name] }
  private static let index: [String: Constructor] = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

  private static func taskTiming(_ a: KeyedArguments) throws -> (dt: Double, tau: Double, T: Double, nBatch: Int) {
    for key in taskKeys where !a.has(key) {
      throw RuntimeError("\(a.owner) needs \(key) (give dt, tau, T and N_batch)", at: a.location)
    }
    return (try a.number("dt")!, try a.number("tau")!, try a.number("T")!, try a.integer("N_batch")!)
  }

  private static func filledMatrix(_ a: KeyedArguments, _ v: Double) throws -> Matrix<Double> {
    guard let r = try a.integer("rows"), r >= 0, r <= 100_000 else {
      throw a.error("rows", "expected a size between 0 and 100000")
    }
    let c = try a.integer("cols") ?? 1
    guard c >= 0, c <= 100_000, r * c <= 50_000_000 else { throw a.error("cols", "expected a size between 0 and 100000") }
    return Matrix(rows: r, cols: c, repeating: v)
  }

  /// A model constructor's optional first positional argument: a task.
  private static func leadingTask(_ extra: [EvaluatedArgument], owner: String) throws -> TaskValue? {
    guard let first = extra.first else { return nil }
    if extra.count > 1 {
      throw RuntimeError(
        "\(owner) takes one positional argument (a task); give the rest as key: value", at: extra[1].location,
        length: extra[1].length)
    }
    guard case .task(let t) = first.value else {
      throw RuntimeError(
        "\(owner)'s positional argument must be a task, got a \(first.value.typeName)", at: first.location, length: first.length)
    }
    return t
  }
}

extension KeyedArguments {
  /// The given arguments as (key, value) pairs, in the order written.
  func listed() -> [(key: String, value: Value)] { order.map { ($0, entries[$0]!.value) } }

  /// The given arguments, labelled with their keys, in the order written.
  func arguments() -> [EvaluatedArgument] {
    order.map { key in
      var a = entries[key]!
      a.label = key
      return a
    }
  }
}
