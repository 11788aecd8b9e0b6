// The width to draw at. Measuring the terminal (ioctl TIOCGWINSZ) is a side effect, so the shell
// does it and passes the result in; this function only applies the fallbacks.

/// The number of columns to draw at: the measured terminal width when there is one, else the
/// `COLUMNS` environment variable when it is a positive integer, else 80.
public func terminalWidth(environment: [String: String], measured: Int?) -> Int {
  if let measured, measured > 0 { return measured }
  if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
  return 80
}
