// Values leave the workbench in files other tools read: records as .npz (numpy loads them with
// allow_pickle=False), tables as .csv (numpy's genfromtxt/loadtxt), networks as PsychRNN weights
// files numpy reads without TensorFlow; and PsychRNN's "modify the weights, rebuild" idiom.
// numpy is the oracle.

import Foundation
import Linear
import PsychRNN
import TestSupport
import Testing

@testable import RNNScript

private func session(in dir: String) -> Session {
  let s = Session()
  s.directory = dir
  return s
}

private func run(_ source: String, _ s: Session) throws {
  try runScript(source, in: s)
}

@Test func recordsAndTablesReadBackInNumpy() throws {
  let dir = try makeTemporaryDirectory("psychrnn-export")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = session(in: dir)
  try run(
    """
    r = {acc: [0.5, 0.75, 1], seed: [1, 2, 3], m: reshape(arange(6) / 7, [2, 3]), n: 0.1}
    save r "r.npz"
    save {acc: r.acc, seed: r.seed, name: ["a", "b,c", "d\\"e"]} "t.csv"
    save r.m "m.csv"
    save arange(4) / 3 "v.csv"
    """, s)
  let out = try Python.run(
    """
    import numpy as np, sys, csv
    d = np.load(sys.argv[1] + '/r.npz', allow_pickle=False)
    print(sorted(d.keys()), d['acc'].tolist(), d['m'].shape, repr(float(d['m'][1, 2])), d['n'].shape, float(d['n']))
    rows = list(csv.reader(open(sys.argv[1] + '/t.csv')))
    print(rows)
    print(np.loadtxt(sys.argv[1] + '/m.csv', delimiter=',').tolist() == (np.arange(6) / 7).reshape(2, 3).tolist())
    print(np.loadtxt(sys.argv[1] + '/v.csv').tolist() == (np.arange(4) / 3).tolist())
    """, arguments: [dir])
  let lines = out.split(separator: "\n").map(String.init)
  #expect(lines[0] == "['acc', 'm', 'n', 'seed'] [0.5, 0.75, 1.0] (2, 3) \(repr(5.0 / 7)) () 0.1")
  #expect(lines[1] == #"[['acc', 'seed', 'name'], ['0.5', '1', 'a'], ['0.75', '2', 'b,c'], ['1', '3', 'd"e']]"#)
  #expect(lines[2] == "True" && lines[3] == "True")  // every number reads back exactly
}

private func repr(_ d: Double) -> String { "\(d)" }

@Test func whatAFileCannotHoldIsAClearError() throws {
  let dir = try makeTemporaryDirectory("psychrnn-export")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = session(in: dir)
  func message(_ source: String) -> String? {
    do { try run(source, s); return nil } catch let e as RuntimeError { return e.message } catch { return "\(error)" }
  }
  #expect(
    message("save {a: \"text\"} \"x.npz\"")?.contains("field 'a' is a string: a .npz file holds numbers and arrays") == true)
  #expect(
    message("save {a: [1, 2], b: [1]} \"x.csv\"") == "the columns of a table must have the same length: 'a' has 2, 'b' has 1")
  #expect(message("save zeros([2, 2, 2]) \"x.csv\"")?.hasPrefix("a .csv table has rows and columns") == true)
  #expect(message("save arange(3) \"x.npz\"")?.hasPrefix("an array is saved as .npy or .csv") == true)
  #expect(!FileManager.default.fileExists(atPath: dir + "/x.npz") && !FileManager.default.fileExists(atPath: dir + "/x.csv"))
}

@Test func reluNetworkFilesLoadInNumpyWithoutTensorFlow() throws {
  let dir = try makeTemporaryDirectory("psychrnn-export")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = session(in: dir)
  try run(
    """
    seed 4
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    a = Basic(task, N_rec: 6)
    b = Basic(task, N_rec: 6, transfer_function: "tanh", dale_ratio: 0.5)
    save a "relu.npz"
    save b "tanh.npz"
    """, s)
  // Python here has no TensorFlow: unpickling a TensorFlow reference would fail, a relu file must not.
  let out = try Python.run(
    """
    import numpy as np, sys, importlib.util
    print(importlib.util.find_spec('tensorflow') is None)
    w = dict(np.load(sys.argv[1] + '/relu.npz', allow_pickle=True))
    print('transfer_function' in w, w['dale_ratio'].item(), w['W_rec'].shape)
    t = np.load(sys.argv[1] + '/tanh.npz', allow_pickle=True)
    print('transfer_function' in t.files, float(t['dale_ratio']))
    """, arguments: [dir])
  let lines = out.split(separator: "\n").map(String.init)
  #expect(lines[1] == "False None (6, 6)")
  #expect(lines[2] == "True 0.5")  // other transfer functions keep PsychRNN's reference (PsychRNN needs it)
  // …and our loader reads the relu file back as relu.
  try run("c = Basic(load_weights_path: \"relu.npz\", dt: 10, tau: 100)", s)
  guard case .network(let c)? = s.variables["c"] else { Issue.record("no c"); return }
  #expect(c.configuration.transferFunction == .relu)
}

