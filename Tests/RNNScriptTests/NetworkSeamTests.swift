// Every model through the one seam: `show`, fields, `plot weights`, `ablate` and `train` reach
// Basic and LSTM networks alike through `Network`, with each model's own facts.

import Testing
import Linear
import PsychRNN
@testable import RNNScript

private func shown(_ source: String, in session: Session) throws -> [Value] {
  try runScript(source, in: session)
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
  guard case .plot(.heatmap(let title, let rowLabel, _, let rows, let cols, _, _, let marks, _)) = out[2] else {
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
  guard case .plot(.heatmap(let t1, _, let c1, let r1, _, _, _, let m1, _)) = out[0],
    case .plot(.heatmap(let t2, let r2label, _, _, _, _, _, let m2, _)) = out[1]
  else { Issue.record("not heatmaps"); return }
  #expect(t1 == "W_in of net (effective)" && c1 == "from input" && r1 == 10)
  #expect(m1.map(\.label) == ["exc", "inh"] && m1.map(\.row) == [0, 8])
  #expect(t2 == "W_out of net (effective)" && r2label == "output" && m2.isEmpty)
}

@Test func plotDrawsAnyArrayAndResults() throws {
  let s = Session()
  let out = try shown(
    """
    seed 3
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 6)
    train net task training_iters: 80 loss_epoch: 1
    net2 = Basic(task, N_rec: 6)
    train net2 task training_iters: 80 loss_epoch: 1
    plot net.losses
    plot [net.losses, net2.losses] labels: ["a", "b"] title: "two"
    plot reshape(arange(6), [2, 3])
    plot reshape(arange(6), [2, 3]) kind: "heatmap" vmin: 0 vmax: 10
    plot scatter arange(5) arange(5) ** 2
    plot loss net net2
    r = test net task
    plot outputs r trial: 2
    """, in: s)
  func lines(_ v: Value) -> (String, [PlotSeries])? {
    if case .plot(.lines(let title, _, _, let series, _, _)) = v { return (title, series) }
    return nil
  }
  let one = try #require(lines(out[0]))
  #expect(one.1.count == 1 && one.1[0].y.count == 10)
  let two = try #require(lines(out[1]))
  #expect(two.0 == "two" && two.1.map(\.name) == ["a", "b"])
  #expect(try #require(lines(out[2])).1.map(\.y) == [[0, 1, 2], [3, 4, 5]])
  guard case .plot(.heatmap(_, _, _, 2, 3, let values, _, _, let range)) = out[3] else { Issue.record("no heatmap"); return }
  #expect(values == [0, 1, 2, 3, 4, 5] && range == 0...10)
  let scatter = try #require(lines(out[4]))
  #expect(scatter.1[0].points && scatter.1[0].y == [0, 1, 4, 9, 16])
  #expect(try #require(lines(out[5])).1.map(\.name) == ["net", "net2"])
  let outputs = try #require(lines(out[6]))
  #expect(outputs.1.map(\.name) == ["output 0", "output 1", "target 0", "target 1"] && outputs.1[0].y.count == 20)
  // Asking for too much is a clear error, not a picture.
  #expect(throws: RuntimeError.self) { try shown("plot zeros([2, 2, 2])", in: s) }
  #expect(throws: RuntimeError.self) { try shown("plot [1, 2] labels: [\"a\", \"b\"]", in: s) }
}

@Test func lookingNeverChangesWhatTrainingDraws() throws {
  func batchAfter(_ looking: String) throws -> Value? {
    let s = Session()
    _ = try shown(
      """
      seed 9
      task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 4)
      net = Basic(task, N_rec: 5, rec_noise: 0.1)
      \(looking)
      b = batch task
      r = test net task
      """, in: s)
    return s.variables["r"].flatMap { if case .record(let r) = $0 { r["outputs"] } else { nil } }
  }
  let plain = try batchAfter("")
  let looked = try batchAfter("show task\nplot outputs net task\nplot states net task trial: 1")
  guard case .array(let a)? = plain, case .array(let b)? = looked else { Issue.record("no outputs"); return }
  #expect(a == b)  // the same trials and the same noise, whatever was shown in between
}
