// Shared helpers for the Syntax tests: the command set the evaluator will pass, and shortcuts
// that parse a source and return what the tests compare (S-expressions, rendered diagnostics).

@testable import RNNScript

enum SyntaxFixture {
  /// The command verbs, as the evaluator's command table will list them.
  static let commands: Set<String> = [
    "seed", "batch", "train", "test", "accuracy", "simulate", "ablate", "restore", "save", "plot",
    "show", "vars", "use", "help", "quit", "exit", "print", "source", "history",
  ]

  /// The quickstart script from the issue.
  static let quickstart = """
    seed 7
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)
    net = Basic(task, N_rec: 50)
    train net task training_iters: 64000
    acc = accuracy net task
    print acc
    plot loss net
    plot states net task trial: 0
    save net "pd_weights.npz"
    """

  /// Parses `source` as if read from `file`.
  static func parse(
    _ source: String, file: String? = "script.rnn"
  )
    -> (statements: [ParsedStatement], diagnostics: [Diagnostic])
  {
    Parser(source: source, file: file, commands: commands).parse()
  }

  /// The S-expressions of the statements of `source`, which must parse without diagnostics.
  static func structures(_ source: String) -> [String] {
    let (statements, diagnostics) = parse(source)
    guard diagnostics.isEmpty else { return diagnostics.map { "ERROR " + $0.description } }
    return statements.map(\.statement.structure)
  }

  /// The S-expression of the one statement in `source`.
  static func structure(_ source: String) -> String {
    structures(source).joined(separator: " ; ")
  }

  /// The diagnostics of `source` (read from `script.rnn`), each rendered with its source line.
  static func errors(_ source: String) -> [String] {
    parse(source).diagnostics.map {
      $0.render(sourceLine: sourceLine($0.location.line, in: source))
    }
  }

  /// The first lines (headers) of the diagnostics of `source`.
  static func headers(_ source: String) -> [String] {
    parse(source).diagnostics.map(\.description)
  }
}
