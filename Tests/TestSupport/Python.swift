// Running python3 as an independent oracle (numpy, Python's own formatting), shared by the test
// suites. A missing python3 is an error, not a skip: scripts/setup.sh installs it with numpy.

import Foundation

public enum Python {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Runs `script` with python3 (from a temporary file: scripts can be longer than a command line)
  /// and `arguments`, and returns its standard output; throws on a non-zero exit.
  public static func run(_ script: String, arguments: [String] = []) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("psychrnn-oracle-\(UUID().uuidString).py")
    try script.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", file.path] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()  // read before waiting: no pipe stall
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "python3 exited with \(process.terminationStatus): \(errorText)")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
