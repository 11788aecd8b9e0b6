// Running `.rnn` source in a session, for the language tests: what the top-level statements show,
// then what blocks showed as they ran, in order. A syntax error is thrown as its Diagnostic.

@testable import RNNScript

@discardableResult
func runScript(_ source: String, in session: Session = Session()) throws -> [Value] {
  let (statements, diagnostics) = Parser(source: source, commands: Commands.verbs).parse()
  if let d = diagnostics.first { throw d }
  var shown: [Value] = []
  for s in statements {
    let before = session.shownInBlocks.count
    if case .show(let v) = try session.execute(s) { shown.append(v) }
    shown += session.shownInBlocks[before...]
  }
  return shown
}
