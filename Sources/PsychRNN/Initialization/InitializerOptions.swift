// What an initializer is told (PsychRNN's initializer keyword arguments, spec §8.1), and what it
// produces: the initial raw weights and the constraint matrices, in Double as numpy builds them.

import Linear

/// Random initialization schemes for W_in, W_out and (unless GaussianSpectralRadius) W_rec.
public enum RandomInit: String, Sendable, CaseIterable {
  /// minval + (maxval − minval)·U.
  case const_unif
  /// Standard normal, unscaled.
  case const_gauss
  /// Uniform on ±sqrt(6 / F), F = row sum + column sum of the connectivity mask.
  case glorot_unif
  /// sqrt(2 / F)·N(0, 1).
  case glorot_gauss
}

/// Which initializer builds a model's weights (PsychRNN's initializer classes).
public enum InitializerKind: Sendable, Equatable {
  /// `WeightInitializer`: random W_rec by `which_rand_W_rec_init` (or the W_rec supplied).
  case weightInitializer
  /// `GaussianSpectralRadius` (the default): W_rec ~ N(0, 1), Dale-balanced, scaled to spectral radius `specRad`.
  case gaussianSpectralRadius(specRad: Double = 1.1)
  /// `AlphaIdentity`: W_rec = alpha·I, Dale-balanced.
  case alphaIdentity(alpha: Double)

  /// PsychRNN's class name.
  public var name: String {
    switch self {
    case .weightInitializer: return "WeightInitializer"
    case .gaussianSpectralRadius: return "GaussianSpectralRadius"
    case .alphaIdentity: return "AlphaIdentity"
    }
  }
}

/// Initializer settings: constraints, random-init choices and explicitly supplied weights.
/// Unset values take PsychRNN's defaults.
public struct InitializerOptions: Sendable {
  /// `autapses`: false removes self-connections (the diagonal of `rec_connectivity`).
  public var autapses = true
  /// `dale_ratio`: fraction of excitatory units (the first int(r·N) units), or nil for no Dale's law.
  public var daleRatio: Double? = nil
  /// `which_rand_init`.
  public var whichRandInit: RandomInit = .glorot_gauss
  /// `which_rand_W_rec_init` (defaults to `which_rand_init`).
  public var whichRandWRecInit: RandomInit? = nil
  /// `init_minval`, `init_maxval` for const_unif.
  public var initMinval = -0.1, initMaxval = 0.1
  /// `input_connectivity` (N_rec × N_in), `rec_connectivity` (N_rec × N_rec), `output_connectivity` (N_out × N_rec).
  public var inputConnectivity: Matrix<Double>? = nil
  public var recConnectivity: Matrix<Double>? = nil
  public var outputConnectivity: Matrix<Double>? = nil
  /// `Dale_rec`, `Dale_out` (N_rec × N_rec each), overriding those built from `dale_ratio`.
  public var daleRec: Matrix<Double>? = nil
  public var daleOut: Matrix<Double>? = nil
  /// Explicit initial weights.
  public var W_in: Matrix<Double>? = nil
  public var W_rec: Matrix<Double>? = nil
  public var W_out: Matrix<Double>? = nil
  public var b_rec: [Double]? = nil
  public var b_out: [Double]? = nil
  /// `init_state` (N_rec values).
  public var initState: [Double]? = nil

  public init() {}
}

/// Initial raw weights and constraint matrices (PsychRNN's initializer dictionary).
public struct InitialWeights: Sendable {
  public var W_in: Matrix<Double>
  public var W_rec: Matrix<Double>
  public var W_out: Matrix<Double>
  public var b_rec: [Double]
  public var b_out: [Double]
  /// `init_state`, N_rec values (one row shared by every trial).
  public var initState: [Double]
  public var inputConnectivity: Matrix<Double>
  public var recConnectivity: Matrix<Double>
  public var outputConnectivity: Matrix<Double>
  public var daleRec: Matrix<Double>
  public var daleOut: Matrix<Double>
  /// The ratio Dale's matrices were built from (nil: Dale's law off).
  public var daleRatio: Double?
}
