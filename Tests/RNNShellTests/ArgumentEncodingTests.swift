// Command-line arguments that are not UTF-8 (docs/reliability.md §6): Swift would hand the tool a
// name with U+FFFD in place of the bytes, so it would open, or fail to find, another file. The tool
// refuses such an argument by its bytes instead, before anything runs.

import Foundation
import Testing

@Suite struct ArgumentEncodingTests {
  @Test func aFileNameThatIsNotUTF8IsRefusedByItsBytes() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A script under the mangled name: the tool must not run it in place of the one asked for.
    try "print \"the wrong file ran\"\n".write(toFile: dir + "/caf\u{FFFD}.rnn", atomically: true, encoding: .utf8)
    let binary = ChildProcess.quoted(try ChildProcess.binary())
    let result = try ChildProcess.run(shell: "exec \(binary) \"$(printf 'caf\\351.rnn')\"", directory: dir)
    #expect(result.status == 64, "\(result.output)")
    #expect(result.output.contains("argument 1 is not valid UTF-8 (caf\\xe9.rnn)"), "\(result.output)")
    #expect(!result.output.contains("the wrong file ran"))
  }
}
