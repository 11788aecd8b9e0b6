// A network's one-step update at a constant input, x ↦ F(x, u), in Float64, with its Jacobian
// dF/dx: what the fixed-point search (FixedPoints.swift) minimises ½‖F(x) − x‖² over. Each model
// that supports the search builds one (`Network.stepMap(input:ablation:)`; Basic's is
// Models/Basic/BasicStepMap.swift).

import Linear

/// x ↦ F(x) on a state of `dimension` values, with its analytic Jacobian.
public protocol StepMap: Sendable {
  /// The number of state values.
  var dimension: Int { get }
  /// F(x).
  func step(_ x: [Double]) -> [Double]
  /// dF/dx at x: row i holds ∂F_i/∂x_j.
  func jacobian(_ x: [Double]) -> Matrix<Double>
}
