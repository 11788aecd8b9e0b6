// Tick labels: short, deterministic number text without Foundation.
//
//   0.001 ≤ |v| < 1e6   plain decimal, rounded to 3 significant digits but never dropping
//                       integer digits, trailing zeros trimmed: 0.35, 6.28, -1, 1999, 49.5
//   otherwise           scientific with a short exponent: 1e-5, 2.5e-4, 1.2e+6 → "1.2e6"
// Zero (of either sign) prints as "0".

/// Compact text for a tick label (see the rules at the top of this file).
func formatTick(_ value: Double, significantDigits: Int = 3) -> String {
  guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
  if value == 0 { return "0" }
  let exponent = decimalExponent(of: abs(value))
  if exponent >= -3 && exponent < 6 {
    return formatDecimal(value, decimals: max(0, significantDigits - 1 - exponent))
  }
  var mantissa = value / power10(Double(exponent))
  var shown = exponent
  let rounded = formatDecimal(mantissa, decimals: significantDigits - 1)
  if rounded == "10" || rounded == "-10" {  // 9.996e-5 rounds up to 1e-4
    mantissa /= 10
    shown += 1
  }
  return formatDecimal(mantissa, decimals: significantDigits - 1) + "e\(shown)"
}

/// ⌊log10 |v|⌋ for finite non-zero v, corrected for rounding at exact powers of ten.
func decimalExponent(of magnitude: Double) -> Int {
  var exponent = Int(logarithm10(magnitude).rounded(.down))
  if power10(Double(exponent)) > magnitude { exponent -= 1 }
  if power10(Double(exponent + 1)) <= magnitude { exponent += 1 }
  return exponent
}

/// `value` rounded to `decimals` places, with trailing zeros (and a bare point) removed.
func formatDecimal(_ value: Double, decimals: Int) -> String {
  let scale = power10(Double(decimals))
  let scaled = (abs(value) * scale).rounded()
  guard scaled < 9e15 else { return String(Int(value.rounded())) }
  let units = Int(scaled)
  if units == 0 { return "0" }
  let divisor = Int(scale)
  var text = String(units / divisor)
  var fraction = String(units % divisor)
  if decimals > 0 {
    fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
    while fraction.last == "0" { fraction.removeLast() }
    if !fraction.isEmpty { text += "." + fraction }
  }
  return value < 0 ? "-" + text : text
}
