// Building a model's initial weights, exactly in PsychRNN's order of random draws (spec §8), so a
// numpy-compatible generator seeded like PsychRNN reproduces its initial weights.
//
// WeightInitializer order: masks → Dale matrices → W_in → W_out → W_rec → biases → init_state.
// Every random draw happens even when the value is supplied (PsychRNN does the same), which keeps
// the stream aligned. GaussianSpectralRadius and AlphaIdentity then replace W_rec and balance it.

import Linear

extension InitialWeights {
  /// Runs `kind` with `options` for a network of the given sizes.
  public init(
    kind: InitializerKind, options: InitializerOptions,
    nIn: Int, nRec: Int, nOut: Int, using rng: inout NumpyRandom
  ) throws {
    let n = nRec
    try Self.validate(kind: kind, options: options)

    // Masks (default all-connected); autapses=false cuts the diagonal before any draw.
    let cIn = try Self.matrix(options.inputConnectivity, "input_connectivity", n, nIn, default: 1)
    var cRec = try Self.matrix(options.recConnectivity, "rec_connectivity", n, n, default: 1)
    let cOut = try Self.matrix(options.outputConnectivity, "output_connectivity", nOut, n, default: 1)
    if !options.autapses { for i in 0..<n { cRec[i, i] = 0 } }

    // Dale's matrices.
    let (dRec, dOut) = try DaleMatrices.make(ratio: options.daleRatio, n: n)
    let daleRec = try options.daleRec.map { try Self.checked($0, "Dale_rec", n, n) } ?? dRec
    let daleOut = try options.daleOut.map { try Self.checked($0, "Dale_out", n, n) } ?? dOut

    // Random weights: drawn whether or not supplied, in PsychRNN's order.
    let recInit = options.whichRandWRecInit ?? options.whichRandInit
    let (lo, hi) = (options.initMinval, options.initMaxval)
    let drawnIn = options.whichRandInit.draw(mask: cIn, minval: lo, maxval: hi, using: &rng)
    let drawnOut = options.whichRandInit.draw(mask: cOut, minval: lo, maxval: hi, using: &rng)
    let drawnRec = recInit.draw(mask: cRec, minval: lo, maxval: hi, using: &rng)
    let W_in = try options.W_in.map { try Self.checked($0, "W_in", n, nIn) } ?? drawnIn
    let W_out = try options.W_out.map { try Self.checked($0, "W_out", nOut, n) } ?? drawnOut
    var W_rec = try options.W_rec.map { try Self.checked($0, "W_rec", n, n) } ?? drawnRec
    let b_rec = try Self.vector(options.b_rec, "b_rec", n)
    let b_out = try Self.vector(options.b_out, "b_out", nOut)
    let drawnState = (0..<n).map { _ in 0.1 + 0.01 * rng.normal() }
    let initState = try options.initState.map { try Self.vector($0, "init_state", n) } ?? drawnState

    switch kind {
    case .weightInitializer:
      break
    case .gaussianSpectralRadius(let specRad):
      W_rec = Matrix(rows: n, cols: n) { _, _ in rng.normal() }
      W_rec = balanceDaleRatio(W_rec, ratio: options.daleRatio, recConnectivity: cRec)
      let rho = try spectralRadius(of: W_rec)
      guard rho > 0 && rho.isFinite else {
        throw ConfigurationError.invalid(key: "spec_rad", message: "cannot scale W_rec: its spectral radius is \(rho)")
      }
      W_rec = (specRad / rho) * W_rec
    case .alphaIdentity(let alpha):
      W_rec = alpha * Matrix<Double>.identity(n)
      W_rec = balanceDaleRatio(W_rec, ratio: options.daleRatio, recConnectivity: cRec)
    }

    self.init(
      W_in: W_in, W_rec: W_rec, W_out: W_out, b_rec: b_rec, b_out: b_out, initState: initState,
      inputConnectivity: cIn, recConnectivity: cRec, outputConnectivity: cOut,
      daleRec: daleRec, daleOut: daleOut, daleRatio: options.daleRatio)
  }

