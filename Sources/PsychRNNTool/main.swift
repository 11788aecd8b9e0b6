// psychrnn: the terminal workbench. Turns argv into a Shell run and an exit status, nothing more.
//
//   psychrnn                      the interactive shell (line editing, history, Tab completion)
//   psychrnn FILE.rnn …           replay scripts; the first error stops with file:line:col
//   psychrnn -e 'STATEMENTS'      run statements (repeatable; `;` separates statements)
//   psychrnn -i FILE.rnn          replay, then stay at the prompt with the script's variables
//   psychrnn --echo FILE.rnn      print each statement before its output
//   psychrnn --set NAME=VALUE …   bind NAME before the scripts run (numbers, strings, lists)
//   psychrnn sweep …              plan, run and collect sweeps (RNNShell/SweepTool.swift)
//   … < session.rnn               piped input is read without line editing

import Foundation
import Linear
import RNNScript
import RNNShell
import Sweep

Allocator.keepFreedMemory()  // freed arrays are reused, not faulted in again (docs/performance.md)

let usage = """
  usage: psychrnn [--echo] [-i] [--set NAME=VALUE]… [-e STATEMENTS]… [FILE.rnn]…
         psychrnn sweep SCRIPT.rnn --grid NAME=VALUES… --out DIR [--engine local|slurm] (psychrnn sweep --help)
    no arguments at a terminal: the interactive shell (`help` lists the commands)
    FILE.rnn       replay a script; the first error stops it (exit status 65 syntax, 70 runtime)
    -e STATEMENTS  run statements given on the command line
    -i             stay at the prompt after the scripts, with their variables
    --echo         print each statement (with its prompt) before its output
    --set NAME=VALUE  bind NAME before the scripts run: 0.01, -3, "adam" or adam, [1, 2], true
  """

// Swift decodes argv with U+FFFD in place of bytes that are not UTF-8, so a file named with such
// bytes would be looked for under another name; refuse it by name instead (docs/reliability.md §6).
for i in 1..<Int(CommandLine.argc) {
  guard let raw = CommandLine.unsafeArgv[i], String(validatingCString: raw) == nil else { continue }
  let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
  let shown = bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
  FileHandle.standardError.write(
    Data("psychrnn: argument \(i) is not valid UTF-8 (\(shown)); file names must be UTF-8: rename the file\n".utf8))
  exit(64)
}

// `psychrnn sweep …` is its own tool (RNNShell/SweepTool.swift).
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "sweep" {
  let tool = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  exit(SweepTool.main(Array(CommandLine.arguments.dropFirst(2)), tool: tool))
}

var scripts: [(text: String, file: String?)] = []
var interactiveAfter = false
var echo = false
var bindings: [(name: String, value: BoundValue)] = []
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
  switch a {
  case "-h", "--help": print(usage); exit(status(.finished))
  case "--version": print("psychrnn 0.1 (Swift re-implementation of PsychRNN master aff98e1)"); exit(status(.finished))
  case "-i": interactiveAfter = true
  case "--echo": echo = true
  case "--set":
    guard let s = arguments.popFirst(), let eq = s.firstIndex(of: "="), eq != s.startIndex else {
      FileHandle.standardError.write(Data("psychrnn: --set needs NAME=VALUE, e.g. --set lr=0.01\n".utf8)); exit(64)
    }
    do {
      bindings.append((String(s[..<eq]), try BoundValue.parse(String(s[s.index(after: eq)...]))))
    } catch {
      FileHandle.standardError.write(Data("psychrnn: --set \(s): \(error)\n".utf8)); exit(64)
    }
  case "-e":
    guard let s = arguments.popFirst() else {
      FileHandle.standardError.write(Data("psychrnn: -e needs statements\n".utf8)); exit(64)
    }
    scripts.append((s, "-e"))
  default:
    if a.hasPrefix("-") && a.count > 1 {
      FileHandle.standardError.write(Data("psychrnn: unknown option \(a)\n\(usage)\n".utf8)); exit(64)
    }
    do {
      scripts.append((try ScriptFile.read(a), a))  // invalid UTF-8 becomes U+FFFD, which the lexer reports
    } catch {
      FileHandle.standardError.write(Data("psychrnn: cannot read \(a): \(ScriptFile.reason(error))\n".utf8))
      exit(66)
    }
  }
}

Interrupts.install()
let terminal = Terminal()
let shell = Shell(terminal: terminal)
shell.echo = echo
for (name, value) in bindings {
  do { try shell.session.bindFromOutside(name, value) } catch {
    FileHandle.standardError.write(Data("psychrnn: --set: \(error)\n".utf8)); exit(64)
  }
}

/// The exit status: a termination request's (SIGTERM 143, SIGHUP 129, a closed or full standard
/// output 141 or 74) wins over how the shell ended; otherwise 0, the error's, or 130 for Ctrl-C.
func status(_ exit: ShellExit) -> Int32 {
  if let terminated = Interrupts.terminationStatus { return terminated }
  switch exit {
  case .finished, .quit: return 0
  case .failed(let s): return s
  case .interrupted: return 130
  }
}

for script in scripts {
  let result = shell.run(script: script.text, file: script.file)
  if result == .quit { exit(status(.finished)) }
  if result != .finished && !interactiveAfter || Interrupts.terminationStatus != nil { exit(status(result)) }
}

if scripts.isEmpty || interactiveAfter {
  if terminal.inputIsTerminal {
    let reader = EditLineReader()
    reader.recordsEachLine = false  // the shell records whole statements
    reader.onWarning = { terminal.writeError($0 + "\n") }  // history problems, each shown once
    reader.completer = { line, start, word in
      CompletionCandidates.candidates(line: line, wordStart: start, word: word, session: shell.session)
    }
    if scripts.isEmpty { terminal.write("psychrnn — PsychRNN in Swift. `help` lists the commands, Ctrl-D leaves.\n") }
    var r = reader
    let result = shell.run(&r, file: nil)
    terminal.finishLine()
    exit(status(result == .quit ? .finished : result))
  } else {
    var reader = PlainLineReader(echoPrompt: echo)
    exit(status(shell.run(&reader, file: "<stdin>")))
  }
}
exit(status(.finished))
