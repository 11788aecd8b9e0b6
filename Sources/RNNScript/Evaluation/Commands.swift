// The one table that defines the commands: name, usage, summary, example, option keys and what
// runs. `help`, tab completion and the parser's set of verbs are all generated from it.

import Foundation
import Linear
import NumpyFormat
import PsychRNN

/// A command of the language.
public struct CommandSpec: Sendable {
  public let name: String
  public let usage: String
  public let summary: String
  public let example: String
  /// Option keys (`key: value`) the command accepts.
  public let options: [String]
  /// Whether any key is accepted (`report NAME: VALUE …` names its own keys).
  public let acceptsAnyOption: Bool
  /// The bare words it takes positionally (`plot loss`, `ablate W_rec`, `help train`), for completion.
  public var words: [String] { wordList() }
  private let wordList: @Sendable () -> [String]
  /// Whether its value is shown when the statement is not an assignment (`train` shows its own
  /// progress and summary instead; its report is kept only when assigned).
  public let showsResult: Bool
  let run: @Sendable (inout CommandContext) throws -> Value

  init(
    name: String, usage: String, summary: String, example: String, options: [String],
    words: @autoclosure @escaping @Sendable () -> [String] = [], showsResult: Bool = true,
    acceptsAnyOption: Bool = false, run: @escaping @Sendable (inout CommandContext) throws -> Value
  ) {
    self.name = name; self.usage = usage; self.summary = summary; self.example = example
    self.options = options; self.acceptsAnyOption = acceptsAnyOption; self.wordList = words; self.showsResult = showsResult;
    self.run = run
  }
}

