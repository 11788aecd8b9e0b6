// Tab completion: commands and variables at the start of a statement, parameter keys inside a
// constructor call (`Basic(task, N_r<TAB>`), option keys after a command, and names elsewhere.
// All candidates come from the same tables that define the language.

import PsychRNN
import RNNScript

public enum CompletionCandidates {
  /// Candidates for `word`, which starts at `wordStart` in `line` (a character offset).
  public static func candidates(line: String, wordStart: Int, word: String, session: Session) -> [String] {
    let before = String(line.prefix(wordStart))
    let variables = session.definitionOrder
    // Functions and constructors complete with their "(" (no space before it).
    let callables = (Commands.constructorNames + Commands.functionNames + session.libraryNames).map { $0 + "(" }
    let pool: [String]
    if let dot = word.lastIndex(of: ".") {
      // `net.W<Tab>`: the fields of the value before the dot.
      let base = String(word[..<dot])
      let prefix = String(word[...dot])
      return fields(of: base, session: session).map { prefix + $0 }.filter { $0.hasPrefix(word) }.sorted()
    } else if let callee = openCall(before) {
      // Inside `Callee(…`: its keys (as `key:`), plus variables for positional values.
      pool = Commands.keys(of: callee).map { $0 + ":" } + variables
    } else if let command = commandAtStart(before) {
      // After a command verb: variables, the command's sub-words and option keys.
      let spec = Commands.named(command)
      let words = Commands.words(of: command, in: session)
      pool = variables + words + (spec?.options.map { $0 + ":" } ?? []) + callables
    } else if isStatementStart(before) {
      pool = Commands.table.map(\.name) + variables + callables
    } else {
      pool = variables + callables + ["true", "false", "none"]
    }
    var seen = Set<String>()
    return pool.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
  }

  /// The field names of the variable `name` (a record, network, task or array), or none.
  static func fields(of name: String, session: Session) -> [String] {
    guard let v = session.variables[name] else { return [] }
    return Commands.fieldNames(of: v)
  }

  /// The callee of the innermost call still open in `text` (`Basic(task, N_` → "Basic").
  static func openCall(_ text: String) -> String? {
    var depth = 0
    var inString = false
    let chars = Array(text)
    var i = chars.count - 1
    while i >= 0 {
      let c = chars[i]
      if c == "\"" { inString.toggle() }
      if !inString {
        if c == ")" || c == "]" { depth += 1 }
        if c == "[" { if depth == 0 { return nil } else { depth -= 1 } }
        if c == "(" {
          if depth == 0 {
            var j = i - 1
            while j >= 0, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j -= 1 }
            let name = String(chars[(j + 1)..<i])
            return name.isEmpty ? nil : name
          }
          depth -= 1
        }
      }
      i -= 1
    }
    return nil
  }

  /// The command verb that starts the current statement, if any.
  static func commandAtStart(_ text: String) -> String? {
    let statement = text.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? text
    var words = statement.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    if words.count >= 2 && words[1] == "=" { words.removeFirst(2) }
    guard let first = words.first, Commands.named(first) != nil else { return nil }
    return statement.hasSuffix(" ") || words.count > 1 ? first : nil
  }

  static func isStatementStart(_ text: String) -> Bool {
    let statement = text.split(separator: ";", omittingEmptySubsequences: false).last.map(String.init) ?? text
    let t = statement.trimmingCharacters(in: .whitespaces)
    return t.isEmpty || t.hasSuffix("=")
  }
}

import Foundation
