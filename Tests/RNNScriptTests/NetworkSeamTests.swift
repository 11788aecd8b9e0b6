// Every model through the one seam: `show`, fields, `plot weights`, `ablate` and `train` reach
// Basic and LSTM networks alike through `Network`, with each model's own facts.

import Testing
import Linear
import PsychRNN
@testable import RNNScript

private func shown(_ source: String, in session: Session) throws -> [Value] {
  let (statements, diagnostics) = Parser(source: source, commands: Commands.verbs).parse()
  if let d = diagnostics.first { throw d }
  return try statements.compactMap { s in if case .show(let v) = try session.execute(s) { return v } else { return nil } }
}

private func text(_ v: Value?) -> String { if case .text(let s)? = v { return s } else { return "" } }

@Test func showReportsBasicConstraintsFromTheModel() throws {
  let s = Session()
  let out = try shown(
    """
    seed 3
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 8, dale_ratio: 0.75, autapses: false, L2_rec: 0.01)
    show net
    ablate W_rec 1 2 from: 100
    show net
    """, in: s)
  let report = text(out.first)
  #expect(report.hasPrefix("net: Basic  N_in 2  N_rec 8  N_out 2  dt 10  tau 100  alpha 0.1"))
  #expect(report.contains("  regularization: L2_rec 0.01"))
  #expect(
    report.contains(
      "  Dale's law: dale_ratio 0.75, 6 excitatory + 2 inhibitory units — every outgoing weight has its unit's sign ✓"))
  #expect(report.contains("  W_rec mask: 8 of 64 connections cut — respected ✓"))
  #expect(report.contains("  autapses: none (diagonal cut)"))
  // The spectral radius reported is that of the effective W_rec (LAPACK on the field's values).
  guard case .network(let n)? = s.variables["net"], case .matrix(let w)? = n.model.field("W_rec") else {
    Issue.record("no W_rec"); return
  }
  #expect(report.contains("spectral radius: W_rec_eff \(Format.number(try spectralRadius(of: w)))"))
  #expect(!report.contains("ablations in force"))
  #expect(
    text(out.last).hasSuffix(
      "ablations in force (simulate, test, accuracy and plots use them; restore removes them)\n  W_rec 1 2 from: 100"))
}

@Test func lstmGoesThroughTheSameCommands() throws {
  let s = Session()
  let out = try shown(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    l = LSTM(task, N_rec: 5)
    show l
    l.W_f.shape
    plot weights l W_f
    """, in: s)
  #expect(text(out[0]).hasPrefix("l: LSTM  N_in 2  N_rec 5  N_out 2  N_batch 8"))
  #expect(text(out[0]).contains("  untrained"))
  guard case .list(let shape) = out[1] else { Issue.record("no shape"); return }
  #expect(shape.count == 2)
  guard case .plot(.heatmap(let title, let rowLabel, _, let rows, let cols, _, _, let marks)) = out[2] else {
    Issue.record("not a heatmap"); return
  }
  #expect(title == "W_f of l (raw)" && rowLabel == "from [h | u]" && rows == 7 && cols == 5 && marks.isEmpty)
  // A Basic-only field is not an LSTM field; the error lists the LSTM's own.
  #expect(throws: RuntimeError.self) { try shown("l.dale_ratio", in: s) }
  do { _ = try shown("l.dale_ratio", in: s) } catch let e as RuntimeError {
    #expect(e.message == "a network has no field 'dale_ratio'")
  }
  do { _ = try shown("plot weights l W_xyz", in: s) } catch let e as RuntimeError {
    #expect(e.message.contains("W_f, W_i, W_c, W_o"))
  }
}

@Test func basicPlotsEffectiveWeightsWithDaleMarks() throws {
  let s = Session()
  let out = try shown(
    """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 10, dale_ratio: 0.8)
    plot weights net W_in
    plot weights net W_out
    """, in: s)
  guard case .plot(.heatmap(let t1, _, let c1, let r1, _, _, _, let m1)) = out[0],
    case .plot(.heatmap(let t2, let r2label, _, _, _, _, _, let m2)) = out[1]
  else { Issue.record("not heatmaps"); return }
  #expect(t1 == "W_in of net (effective)" && c1 == "from input" && r1 == 10)
  #expect(m1.map(\.label) == ["exc", "inh"] && m1.map(\.row) == [0, 8])
  #expect(t2 == "W_out of net (effective)" && r2label == "output" && m2.isEmpty)
}