  private static func validate(kind: InitializerKind, options: InitializerOptions) throws {
    switch kind {
    case .gaussianSpectralRadius(let specRad):
      guard specRad.isFinite && specRad > 0 else {
        throw ConfigurationError.invalid(key: "spec_rad", message: "must be a positive number, got \(specRad)")
      }
      // PsychRNN silently discards a supplied W_rec here (quirk 4); we refuse instead.
      if options.W_rec != nil {
        throw ConfigurationError.invalid(
          key: "W_rec",
          message: "is replaced by GaussianSpectralRadius's own draw; pass W_rec with WeightInitializer instead")
      }
    case .alphaIdentity(let alpha):
      guard alpha.isFinite else {
        throw ConfigurationError.invalid(key: "alpha", message: "must be a finite number, got \(alpha)")
      }
      if options.W_rec != nil {
        throw ConfigurationError.invalid(
          key: "W_rec", message: "is replaced by AlphaIdentity's alpha·I; pass W_rec with WeightInitializer instead")
      }
    case .weightInitializer:
      break
    }
    guard options.initMinval.isFinite, options.initMaxval.isFinite, options.initMinval <= options.initMaxval else {
      throw ConfigurationError.invalid(
        key: "init_minval", message: "must be finite and not above init_maxval (\(options.initMinval) > \(options.initMaxval))")
    }
  }

  private static func matrix(
    _ m: Matrix<Double>?, _ key: String, _ r: Int, _ c: Int, default value: Double
  ) throws -> Matrix<Double> {
    guard let m else { return Matrix(rows: r, cols: c, repeating: value) }
    return try checked(m, key, r, c)
  }

  static func checked(_ m: Matrix<Double>, _ key: String, _ r: Int, _ c: Int) throws -> Matrix<Double> {
    guard m.rows == r && m.cols == c else {
      throw ConfigurationError.shapeMismatch(key: key, expected: [r, c], got: [m.rows, m.cols])
    }
    guard m.isFinite else { throw ConfigurationError.invalid(key: key, message: "contains NaN or infinite values") }
    return m
  }

  private static func vector(_ v: [Double]?, _ key: String, _ n: Int) throws -> [Double] {
    guard let v else { return [Double](repeating: 0, count: n) }
    guard v.count == n else { throw ConfigurationError.shapeMismatch(key: key, expected: [n], got: [v.count]) }
    guard v.allSatisfy(\.isFinite) else { throw ConfigurationError.invalid(key: key, message: "contains NaN or infinite values") }
    return v
  }
}

/// `balance_dale_ratio` (spec §8.2): scale column j of W_rec by v_j / n_j, where v_j = 1 for
/// excitatory and r/(1−r) for inhibitory units and n_j is the norm of ROW j of C_rec·diag(v).
/// The row/column index mix is PsychRNN's (quirk 3); we keep it so initial weights match.
/// Two fixes: r = 1 (no inhibitory units) needs no r/(1−r) and works; a unit whose row norm is 0
/// (no incoming connections) keeps its column unscaled instead of dividing by zero.
func balanceDaleRatio(_ W: Matrix<Double>, ratio: Double?, recConnectivity c: Matrix<Double>) -> Matrix<Double> {
  guard let r = ratio else { return W }
  let n = W.rows
  let nE = DaleMatrices.excitatoryCount(ratio: r, n: n)
  let v = (0..<n).map { j in j < nE ? 1.0 : r / (1 - r) }
  var norms = [Double](repeating: 0, count: n)
  for i in 0..<n {
    var s = 0.0
    for j in 0..<n { let e = c[i, j] * v[j]; s += e * e }
    norms[i] = s.squareRoot()
  }
  var out = W
  for i in 0..<n { for j in 0..<n where norms[j] > 0 { out[i, j] = W[i, j] * (v[j] / norms[j]) } }
  return out
}
