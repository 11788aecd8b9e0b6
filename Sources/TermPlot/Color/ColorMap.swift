// Colour maps: a number t in 0…1 → a colour, plus a character ramp for plain text.
//
// sequential  viridis-like, dark purple → blue → green → yellow; for magnitudes such as firing
//             rates. The stops are ten evenly spaced samples of matplotlib's viridis.
// diverging   RdBu reversed (as in PsychRNN's notebooks): dark blue for the most negative value,
//             near-white at the centre (t = 0.5, i.e. 0 for a range symmetric about 0), dark red
//             for the most positive; for weights. The stops are ColorBrewer's 11-class RdBu.
//
// Without colour the same t picks a character instead (the colour bar of a plain heatmap prints
// the ramp, so a reader never has to remember it):
//   sequential  " .:-=+*#%@"   ten steps of density, blank for the lowest tenth;
//   diverging   "=-, '+#"      seven signed steps: "=" "-" "," for negative values (strong to
//                              weak), blank near 0, "'" "+" "#" for positive ones (weak to strong).

/// A map from a normalised value (0…1) to a colour, with a character ramp as plain-text twin.
public enum ColorMap: Sendable, Hashable {
  /// Viridis-like, for magnitudes (firing rates).
  case sequential
  /// Blue–white–red, symmetric about the centre, for signed values (weights).
  case diverging

  /// The colour for `t` in 0…1 (clamped), interpolated linearly between the map's stops.
  public func color(at t: Double) -> RGB {
    let stops = self == .sequential ? ColorMap.viridisStops : ColorMap.blueWhiteRedStops
    let position = ColorMap.clamp(t) * Double(stops.count - 1)
    let lower = min(Int(position), stops.count - 2)
    return stops[lower].mixed(with: stops[lower + 1], position - Double(lower))
  }

  /// The plain-text character for `t` in 0…1 (clamped).
  public func symbol(at t: Double) -> Character {
    let ramp = self == .sequential ? ColorMap.densityRamp : ColorMap.signedRamp
    let index = min(ramp.count - 1, Int(ColorMap.clamp(t) * Double(ramp.count)))
    return ramp[index]
  }

  // MARK: - Plain-text ramps

  /// Ten density steps from lowest to highest.
  public static let densityRamp: [Character] = Array(" .:-=+*#%@")

  /// Seven signed steps from most negative to most positive: "=", "-", "," for negative values
  /// (strong to weak), a blank centre for values near 0 (within a seventh of the range), then
  /// "'", "+", "#" for positive values (weak to strong). Weak values sit low (",") or high
  /// ("'") in the cell, stronger ones are a minus, a double minus, a plus and a double plus.
  public static let signedRamp: [Character] = Array("=-, '+#")

  // MARK: - Colour stops

  static let viridisStops: [RGB] = [
    0x440154, 0x482878, 0x3E4989, 0x31688E, 0x26828E,
    0x1F9E89, 0x35B779, 0x6ECE58, 0xB5DE2B, 0xFDE725,
  ].map { RGB(hex: $0) }

  static let blueWhiteRedStops: [RGB] = [
    0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0,
    0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
  ].map { RGB(hex: $0) }

  private static func clamp(_ t: Double) -> Double {
    t.isNaN ? 0.5 : min(1, max(0, t))
  }
}
