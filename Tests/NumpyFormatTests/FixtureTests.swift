// The real PsychRNN files: keys in order, shapes, dtypes, values (printed by numpy 2.4.6), pickled objects.

import Testing

@testable import NumpyFormat

private let basicWeightKeys = [
  "init_state", "W_in", "W_rec", "W_out", "b_rec", "b_out", "Dale_rec", "Dale_out", "input_connectivity",
  "rec_connectivity", "output_connectivity", "dale_ratio", "transfer_function",
]

@Test func basicReluWeights() throws {
  let entries = try readNPZ(path: Fixtures.path("basic_relu_weights.npz"))
  #expect(entries.map(\.0) == basicWeightKeys)

  let wRec = try entry(entries, "W_rec")
  #expect(wRec.shape == [20, 20])
  #expect(wRec.dtype == .float32)
  let values = try #require(wRec.values(as: Float.self))
  #expect(Array(values.prefix(3)) == [-0.27159029245376587, -0.10618673264980316, 0.2042643278837204])
  #expect(values.last == 0.022651828825473785)
  #expect(abs(try wRec.asDoubles().reduce(0, +) - 6.752595356549136) < 1e-9)

  #expect(try entry(entries, "init_state").shape == [1, 20])
  #expect(try entry(entries, "W_in").shape == [20, 2])
  #expect(try entry(entries, "b_rec").shape == [20])
  #expect(try entry(entries, "b_out").asFloats() == [0, 0])

  let daleRatio = try entry(entries, "dale_ratio")
  #expect(daleRatio.shape == [])
  #expect(daleRatio.object == PickledObject.none)
  #expect(daleRatio.scalar == nil)
  let transfer = try entry(entries, "transfer_function")
  #expect(transfer.object == .global(module: "tensorflow.python.ops.gen_nn_ops", name: "relu"))
  #expect(throws: NumpyFormatError.notNumeric(descr: "|O")) { try transfer.asDoubles() }
}

@Test func daleMasksRegsWeights() throws {
  let entries = try readNPZ(path: Fixtures.path("dale_masks_regs_weights.npz"))
  #expect(entries.map(\.0) == basicWeightKeys)
  let daleRatio = try entry(entries, "dale_ratio")
  #expect(daleRatio.dtype == .float64)
  #expect(daleRatio.shape == [])
  #expect(daleRatio.scalar == 0.75)
  let wRec = try entry(entries, "W_rec")
  #expect(wRec.shape == [24, 24])
  #expect(Array(try wRec.asFloats().prefix(3)) == [0, 0, 0.09893050044775009])
  let wIn = try entry(entries, "W_in")
  #expect(abs(try wIn.asDoubles().reduce(0, +) - 11.319153522141278) < 1e-9)
  #expect(
    try entry(entries, "transfer_function").object
      == .global(module: "tensorflow.python.ops.gen_nn_ops", name: "relu"))
}

@Test func legacySavedWeights() throws {
  let entries = try readNPZ(path: Fixtures.path("legacy_saved_weights.npz"))
  let adamKeys = ["init_state", "W_in", "W_rec", "W_out", "b_rec", "b_out"].flatMap {
    ["\($0)/Adam", "\($0)/Adam_1"]
  }
  #expect(entries.map(\.0) == Array(basicWeightKeys.prefix(11)) + adamKeys + ["dale_ratio"])
  #expect(try entry(entries, "dale_ratio").object == PickledObject.none)
  let adam1 = try entry(entries, "W_rec/Adam_1")
  #expect(adam1.shape == [50, 50])
  #expect(
    Array(try adam1.asDoubles().prefix(3))
      == [2.1995338101987727e-06, 1.3945912087365286e-06, 1.6320283293680404e-06])
  let bOut = try entry(entries, "b_out")
  #expect(bOut.values(as: Float.self) == [0.04745303466916084, 0.048194024711847305])
  #expect(abs(try entry(entries, "W_rec").asDoubles().reduce(0, +) - -0.6325076825378346) < 1e-9)
}

@Test func basicReluCase() throws {
  let entries = try readNPZ(path: Fixtures.path("basic_relu.npz"))
  #expect(entries.count == 37)
  #expect(
    Array(entries.map(\.0).prefix(9))
      == ["x", "y", "mask", "outputs", "states", "loss", "sim_outputs", "sim_states", "raw/init_state"])
  #expect(entries.contains { $0.0 == "weights/output_connectivity" })

  let x = try entry(entries, "x")
  #expect(x.dtype == .float64)
  #expect(x.shape == [8, 40, 2])
  let xs = try x.asDoubles()
  #expect(Array(xs.prefix(3)) == [0.029628304869066736, 0.030197934500430252, -0.04205141687713679])
  #expect(xs.last == -0.05139820346425153)

  let loss = try entry(entries, "loss")
  #expect(loss.shape == [])
  #expect(loss.dtype == .float32)
  #expect(loss.scalar == Double(Float(0.1821422576904297)))

  let states = try entry(entries, "sim_states")
  #expect(states.shape == [8, 40, 20])
  #expect(try states.asDoubles().last == 0.27158877279990173)
  // raw/W_rec equals the weights file's W_rec (no masks or Dale in this case).
  let weights = try readNPZ(path: Fixtures.path("basic_relu_weights.npz"))
  #expect(try entry(entries, "raw/W_rec") == entry(weights, "W_rec"))
}

/// Re-saving a fixture with our writer gives numpy the same arrays and objects back.
@Test func fixtureResavedLoadsInNumpy() throws {
  let entries = try readNPZ(path: Fixtures.path("legacy_saved_weights.npz"))
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("resaved.npz").path
    try writeNPZ(entries, to: path)
    let same = try runPython(
      """
      a = np.load(sys.argv[1], allow_pickle=True); b = np.load(sys.argv[2], allow_pickle=True)
      ok = list(a.keys()) == list(b.keys()) and all(
          (a[k].item() is None and b[k].item() is None) if a[k].dtype == object
          else (a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and np.array_equal(a[k], b[k]))
          for k in a.keys())
      print(ok)
      """, [Fixtures.path("legacy_saved_weights.npz"), path])
    #expect(same == "True\n")
  }
}