public enum Commands {
  public static let table: [CommandSpec] = [
    CommandSpec(
      name: "seed", usage: "seed N", summary: "reseed the initialization, trial and noise streams",
      example: "seed 7", options: [], run: SessionCommands.seed),
    CommandSpec(
      name: "batch", usage: "batch TASK [trials: K]", summary: "one batch of trials: b.x, b.y, b.mask, b.params",
      example: "b = batch task", options: ["trials"], run: AnalysisCommands.batch),
    CommandSpec(
      name: "train", usage: "train [NET] TASK|CURRICULUM [train params…]",
      summary: "train with PsychRNN's train params; Ctrl-C stops after the current batch",
      example: "train net task training_iters: 64000", options: TrainCommand.keys, showsResult: false,
      run: TrainCommand.run),
    CommandSpec(
      name: "test", usage: "test [NET] TASK|X", summary: "run trials: outputs, states and, for a task, accuracy",
      example: "r = test net task", options: [], run: AnalysisCommands.test),
    CommandSpec(
      name: "accuracy", usage: "accuracy [NET] TASK", summary: "the task's accuracy on a fresh batch",
      example: "acc = accuracy net task", options: [], run: AnalysisCommands.accuracy),
    CommandSpec(
      name: "simulate", usage: "simulate [NET] X|TASK", summary: "the Float64 simulator with the current ablations",
      example: "r = simulate net b.x", options: [], run: AnalysisCommands.simulate),
    CommandSpec(
      name: "pca", usage: "pca X [n: 3] | pca [NET] TASK [n: 3]",
      summary: "principal components of states (trials × steps × units): a record show, plot and save understand",
      example: "p = pca net task n: 3", options: PCACommand.options, run: PCACommand.run),
    CommandSpec(
      name: "psychometric", usage: "psychometric [NET] TASK [trials: 4000] [by: \"coherence\"] [lapses: true]",
      summary: "P(choice 1) per signed level with 95% intervals, and the maximum-likelihood logistic fit with lapses",
      example: "psy = psychometric net task trials: 4000 by: \"coherence\"", options: PsychometricCommand.options,
      run: PsychometricCommand.run),
    CommandSpec(
      name: "chronometric", usage: "chronometric [NET] TASK [trials: 4000] [by: \"coherence\"] [threshold: 0.2]",
      summary: "reaction time per stimulus strength: the first time the chosen output leads the other by threshold",
      example: "rt = chronometric net task threshold: 0.2", options: ChronometricCommand.options, run: ChronometricCommand.run),
    CommandSpec(
      name: "lesion_sweep", usage: "lesion_sweep [NET] TASK [trials: K]",
      summary: "accuracy after silencing each unit in turn (and the E and I groups under Dale's law), on one batch",
      example: "ls = lesion_sweep net task", options: LesionSweepCommand.options, run: LesionSweepCommand.run),
    CommandSpec(
      name: "task_variance", usage: "task_variance [NET] TASK|[TASK, …] [trials: 512] [activity: \"rates\"] [clusters: 10]",
      summary: "each unit's activity variance across a task's trials (Yang et al. 2019), normalised over tasks, units clustered",
      example: "tv = task_variance net [pd, dd]", options: TaskVarianceCommand.options, run: TaskVarianceCommand.run),
    CommandSpec(
      name: "choices", usage: "choices [NET] TASK [trials: K]",
      summary: "each trial's choice (the masked-choice rule), as an array", example: "k = choices net task",
      options: ChoiceArraysCommand.choiceOptions, run: ChoiceArraysCommand.choices),
    CommandSpec(
      name: "reaction_times", usage: "reaction_times [NET] TASK [trials: K] [threshold: 0.2]",
      summary: "each trial's reaction time (first time the choice leads by threshold; nan if never), as an array",
      example: "t = reaction_times net task threshold: 0.2", options: ChoiceArraysCommand.rtOptions, run: ChoiceArraysCommand.rt),
    CommandSpec(
      name: "fixed_points",
      usage:
        "fixed_points [NET] [TASK] [input: [0, 0]] [inits: 1024|X] [noise: 0] [tol_q: 1e-12] [max_iters: 200] [tol_unique: 1e-3] …",
      summary: "fixed points and slow points at a constant input, with each one's Jacobian eigenvalues and stability",
      example: "fp = fixed_points net task input: [0, 0] inits: 1024", options: FixedPointsCommand.options,
      run: FixedPointsCommand.run),
    CommandSpec(
      name: "ablate", usage: "ablate [NET] W_rec I J | W_in I J | W_out I J | unit I [from: T0] [to: T1]",
      summary: "cut a connection (W_rec I J: from unit J onto unit I) or silence a unit, optionally in a time window",
      example: "ablate W_rec 3 7 from: 500 to: 1000", options: ["from", "to"], words: AnalysisCommands.ablateWords,
      run: AnalysisCommands.ablate),
    CommandSpec(
      name: "restore", usage: "restore [NET]", summary: "remove every ablation", example: "restore net",
      options: [], run: AnalysisCommands.restore),
    CommandSpec(
      name: "save", usage: "save NET \"file.npz\" | save RECORD \"file.npz\" | save VALUE \"file.npy\" | save VALUE \"file.csv\"",
      summary: "write a network as a PsychRNN weights file, a record as .npz, an array as .npy, a table as .csv (atomically)",
      example: "save net \"pd_weights.npz\"", options: [], run: SessionCommands.save),
    CommandSpec(
      name: "plot",
      usage:
        "plot loss [NET…] | plot outputs|states [NET] TASK|RESULT [trial: K] | plot weights [NET] W_rec | plot scatter X Y | plot EXPR…",
      summary:
        "draw loss curves, outputs against targets, a state heatmap, a weight matrix, points, or any array (title:, xlabel:, ylabel:, labels:, kind:, vmin:, vmax:)",
      example: "plot states net task trial: 0", options: PlotCommands.options,
      words: PlotCommands.kinds + ModelRegistry.weightNames, run: PlotCommands.plot),
    CommandSpec(
      name: "show", usage: "show [NET] | show TASK | show RECORD",
      summary: "a network's settings and constraint check, a task's trial timeline, or an analysis's table (pca, fixed_points)",
      example: "show net", options: [], run: PlotCommands.show),
    CommandSpec(
      name: "report", usage: "report NAME: VALUE …", summary: ReportCommand.summary, example: "report accuracy: acc loss: l",
      options: [], acceptsAnyOption: true, run: ReportCommand.run),
    CommandSpec(
      name: "vars", usage: "vars", summary: "list the variables", example: "vars", options: [], run: SessionCommands.vars),
    CommandSpec(
      name: "use", usage: "use NET", summary: "make NET the network commands act on by default",
      example: "use net2", options: [], run: SessionCommands.use),
    CommandSpec(
      name: "print", usage: "print EXPR …", summary: "print values (strings without quotes)",
      example: "print \"accuracy\" acc", options: [], run: SessionCommands.print),
    CommandSpec(
      name: "help", usage: "help [COMMAND|CONSTRUCTOR|FUNCTION]",
      summary: "this list, or one command's, constructor's or function's details",
      example: "help train", options: [],
      words: Commands.table.map(\.name) + Commands.constructorNames + Builtins.table.map(\.name), run: SessionCommands.help),
    CommandSpec(
      name: "source", usage: "source \"file.rnn\"", summary: "run a script in this session",
      example: "source \"setup.rnn\"", options: [], run: SessionCommands.source),
    CommandSpec(
      name: "history", usage: "history save \"file.rnn\"", summary: "write the statements that succeeded as a replayable script",
      example: "history save \"session.rnn\"", options: [], words: ["save"], run: SessionCommands.history),
    CommandSpec(
      name: "clear", usage: "clear", summary: "clear the screen", example: "clear", options: [],
      run: { ctx in
        try ctx.finish()
        return .directive(.clearScreen)
      }),
    CommandSpec(
      name: "quit", usage: "quit", summary: "leave (Ctrl-D too)", example: "quit", options: [], run: { _ in .directive(.quit) }),
    CommandSpec(
      name: "exit", usage: "exit", summary: "leave (same as quit)", example: "exit", options: [], run: { _ in .directive(.quit) }),
  ]

