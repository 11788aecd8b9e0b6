// The models the language can build, one line each. This is the only place that names model types:
// everything else works on `any Network` (PsychRNN/Models/Network.swift). Adding a model is its folder
// under Sources/PsychRNN/Models plus one line here (docs/architecture.md).

import PsychRNN

/// A model constructor of the language (`Basic(task, N_rec: 50)`).
struct ModelEntry: Sendable {
  let name: String
  let summary: String
  let example: String
  let build: @Sendable (_ args: KeyedArguments, _ task: TaskValue?, _ session: Session) throws -> any Network

  /// An entry building `M`; `finish` adjusts the new model (e.g. the class name it was made under).
  static func model<M: Network>(
    _ type: M.Type, _ name: String, summary: String, example: String,
    finish: @escaping @Sendable (inout M) -> Void = { _ in }
  ) -> ModelEntry {
    ModelEntry(name: name, summary: summary, example: example) { args, task, session in
      var model = try ModelBuilder.build(M.self, args, task: task, session: session)
      finish(&model)
      return model
    }
  }
}

enum ModelRegistry {
  static let entries: [ModelEntry] = [
    .model(
      Basic<Float>.self, "Basic",
      summary: "the continuous-time RNN; a task given first supplies N_in, N_out, dt, tau, N_steps, N_batch",
      example: "net = Basic(task, N_rec: 50, dale_ratio: 0.8)"),
    .model(
      Basic<Float>.self, "BasicScan", summary: "PsychRNN's scan-based Basic: the same model and numbers",
      example: "net = BasicScan(task, N_rec: 50)", finish: { $0.variant = .basicScan }),
    .model(
      LSTM<Float>.self, "LSTM",
      summary: "PsychRNN's LSTM (gates f, i, c, o; h = o ⊙ sigmoid(c)); batches must have N_batch trials",
      example: "net = LSTM(task, N_rec: 50)"),
  ]

  static func named(_ name: String) -> ModelEntry? { entries.first { $0.name == name } }

  /// Every weight-matrix name some model can plot (for completion and the parser's words).
  static let weightNames = ["W_rec", "W_in", "W_out", "W_f", "W_i", "W_c", "W_o"]
}
