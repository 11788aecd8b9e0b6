// The elementary functions TermPlot needs beyond the standard library, taken from the platform's
// C library (no Foundation).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(ucrt)
  import ucrt
#endif

/// Base-10 logarithm.
func logarithm10(_ x: Double) -> Double { log10(x) }

/// 10 raised to `x`.
func power10(_ x: Double) -> Double { pow(10, x) }

/// `x` raised to `y`.
func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }
