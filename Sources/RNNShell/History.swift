// Which lines the interactive history keeps, and where its file lives. Pure rules; the file
// itself is read and written by libedit in `EditLineReader` (its format starts with the line
// `_HiStOrY_V2_` and encodes spaces as `\040`, so it is not a replayable script: sessions are
// exported as `.rnn` files instead).
//
//   - file: `$PSYCHRNN_HISTORY` when set; set but empty means "keep no history file";
//     otherwise `~/.psychrnn_history` (the sqlite3 / Python convention);
//   - entries: every line that is not blank and differs from the entry before it;
//   - size: the newest `HistoryPolicy.defaultLimit` entries.

/// The rules for the interactive history.
public enum HistoryPolicy {
  /// How many entries the history keeps (older ones are dropped, in memory and in the file).
  public static let defaultLimit = 1000

  /// The environment variable that names the history file.
  public static let environmentVariable = "PSYCHRNN_HISTORY"

  /// The history file's path, or nil for no history file.
  /// - Parameters:
  ///   - environment: the process environment (`PSYCHRNN_HISTORY`, `HOME`).
  ///   - homeDirectory: the home directory to use when `HOME` is unset (e.g. from the password
  ///     database), or nil.
  public static func filePath(
    environment: [String: String], homeDirectory: String? = nil
  )
    -> String?
  {
    if let chosen = environment[environmentVariable] { return chosen.isEmpty ? nil : chosen }
    guard let home = environment["HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? homeDirectory
    else { return nil }
    return home.hasSuffix("/") ? home + ".psychrnn_history" : home + "/.psychrnn_history"
  }

  /// Whether `line` becomes a history entry, given the newest entry so far.
  public static func shouldRecord(_ line: String, after previous: String?) -> Bool {
    !line.allSatisfy(\.isWhitespace) && line != previous
  }
}
