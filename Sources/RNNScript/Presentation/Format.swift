// The atoms of how values look: numbers and shapes. Every number a user reads (values, messages,
// reports, progress lines) is formatted here, so they read the same everywhere.

import Foundation

/// Numbers and shapes as text.
public enum Format {
  /// A number as a person writes it: integers without ".0", others with up to 6 significant
  /// digits (trailing zeros dropped), `nan`, `inf` and `-inf` as numpy prints them.
  public static func number(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded() && abs(d) < 1e15 { return String(Int(d)) }
    var s = String(format: "%.6g", d)
    if !s.contains("e") && s.contains(".") { while s.hasSuffix("0") { s.removeLast() } }
    return s
  }

  /// A shape as numpy prints it: "(50, 50)", "(3,)", "()".
  public static func shape(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
  }

  /// A number with a fixed count of decimals ("0.07912"), for columns that should not jump.
  public static func fixed(_ d: Double, digits: Int) -> String {
    d.isFinite ? String(format: "%.\(digits)f", d) : number(d)
  }

  /// A number in scientific notation with 2 decimals ("3.14e-07", "0.00e+00"), for columns of
  /// values spanning many orders of magnitude (a fixed point's q).
  public static func scientific(_ d: Double) -> String {
    d.isFinite ? String(format: "%.2e", d) : number(d)
  }

  /// A duration: "0.7 s", "42 s", "3 min 5 s".
  public static func duration(_ s: Double) -> String {
    if !s.isFinite { return number(s) + " s" }
    if s < 10 { return String(format: "%.1f s", s) }
    if s < 120 { return "\(Int(s.rounded())) s" }
    return "\(Int(s / 60)) min \(Int(s.truncatingRemainder(dividingBy: 60))) s"
  }
}