@Test func getWeightsRebuildsTheSameNetworkAndEditsTakeEffect() throws {
  let s = Session()
  try run(
    """
    seed 5
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 8)
    net = Basic(task, N_rec: 10, dale_ratio: 0.8, autapses: false)
    train net task training_iters: 80
    w = get_weights(net)
    same = Basic(**w, dt: 10, tau: 100)
    w.W_rec[0:5, 0:5] = 0
    cut = Basic(**w, dt: 10, tau: 100)
    b = batch task
    r0 = simulate net b.x
    r1 = simulate same b.x
    r2 = simulate cut b.x
    d1 = max(abs(r0.outputs - r1.outputs))
    d2 = max(abs(r0.outputs - r2.outputs))
    block = max(abs(cut.W_rec[0:5, 0:5]))
    keptSeed = same.seed
    """, s)
  func number(_ name: String) -> Double? { if case .number(let d)? = s.variables[name] { d } else { nil } }
  #expect(number("d1") == 0)  // the weights dictionary is the network, exactly
  #expect((number("d2") ?? 0) > 0)  // the edit changes what it computes
  #expect(number("block") == 0)  // and the zeroed block stays zero (Dale signs kept elsewhere)
  #expect(number("keptSeed") == 5)
  guard case .network(let same)? = s.variables["same"], case .network(let net)? = s.variables["net"] else { return }
  let steps = [same, net].map { ($0.model as? Basic<Float>)?.optimizerState?.step }
  #expect(steps[0] != nil && steps[0] == steps[1])  // Adam's state came along
}

@Test func batchParametersAreARecordOfPerTrialArrays() throws {
  let s = Session()
  try run(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 300, N_batch: 6)
    b = batch task
    c = b.params.coherence
    d = b.params.direction
    """, s)
  guard case .array(let c)? = s.variables["c"], case .array(let d)? = s.variables["d"] else { Issue.record("not arrays"); return }
  #expect(c.shape == [6] && d.shape == [6])
  #expect(d.values.allSatisfy { $0 == 0 || $0 == 1 } && c.values.allSatisfy { $0 >= 0 })
}

@Test func namesFromFilesCannotDriveTheTerminal() throws {
  let dir = try makeTemporaryDirectory("psychrnn-export")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  _ = try Python.run(
    "import numpy as np, sys\nnp.savez(sys.argv[1] + '/evil.npz', **{'a\\x1b[2Jb': np.zeros(2)})", arguments: [dir])
  let s = session(in: dir)
  try run("w = load(\"evil.npz\")", s)
  guard case .record(let r)? = s.variables["w"] else { Issue.record("no record"); return }
  #expect(r.fields.count == 1 && !r.fields[0].name.contains("\u{1B}"))
  #expect(r.fields[0].name.hasPrefix("a") && r.fields[0].name.hasSuffix("[2Jb"))
}

@Test func hugeWholeNumbersSayTheLimit() throws {
  let s = Session()
  try run("task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)\nnet = Basic(task, N_rec: 5)", s)
  do { try run("train net task training_iters: 1e18", s); Issue.record("no error") } catch let e as RuntimeError {
    #expect(e.message == "training_iters: is too large: 1e+18 (the limit is 1e15)")
  }
}

@Test func valuesFromFilesGetTheChecksArgumentsGet() throws {
  let dir = try makeTemporaryDirectory("psychrnn-export")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let s = session(in: dir)
  try run(
    """
    seed 3
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 6, dale_ratio: 0.5)
    save net "good.npz"
    """, s)
  _ = try Python.run(
    """
    import numpy as np, sys
    w = dict(np.load(sys.argv[1] + '/good.npz', allow_pickle=True))
    for name, key, value in [('ratio2', 'dale_ratio', np.float64(2.0)), ('rationan', 'dale_ratio', np.float64('nan')),
                             ('state4', 'init_state', np.zeros((4, 6)))]:
        v = dict(w); v[key] = value; np.savez(sys.argv[1] + '/' + name + '.npz', **v)
    """, arguments: [dir])
  func message(_ file: String) -> String? {
    do { try run("x = Basic(load_weights_path: \"\(file)\", dt: 10, tau: 100)", s); return nil } catch let e as RuntimeError {
      return e.message
    } catch { return "\(error)" }
  }
  #expect(message("good.npz") == nil)
  #expect(message("ratio2.npz")?.contains("must satisfy 0 < dale_ratio ≤ 1, got 2.0") == true)
  #expect(message("rationan.npz")?.contains("must satisfy 0 < dale_ratio ≤ 1, got nan") == true)
  #expect(message("state4.npz")?.contains("'init_state' has an unusable shape (4, 6)") == true)  // not cut to its first row
}