  /// The command called `name`.
  public static func named(_ name: String) -> CommandSpec? { byName[name] }
  private static let byName = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

  /// Every verb, for the parser.
  public static var verbs: Set<String> { Set(table.map(\.name)) }

  /// Every constructor and function name, for completion and help.
  public static var constructorNames: [String] { Constructors.table.map(\.name) }

  /// Every built-in function's name, for completion and help.
  public static var functionNames: [String] { Builtins.names }

  /// The fields of a value, for completion.
  public static func fieldNames(of v: Value) -> [String] { Members.fieldNames(of: v) }

  /// The bare words `command` takes in `session`: its table's, and for `help` the task library's
  /// names too (for completion).
  public static func words(of command: String, in session: Session) -> [String] {
    let words = named(command)?.words ?? []
    return command == "help" ? words + session.libraryNames : words
  }

  /// The keys a constructor accepts, for completion.
  public static func keys(of constructor: String) -> [String] { Constructors.named(constructor)?.keys ?? [] }
}

/// Commands about the session itself.
enum SessionCommands {
  static func seed(_ ctx: inout CommandContext) throws -> Value {
    let n = try ctx.integer("the seed")
    try ctx.finish()
    guard (0...Int(UInt32.max)).contains(n) else {
      throw RuntimeError("a seed must be between 0 and \(UInt32.max)", at: ctx.location)
    }
    ctx.session.reseed(UInt32(n))
    return .none
  }

  static func use(_ ctx: inout CommandContext) throws -> Value {
    guard let w = ctx.peekWord, case .network? = ctx.session.variables[w] else {
      throw ctx.error("use needs the name of a network variable")
    }
    _ = try ctx.value("a network")
    try ctx.finish()
    ctx.session.currentNetwork = w
    return .none
  }

  static func print(_ ctx: inout CommandContext) throws -> Value {
    var values: [Value] = []
    while ctx.hasMore { values.append(try ctx.value("a value").value) }
    if values.count == 1 { return values[0] }
    // Several values: one line, strings without quotes, separated by spaces.
    return .text(values.map(Printer.plain).joined(separator: " "))
  }

  static func save(_ ctx: inout CommandContext) throws -> Value {
    let (v, a) = try ctx.value("what to save")
    let written = try ctx.string("a file name")
    let path = ctx.session.resolve(written)
    try ctx.finish()
    let at = a.location
    do {
      if written.hasSuffix(".csv") {
        if case .network = v {
          throw RuntimeError("a network is saved as .npz (a PsychRNN weights file)", at: at, length: a.length)
        }
        try CSV.save(v, to: path, at: at)
        return .text("saved \(a.word ?? Printer.summary(v)) to \(written)")
      }
      switch v {
      case .network(let n):
        try n.model.save(to: path)
        let note = n.ablation.isEmpty ? "" : " (ablations are not saved; the file holds the intact network)"
        return .text("saved \(a.word ?? "network") to \(Checkpoint.npzPath(written))\(note)")
      case .record(let r):
        guard written.hasSuffix(".npz") else {
          throw RuntimeError("a record is saved as .npz (its fields as arrays) or .csv (a table)", at: at, length: a.length)
        }
        let left = try FileValues.save(r, to: path, at: at)
        let note = left.isEmpty ? "" : "; text left out: \(left.joined(separator: ", ")) (the .csv keeps names)"
        return .text("saved \(a.word ?? r.kind) (\(r.fields.count) field\(r.fields.count == 1 ? "" : "s")) to \(written)\(note)")
      case .array, .number, .list, .bool:
        guard let arr = try v.asArray(at: at) else { throw RuntimeError("cannot save a \(v.typeName)", at: at) }
        guard !written.hasSuffix(".npz") else {
          throw RuntimeError(
            "an array is saved as .npy or .csv; for .npz, save a record: save {x: x} \"\(written)\"", at: at, length: a.length)
        }
        try FileValues.save(arr, to: path)
        return .text("saved array \(Format.shape(arr.shape)) to \(written)")
      default:
        throw RuntimeError(
          "save writes networks (.npz), records (.npz, .csv) and arrays (.npy, .csv), not a \(v.typeName)", at: at,
          length: a.length)
      }
    } catch let e as NumpyFormatError {
      throw RuntimeError("cannot save to \(path): \(e)", at: ctx.location, length: ctx.name.count)
    }
  }

