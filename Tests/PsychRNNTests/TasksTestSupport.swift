// Test support for the task tests: running python3 + numpy as an independent oracle (reading
// PsychRNN's fixture .npz files, or running a numpy transcription of the task formulas), and
// parsing the arrays it prints. Tests that need python3 are skipped when it is missing.

import Foundation
import Linear
import TestSupport
@testable import PsychRNN

enum TasksPython {
  /// Whether `python3` with numpy can be run here.
  static let available: Bool = (try? run("import numpy; print('ok')")) == "ok\n"

  /// Runs `script` with python3 and `arguments` (TestSupport's runner); returns its standard output.
  static func run(_ script: String, arguments: [String] = []) throws -> String {
    try Python.run(script, arguments: arguments)
  }

  /// Parses lines `name d0 d1 d2 v v v …` (values as Python's `repr`, which round-trips exactly).
  static func parseArrays(_ text: String) -> [String: Tensor3<Double>] {
    var arrays: [String: Tensor3<Double>] = [:]
    for line in text.split(separator: "\n") {
      let words = line.split(separator: " ")
      guard words.count >= 4, let d0 = Int(words[1]), let d1 = Int(words[2]), let d2 = Int(words[3]) else { continue }
      let values = words.dropFirst(4).map { Double(String($0))! }
      arrays[String(words[0])] = Tensor3(d0, d1, d2, storage: values)
    }
    return arrays
  }

  /// Python helper printing arrays in the format `parseArrays` reads.
  static let printArrays = """
    def emit(name, a):
        a = np.asarray(a, dtype=np.float64)
        print(name, *a.shape, *[repr(float(v)) for v in a.ravel()])
    """

  /// x, y and mask of a PsychRNN fixture file.
  static func loadFixtureBatch(_ path: String) throws -> [String: Tensor3<Double>] {
    let script =
      "import sys\nimport numpy as np\n" + printArrays + """

        d = np.load(sys.argv[1])
        for key in ('x', 'y', 'mask'):
            emit(key, d[key])
        """
    return parseArrays(try run(script, arguments: [path]))
  }

  /// The folder holding PsychRNN's reference fixtures, inside the repository.
  static let fixtureFolder: String? = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let folder = repo.appendingPathComponent("Tests/Fixtures/psychrnn").path
    return FileManager.default.fileExists(atPath: folder + "/basic_relu.npz") ? folder : nil
  }()
}

struct TasksPythonError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// Number of entries that differ, and the largest difference.
func tasksDifference(_ a: Tensor3<Double>, _ b: Tensor3<Double>) -> (count: Int, max: Double) {
  precondition(a.shape == b.shape, "shape \(a.shape) vs \(b.shape)")
  var count = 0, largest = 0.0
  for i in a.storage.indices where a.storage[i] != b.storage[i] {
    count += 1
    largest = max(largest, abs(a.storage[i] - b.storage[i]))
  }
  return (count, largest)
}
