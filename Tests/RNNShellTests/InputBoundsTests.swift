// Junk and huge input (docs/reliability.md, "Input"): linear time and memory, one bounded
// diagnostic; long source lines cut around the caret; invalid UTF-8 in a script is a located
// syntax error, not "cannot read".

import Foundation
import RNNScript
import Testing

@Suite(.serialized)
struct InputBoundsTests {
  private func run(
    stdin contents: [UInt8], timeout: Double = 30
  ) throws -> (status: Int32, timedOut: Bool, output: String, seconds: Double) {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/input"
    try Data(contents).write(to: URL(fileURLWithPath: input))
    let start = Date()
    let r = try ChildProcess.run(
      shell: "exec \(ChildProcess.quoted(try ChildProcess.binary()))", directory: dir, input: .file(input), timeout: timeout)
    return (r.status, r.timedOut, r.output, Date().timeIntervalSince(start))
  }

  @Test func tenMegabytesOfNULsGiveOneShortDiagnostic() throws {
    let r = try run(stdin: [UInt8](repeating: 0, count: 10_000_000))
    #expect(!r.timedOut && r.seconds < 20)
    #expect(r.status == 65)
    #expect(r.output.utf8.count < 2_000, "\(r.output.utf8.count) bytes of diagnostics")
    #expect(r.output.contains("longer than"))
  }

  @Test func aLongOpenBracketIsGatheredInLinearTime() throws {
    let list = "x = [" + String(repeating: "1,\n", count: 9_000) + "]\nprint(len(x))\n"
    let r = try run(stdin: Array(list.utf8))
    #expect(!r.timedOut && r.seconds < 20, "\(r.seconds) s")
    #expect(r.status == 0 && r.output.contains("9000"), "\(r.output)")
  }

  @Test func aStatementOverTenThousandLinesIsRefusedOnce() throws {
    let list = "x = [" + String(repeating: "1,\n", count: 20_000)
    let r = try run(stdin: Array(list.utf8))
    #expect(!r.timedOut && r.seconds < 20, "\(r.seconds) s")
    #expect(r.status == 65)
    #expect(r.output.contains("longer than 10000 lines"), "\(r.output.prefix(500))")
    #expect(r.output.utf8.count < 2_000)
  }

  @Test func manyBlankLinesAreReadInLinearTime() throws {
    let text = String(repeating: "\n", count: 50_000) + "print(6 * 7)\n"
    let r = try run(stdin: Array(text.utf8))
    #expect(!r.timedOut && r.seconds < 20, "\(r.seconds) s")
    #expect(r.status == 0 && r.output.contains("42"))
  }

  @Test func anInvalidUTF8ByteIsALocatedSyntaxError() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(Array("x = 1\ny = ".utf8) + [0xFF] + Array("\n".utf8)).write(to: URL(fileURLWithPath: dir + "/bad.rnn"))
    let binary = ChildProcess.quoted(try ChildProcess.binary())
    let direct = try ChildProcess.run(shell: "exec \(binary) bad.rnn", directory: dir)
    #expect(direct.status == 65, "\(direct.output)")
    #expect(direct.output.contains("bad.rnn:2:5: error: unexpected character '\u{FFFD}' (U+FFFD)"), "\(direct.output)")
    let sourced = try ChildProcess.run(shell: "exec \(binary) -e 'source \"bad.rnn\"'", directory: dir)
    #expect(sourced.status == 65, "\(sourced.output)")
    #expect(sourced.output.contains("bad.rnn:2:5: error: unexpected character '\u{FFFD}' (U+FFFD)"), "\(sourced.output)")
  }

  @Test func longSourceLinesAreCutAroundTheCaret() {
    let line = String(repeating: "a", count: 5_000) + "@" + String(repeating: "b", count: 5_000)
    let d = Diagnostic(location: SourceLocation(file: "x.rnn", line: 1, column: 5_001), length: 3, message: "bad")
    let lines = d.render(sourceLine: line).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 3)
    #expect(lines[1].count <= 4 + Diagnostic.echoWidth + 2)
    #expect(lines[1].hasPrefix("    …") && lines[1].hasSuffix("…"))
    let caret = try! #require(lines[2].firstIndex(of: "^"))
    let at = lines[1].index(lines[1].startIndex, offsetBy: lines[2].distance(from: lines[2].startIndex, to: caret))
    #expect(lines[1][at] == "@")
    #expect(lines[2].hasSuffix("^~~"))
    // Short lines are echoed whole, as before.
    let short = Diagnostic(location: SourceLocation(line: 1, column: 3), message: "bad").render(sourceLine: "x = ?")
    #expect(short == "error: bad\n    x = ?\n      ^")
  }
}
