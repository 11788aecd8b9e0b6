// One axis of a chart: the range of values it spans, linear or logarithmic, and the conversion
// between values and positions (fractions 0…1 of the axis length).
//
// Ranges come from the data unless the caller gives one. A y range from the data is widened to
// "round" numbers (two significant digits of its span, e.g. -0.9998…0.9998 → -1…1) so its tick
// labels read well; a range of zero width (a constant series, a single point) is widened around
// its value so that nothing divides by zero.

/// How values map onto an axis.
public enum AxisScale: Sendable, Hashable {
  /// Equal steps in value are equal distances.
  case linear
  /// Equal ratios are equal distances (for losses); values ≤ 0 cannot be shown and are skipped.
  case log10
}

/// A value range on a linear or logarithmic axis.
struct Axis: Equatable {
  /// The lower end of the range, in data units.
  var lower: Double
  /// The upper end of the range, in data units; greater than `lower`.
  var upper: Double
  var scale: AxisScale

  /// The position of `value` as a fraction of the axis: 0 at `lower`, 1 at `upper`; nil when the
  /// value cannot be placed (not finite, or ≤ 0 on a log axis).
  func fraction(of value: Double) -> Double? {
    guard let t = scale.transform(value) else { return nil }
    let lo = scale.transform(lower)!
    let hi = scale.transform(upper)!
    // Halving first keeps differences finite even for ranges like -1e308…1e308.
    return (t / 2 - lo / 2) / (hi / 2 - lo / 2)
  }

  /// The value at a fraction of the axis (the inverse of `fraction(of:)`).
  func value(atFraction f: Double) -> Double {
    let lo = scale.transform(lower)!
    let hi = scale.transform(upper)!
    return scale.inverse(lo * (1 - f) + hi * f)
  }

  /// An axis spanning `values`, or nil when no value can be shown on this scale.
  /// - Parameter rounded: widen the range outward to two significant digits of its span.
  static func fitting(_ values: [Double], scale: AxisScale, rounded: Bool) -> Axis? {
    let shown = values.filter { scale.transform($0) != nil }
    guard let lo = shown.min(), let hi = shown.max() else { return nil }
    return spanning(lo, hi, scale: scale, rounded: rounded)
  }

  /// An axis from `lower` to `upper`, widened when the two are equal.
  static func spanning(_ lower: Double, _ upper: Double, scale: AxisScale, rounded: Bool) -> Axis {
    let lo = scale.transform(lower)!
    let hi = scale.transform(upper)!
    if lo == hi {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      return Axis(lower: scale.inverse(lo - pad), upper: scale.inverse(hi + pad), scale: scale)
    }
    guard rounded, (upper - lower).isFinite else {
      return Axis(lower: lower, upper: upper, scale: scale)
    }
    switch scale {
    case .linear:
      let step = power10(Double(decimalExponent(of: upper - lower) - 1))
      return Axis(lower: roundDown(lower, step), upper: roundUp(upper, step), scale: scale)
    case .log10:
      let lowStep = power10(Double(decimalExponent(of: lower) - 1))
      let highStep = power10(Double(decimalExponent(of: upper) - 1))
      return Axis(lower: roundDown(lower, lowStep), upper: roundUp(upper, highStep), scale: scale)
    }
  }

  // A relative slack of 1e-9 keeps values that are already round (0.35 = 35 × 0.01 up to
  // floating-point error) from being pushed one step further out.
  private static func roundDown(_ v: Double, _ step: Double) -> Double {
    (v / step + 1e-9).rounded(.down) * step
  }

  private static func roundUp(_ v: Double, _ step: Double) -> Double {
    (v / step - 1e-9).rounded(.up) * step
  }
}

extension AxisScale {
  /// The value in axis coordinates (itself, or its logarithm), or nil if it cannot be shown.
  func transform(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    switch self {
    case .linear: return value
    case .log10: return value > 0 ? logarithm10(value) : nil
    }
  }

  /// The inverse of `transform`.
  func inverse(_ t: Double) -> Double {
    self == .linear ? t : power10(t)
  }
}
