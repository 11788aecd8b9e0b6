// Scripts as the shell runs them: parsed whole before anything runs, errors inside functions shown
// with their line and call chain, loops printing as they go, history that replays what happened,
// and networks loaded from files saying so.

import Foundation
import Testing

@testable import RNNScript
@testable import RNNShell

@Test func aSyntaxErrorLaterInAScriptStopsItBeforeLineOne() throws {
  let (exit, output, dir) = try ExampleSupport.run(
    """
    save [1, 2, 3] "early.csv"
    x = 1
    y = (2 +
    """, file: "late.rnn")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .failed(status: 65))
  #expect(output.contains("late.rnn:3:5: error: '(' is never closed"))
  #expect(!FileManager.default.fileExists(atPath: dir + "/early.csv"))  // line 1 never ran
}

@Test func errorsInsideFunctionsShowTheirLineAndTheCallChain() throws {
  let (exit, output, dir) = try ExampleSupport.run(
    """
    def inner(v) {
      return v + "text"
    }
    def outer(v) {
      return inner(v * 2)
    }
    print "before"
    outer(1)
    """, file: "chain.rnn")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .failed(status: 70))
  let expected = [
    "chain.rnn:2:12: error: cannot apply '+' to a number and a string",
    "      return v + \"text\"",
    "               ^",
    "    in inner(), called at chain.rnn:5:10",
    "    in outer(), called at chain.rnn:8:1",
  ].joined(separator: "\n")
  #expect(output.contains(expected), "\(output)")
}

@Test func loopsPrintAsTheyRun() throws {
  let (exit, output, dir) = try ExampleSupport.run("for s in range(3) { print f\"seed {s}\" }\nprint \"done\"\n")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished)
  #expect(output == "seed 0\nseed 1\nseed 2\ndone\n")
}

@Test func historyRecordsTheTrialsAnInterruptedTrainCompleted() throws {
  let s = Session()
  var batches = 0
  s.onTrainingEvent = { _, event in if case .step = event { batches += 1 } }
  s.isCancelled = { batches >= 3 }
  let script = """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 16)
    net = Basic(task, N_rec: 5)
    r = train net task training_iters: 16000 loss_epoch: 1
    """
  let (statements, _) = Parser(source: script, commands: Commands.verbs).parse()
  for st in statements { _ = try s.execute(st) }
  #expect(s.succeeded.last == "r = train net task training_iters: 48 loss_epoch: 1")
  // Replaying the history reaches the same network.
  let replay = Session()
  let (again, _) = Parser(source: s.historyScript, commands: Commands.verbs).parse()
  for st in again { _ = try replay.execute(st) }
  guard case .network(let a)? = s.variables["net"], case .network(let b)? = replay.variables["net"] else {
    Issue.record("no network"); return
  }
  #expect(a.history.trials == 48 && b.history.trials == 48)
  #expect(Printer.summary(.network(a)) == Printer.summary(.network(b)))
}

@Test func loadedNetworksSaySoInVarsAndShow() throws {
  let (exit, output, dir) = try ExampleSupport.run(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 5)
    train net task training_iters: 32
    save net "w.npz"
    again = Basic(load_weights_path: "w.npz", dt: 10, tau: 100)
    vars
    show again
    """)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished)
  #expect(output.contains("again  network Basic N_rec 5, loaded from w.npz"))
  #expect(output.contains("again: Basic  N_in 2  N_rec 5") && output.contains("  loaded from w.npz"))
  #expect(output.contains("  trained: 4 Adam steps before it was saved"))
}
