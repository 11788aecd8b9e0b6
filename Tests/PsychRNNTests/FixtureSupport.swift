// Access to PsychRNN's own reference numbers (Tests/Fixtures/psychrnn in the repository),
// read with our NumpyFormat reader. A missing fixture folder is an error, not a skip.

import Foundation
import Linear
import NumpyFormat
@testable import PsychRNN

enum Fixtures {
  struct Missing: Error, CustomStringConvertible {
    var description: String { "PsychRNN fixtures not found in Tests/Fixtures/psychrnn" }
  }

  /// The fixture folder.
  static func folder() throws -> String {
    guard let f = TasksPython.fixtureFolder else { throw Missing() }
    return f
  }

  /// Every array of `name` (e.g. "basic_relu.npz"), by key.
  static func load(_ name: String) throws -> [String: NumpyArray] {
    var out: [String: NumpyArray] = [:]
    for (k, v) in try readNPZ(path: try folder() + "/" + name) { out[k] = v }
    return out
  }

  static func tensor(_ a: NumpyArray?) throws -> Tensor3<Double> {
    let a = try #require(a)
    return Tensor3(a.shape[0], a.shape[1], a.shape[2], storage: try a.asDoubles())
  }

  static func matrix(_ a: NumpyArray?) throws -> Matrix<Double> {
    let a = try #require(a)
    if a.shape.count == 1 { return Matrix(rows: 1, cols: a.shape[0], storage: try a.asDoubles()) }
    return Matrix(rows: a.shape[0], cols: a.shape[1], storage: try a.asDoubles())
  }

  /// The model configuration of a fixture case (dt 10, tau 100, relu, MSE; regularizers of dale_masks_regs).
  static func configuration(_ name: String, nSteps: Int, nBatch: Int, nRec: Int) -> ModelConfiguration {
    var c = ModelConfiguration(nIn: 2, nRec: nRec, nOut: 2, nSteps: nSteps, dt: 10, tau: 100, nBatch: nBatch)
    if name == "dale_masks_regs" {
      c.regularization.L1_rec = 0.01; c.regularization.L2_rec = 0.02; c.regularization.L1_in = 0.003
      c.regularization.L2_out = 0.004; c.regularization.L2_firing_rate = 0.05
    }
    return c
  }

  /// The Basic cases shared with developers: (name, N_rec, batch, steps).
  static let basicCases: [(name: String, nRec: Int, batch: Int, steps: Int)] = [
    ("basic_relu", 20, 8, 40), ("dale_masks_regs", 24, 8, 40),
  ]
}

import Testing
