// Helpers shared by the NumpyFormat tests: where the PsychRNN fixtures are, temporary directories, and
// running python3 + numpy as an independent reader and writer.

import Foundation
import Testing

@testable import NumpyFormat

/// The PsychRNN reference files in the repository's `Tests/Fixtures/psychrnn`.
enum Fixtures {
  /// `<repo>/Tests/NumpyFormatTests/TestSupport.swift` → `<repo>/Tests/Fixtures/psychrnn`.
  static let directory: URL = {
    let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    let repository = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repository.appendingPathComponent("Tests/Fixtures/psychrnn")
  }()

  static func path(_ name: String) -> String {
    directory.appendingPathComponent(name).path
  }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
  }
}

/// A fresh directory under the system temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("NumpyFormatTests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory)
}

struct PythonFailed: Error, CustomStringConvertible {
  var status: Int32
  var stderr: String
  var description: String { "python3 exited with status \(status):\n\(stderr)" }
}

/// Runs `python3 -c script args...` and returns what it printed. numpy is imported as `np`, `sys` and
/// `json` are available, and `f8hex(a)` gives an array's values as little-endian float64 hex (JSON numbers
/// do not always survive the trip through JSONSerialization exactly); decode it with `doubles(fromHex:)`.
@discardableResult
func runPython(_ script: String, _ arguments: [String] = []) throws -> String {
  try withTemporaryDirectory { directory in
    let errorFile = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", pythonPrelude + script] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw PythonFailed(
        status: process.terminationStatus,
        stderr: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }
    return String(decoding: printed, as: UTF8.self)
  }
}

private let pythonPrelude = """
  import sys, json, numpy as np
  def f8hex(a): return np.ascontiguousarray(np.ravel(a), dtype='<f8').tobytes().hex()

  """

/// The float64 values in a hex string printed by `f8hex`.
func doubles(fromHex text: String) -> [Double]? {
  guard let bytes = decodeHex(text) else { return nil }
  return (try? NumpyArray(shape: [bytes.count / 8], dtype: .float64, bytes: bytes))?.values(as: Double.self)
}

/// Runs a python script that prints one JSON value, and decodes it.
func runPythonJSON(_ script: String, _ arguments: [String] = []) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(try runPython(script, arguments).utf8), options: [.fragmentsAllowed])
}

/// Looks up `key` in decoded `.npz` entries.
func entry(_ entries: [(String, NumpyArray)], _ key: String) throws -> NumpyArray {
  try #require(entries.first { $0.0 == key }?.1, "no key '\(key)'")
}

/// Runs `body`, expecting it to throw a NumpyFormatError, and returns that error.
@discardableResult
func expectFormatError(
  _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
)
  -> NumpyFormatError?
{
  do {
    try body()
    Issue.record("expected a NumpyFormatError, nothing was thrown", sourceLocation: sourceLocation)
    return nil
  } catch let error as NumpyFormatError {
    return error
  } catch {
    Issue.record("expected a NumpyFormatError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// A small deterministic generator for test data (not for anything statistical).
struct TestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}
