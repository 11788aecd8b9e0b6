// Hostile weights files: whatever a file holds, loading it ends in a typed error, never in a trap or a
// stack overflow. (The container-level cases are tested in NumpyFormatTests; these go through
// Checkpoint.load, the path the shell's `load` and `simulate` take.)

import Foundation
import Linear
import Testing

@testable import NumpyFormat
@testable import PsychRNN

/// The eleven required arrays of a tiny model (N_in 1, N_rec 2, N_out 1), as `.npy` members.
private func requiredMembers() throws -> [(name: String, data: [UInt8])] {
  func a(_ shape: [Int]) -> NumpyArray {
    NumpyArray(shape: shape, float32: (0..<shape.reduce(1, *)).map { Float($0 % 2) })
  }
  let arrays: [(String, NumpyArray)] = [
    ("init_state", a([1, 2])), ("W_in", a([2, 1])), ("W_rec", a([2, 2])), ("W_out", a([1, 2])),
    ("b_rec", a([2])), ("b_out", a([1])), ("Dale_rec", a([2, 2])), ("Dale_out", a([2, 2])),
    ("input_connectivity", a([2, 1])), ("rec_connectivity", a([2, 2])), ("output_connectivity", a([1, 2])),
  ]
  return try arrays.map { (name: $0.0 + ".npy", data: try NPY.encode($0.1)) }
}

/// Writes a weights file holding the required arrays and `extra` members, loads it, and returns the error.
private func loadError(extra: [(name: String, data: [UInt8])]) throws -> Error? {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let path = directory.appendingPathComponent("w.npz").path
  try Data(try ZIPWriter.archive(try requiredMembers() + extra)).write(to: URL(fileURLWithPath: path))
  do {
    _ = try Checkpoint.load(path: path)
    return nil
  } catch {
    return error
  }
}

private func scalarMember(_ key: String, _ array: NumpyArray) throws -> (name: String, data: [UInt8]) {
  (name: key + ".npy", data: try NPY.encode(array))
}

@Test func aWellFormedTinyWeightsFileLoads() throws {
  #expect(try loadError(extra: []) == nil)
  #expect(try loadError(extra: [try scalarMember("adam_step", NumpyArray(shape: [], values: [Int64(7)]))]) == nil)
}

/// `dale_ratio` holding `((((...))))` 100,000 deep (TUPLE1 opcodes: one byte a level).
@Test func deeplyNestedDaleRatioIsATypedError() throws {
  let pickle: [UInt8] = [0x80, 2, 0x29] + [UInt8](repeating: 0x85, count: 100_000) + [0x2E]
  let member = NPY.wrap(headerText: "{'descr': '|O', 'fortran_order': False, 'shape': (), }") + pickle
  let error = try loadError(extra: [(name: "dale_ratio.npy", data: member)])
  #expect((error as? NumpyFormatError)?.root == .nestingTooDeep(what: "pickle", limit: 100))
}

/// `adam_step` out of Int's range, not a number, negative or fractional: a CheckpointError naming the key.
@Test(arguments: [1e300, .nan, -1, 9_223_372_036_854_775_808.0, 2.5, .infinity])
func unusableAdamStepIsATypedError(step: Double) throws {
  let error = try loadError(extra: [try scalarMember("adam_step", NumpyArray(shape: [], float64: [step]))])
  guard case .badValue(_, let key, let detail)? = error as? CheckpointError else {
    Issue.record("expected CheckpointError.badValue, got \(String(describing: error))")
    return
  }
  #expect(key == "adam_step")
  #expect(detail.contains("not a step count"), "\(detail)")
}

/// Integer dtypes are read exactly: 2^63 as uint64 does not fit Int, and is refused.
@Test func adamStepOfTwoToTheSixtyThreeAsUInt64IsRefused() throws {
  let error = try loadError(extra: [
    try scalarMember("adam_step", NumpyArray(shape: [], values: [UInt64(1) << 63]))
  ])
  #expect((error as? CheckpointError).map { "\($0)" }?.contains("'adam_step'") == true)
}

@Test(arguments: [-1, 4_294_967_296, 0.5, .nan])
func unusableSeedIsATypedError(seed: Double) throws {
  let error = try loadError(extra: [try scalarMember("seed", NumpyArray(shape: [], float64: [seed]))])
  guard case .badValue(_, let key, _)? = error as? CheckpointError else {
    Issue.record("expected CheckpointError.badValue, got \(String(describing: error))")
    return
  }
  #expect(key == "seed")
}

/// Two `W_rec` members: numpy would silently take one of them; we refuse the file.
@Test func duplicateMembersInAWeightsFileAreRefused() throws {
  let other = try NPY.encode(NumpyArray(shape: [2, 2], float32: [9, 9, 9, 9]))
  let error = try loadError(extra: [(name: "W_rec.npy", data: other)])
  #expect((error as? NumpyFormatError)?.root == .duplicateMember("W_rec.npy"))
}
