// How much colour the output may use, and the policy that decides it from the environment.
//
// The policy is the de-facto standard followed by most command-line tools:
//   1. NO_COLOR set and non-empty              → no colour;
//   2. FORCE_COLOR or CLICOLOR_FORCE set, non-empty and not "0" → colour, even into a pipe;
//   3. otherwise colour only on a terminal whose TERM is not "dumb";
//   4. when colouring: 24-bit if COLORTERM is "truecolor" or "24bit", else the 256-colour palette.
// NO_COLOR wins over FORCE_COLOR (as CMake does; some libraries choose the opposite): a user who
// asked for no colour anywhere should never have to hunt for the variable that overrides it.
// The function is pure: the shell passes in the environment and whether stdout is a terminal.

/// How much colour rendered text may use.
public enum ColorMode: Sendable, Hashable {
  /// Plain text: no escape sequences at all.
  case none
  /// The xterm 256-colour palette (`ESC[38;5;Nm`).
  case ansi256
  /// 24-bit colour (`ESC[38;2;R;G;Bm`).
  case trueColor

  /// The colour mode the environment asks for (see the policy at the top of this file).
  /// - Parameters:
  ///   - environment: the process environment, e.g. `ProcessInfo.processInfo.environment`.
  ///   - isTerminal: whether the output goes to a terminal (`isatty(1)`).
  public static func detect(environment: [String: String], isTerminal: Bool) -> ColorMode {
    if isSet(environment["NO_COLOR"]) { return .none }
    let forced = isForced(environment["FORCE_COLOR"]) || isForced(environment["CLICOLOR_FORCE"])
    let wanted = forced || (isTerminal && environment["TERM"] != "dumb")
    guard wanted else { return .none }
    let colorTerm = environment["COLORTERM"]?.lowercased()
    return colorTerm == "truecolor" || colorTerm == "24bit" ? .trueColor : .ansi256
  }

  private static func isSet(_ value: String?) -> Bool {
    guard let value else { return false }
    return !value.isEmpty
  }

  private static func isForced(_ value: String?) -> Bool {
    isSet(value) && value != "0"
  }
}