  static func vars(_ ctx: inout CommandContext) throws -> Value {
    try ctx.finish()
    let s = ctx.session
    guard !s.definitionOrder.isEmpty else { return .text("no variables yet") }
    let width = s.definitionOrder.map(\.count).max() ?? 0
    let lines = s.definitionOrder.map { name -> String in
      let v = s.variables[name]!
      let marker = name == s.currentNetwork ? " *" : ""
      return name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Printer.summary(v) + marker
    }
    return .text((lines + (s.currentNetwork != nil ? ["(* the current network)"] : [])).joined(separator: "\n"))
  }

  static func source(_ ctx: inout CommandContext) throws -> Value {
    let path = try ctx.string("a script file name")
    try ctx.finish()
    return .directive(.source(path: ctx.session.resolve(path)))
  }

  static func history(_ ctx: inout CommandContext) throws -> Value {
    _ = try ctx.word(["save"], what: "what to do with the history")
    let path = try ctx.string("a file name")
    try ctx.finish()
    return .directive(.saveHistory(path: ctx.session.resolve(path)))
  }

  // MARK: help

  static func help(_ ctx: inout CommandContext) throws -> Value {
    guard ctx.hasMore else { return .text(overview(library: ctx.session.libraryNames)) }
    let topic = ctx.arguments[0].word ?? ""
    _ = try? ctx.value("a topic")
    if let c = Commands.named(topic) {
      var lines = ["usage: \(c.usage)", "  \(c.summary)", "example: \(c.example)"]
      if !c.options.isEmpty { lines.append("options: " + c.options.map { "\($0):" }.joined(separator: " ")) }
      return .text(lines.joined(separator: "\n"))
    }
    if let k = Constructors.named(topic) {
      var lines = [
        "\(k.name)(\(k.positional.isEmpty ? "" : k.positional.joined(separator: ", ") + ", ")key: value…)", "  \(k.summary)",
        "example: \(k.example)",
      ]
      if k.name == "Basic" || k.name == "BasicScan" || k.name == "LSTM" {
        lines.append("sizes:          " + ModelKeys.sizes.joined(separator: " "))
        lines.append("model:          " + ModelKeys.model.joined(separator: " "))
        lines.append("regularization: " + ModelKeys.regularization.joined(separator: " "))
        lines.append("initialization: " + ModelKeys.initializer.joined(separator: " "))
      } else if !k.keys.isEmpty {
        lines.append("keys: " + k.keys.joined(separator: " "))
      }
      return .text(lines.joined(separator: "\n"))
    }
    if let f = Builtins.named(topic) {
      return .text(["\(f.signature)", "  \(f.summary)", "example: \(f.example)"].joined(separator: "\n"))
    }
    if let text = try ctx.session.library.help(topic, at: ctx.arguments[0].location) { return .text(text) }
    throw RuntimeError(
      "no help on '\(topic)'\(ctx.session.libraryMissingNote(topic))", at: ctx.arguments[0].location, length: topic.count,
      suggestion: suggestion(
        for: topic, among: Commands.table.map(\.name) + Constructors.table.map(\.name) + ctx.session.libraryNames))
  }

  static func overview(library: [String] = []) -> String {
    let width = Commands.table.map(\.usage.count).max() ?? 0
    var lines = ["commands (help COMMAND for details):"]
    for c in Commands.table where c.name != "exit" {
      let usage = c.usage.count > 44 ? c.name + " …" : c.usage
      lines.append("  " + usage.padding(toLength: min(width, 44), withPad: " ", startingAt: 0) + "  " + c.summary)
    }
    lines.append("constructors and functions (help NAME for keys):")
    for k in Constructors.table {
      lines.append("  " + k.name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  " + k.summary)
    }
    lines.append("functions (help NAME for the signature and an example):")
    var row = "  "
    for f in Builtins.table.map(\.name) {
      if row.count + f.count > 96 { lines.append(row); row = "  " }
      row += f + " "
    }
    lines.append(row)
    if !library.isEmpty {
      lines.append("task library (help NAME for its parameters and paper; docs/tasks.md):")
      lines.append("  " + library.joined(separator: " "))
    }
    lines.append("constants: nan inf pi    control: if … { } else { }, for x in xs { }, while c { }, def f(a, b: 1) { return … }")
    lines.append(
      "values: numbers, \"strings\", f\"{x:.3f}\", true/false, none, lists [1, 2], records {a: 1}, arrays (numpy's rules)")
    lines.append("W_rec I J is the weight from unit J onto unit I (0-based); without NET, commands use the current network")
    return lines.joined(separator: "\n")
  }
}
