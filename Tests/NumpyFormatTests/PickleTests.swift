// The pickle scanner and writer for 0-d object arrays (PsychRNN's dale_ratio and transfer_function).

import Foundation
import Testing

@testable import NumpyFormat

/// The pickle inside a fixture member, i.e. the member's bytes after its `.npy` header.
func fixturePickle(_ file: String, member: String) throws -> [UInt8] {
  let archive = try Fixtures.bytes(file)
  let entry = try #require(try ZIPReader.entries(in: archive).first { $0.name == member })
  let npy = try ZIPReader.contents(of: entry, in: archive)
  let headerLength = Int(npy[8]) | Int(npy[9]) << 8
  return Array(npy[(10 + headerLength)...])
}

@Test func scansFixturePickles() throws {
  let relu = try fixturePickle("basic_relu_weights.npz", member: "transfer_function.npy")
  #expect(
    try PickleScanner.objectArrayElement(relu, elementCount: 1)
      == .global(module: "tensorflow.python.ops.gen_nn_ops", name: "relu"))
  let none4 = try fixturePickle("basic_relu_weights.npz", member: "dale_ratio.npy")
  #expect(try PickleScanner.objectArrayElement(none4, elementCount: 1) == PickledObject.none)
  let none3 = try fixturePickle("legacy_saved_weights.npz", member: "dale_ratio.npy")
  #expect(none3[1] == 3)
  #expect(try PickleScanner.objectArrayElement(none3, elementCount: 1) == PickledObject.none)
}

/// Pickles made by Python itself (with its memo, frames, STACK_GLOBAL...) in protocols 2 to 5.
@Test func scansPythonPicklesOfEveryProtocol() throws {
  let printed = try runPythonJSON(
    """
    import pickle, math, os.path
    values = [None, 0.75, -2.5e-300, 7, 300, 70000, -3, 2**40, -2**63, math.sqrt, os.path.join]
    print(json.dumps([[p, i, pickle.dumps(np.array(v, dtype=object), protocol=p).hex()]
                      for p in range(2, 6) for i, v in enumerate(values)]))
    """)
  let expected: [PickledObject] = [
    .none, .float(0.75), .float(-2.5e-300), .int(7), .int(300), .int(70000), .int(-3), .int(1 << 40), .int(.min),
    .global(module: "math", name: "sqrt"), .global(module: "posixpath", name: "join"),
  ]
  let cases = try #require(printed as? [[Any]])
  #expect(cases.count == 44)
  for item in cases {
    let protocolVersion = try #require(item[0] as? Int)
    let index = try #require(item[1] as? Int)
    let text = try #require(item[2] as? String)
    let bytes = try #require(decodeHex(text))
    #expect(
      try PickleScanner.objectArrayElement(bytes, elementCount: 1) == expected[index],
      "protocol \(protocolVersion), value \(index)")
  }
}

func decodeHex(_ text: String) -> [UInt8]? {
  func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    default: return nil
    }
  }
  let digits = Array(text.utf8)
  guard digits.count % 2 == 0 else { return nil }
  var result: [UInt8] = []
  result.reserveCapacity(digits.count / 2)
  for i in stride(from: 0, to: digits.count, by: 2) {
    guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return nil }
    result.append(high << 4 | low)
  }
  return result
}

@Test func unsupportedPicklesGiveClearErrors() throws {
  let printed = try runPythonJSON(
    """
    import pickle
    print(json.dumps({
      'string': pickle.dumps(np.array('relu', dtype=object), protocol=4).hex(),
      'two': pickle.dumps(np.array([None, None], dtype=object), protocol=4).hex(),
      'protocol0': pickle.dumps(np.array(None, dtype=object), protocol=0).hex(),
      'plain': pickle.dumps(None, protocol=4).hex(),
      'bigint': pickle.dumps(np.array(2**100, dtype=object), protocol=4).hex(),
    }))
    """)
  let pickles = try #require(printed as? [String: String]).compactMapValues { decodeHex($0) }
  func message(_ name: String) throws -> String {
    let error = expectFormatError {
      _ = try PickleScanner.objectArrayElement(pickles[name] ?? [], elementCount: 1)
    }
    guard case .unsupportedPickle(let message)? = error else {
      Issue.record("\(name): expected unsupportedPickle, got \(String(describing: error))")
      return ""
    }
    return message
  }
  #expect(try message("string").contains("a string"))
  #expect(try message("two").contains("2 elements"))
  #expect(try message("protocol0").contains("protocol 0 or 1"))
  #expect(try message("plain").contains("not a pickled numpy array"))
  #expect(try message("bigint").contains("wider than 64 bits"))
  #expect(throws: NumpyFormatError.self) { try PickleScanner.objectArrayElement([], elementCount: 1) }
  #expect(throws: NumpyFormatError.self) {
    try PickleScanner.objectArrayElement([0x80, 2, 0xFF], elementCount: 1)
  }
  #expect(throws: NumpyFormatError.self) {
    try PickleScanner.objectArrayElement([0x80, 2, 0x61, 0x2E], elementCount: 1)
  }
  #expect(throws: NumpyFormatError.self) {
    try PickleScanner.objectArrayElement([0x80, 2, 0x68, 5, 0x2E], elementCount: 1)
  }
}

/// Every truncation and every single-byte change of real pickles either throws or scans; nothing traps.
@Test func damagedPicklesNeverCrash() throws {
  let pickles = [
    try fixturePickle("basic_relu_weights.npz", member: "transfer_function.npy"),
    try fixturePickle("legacy_saved_weights.npz", member: "dale_ratio.npy"),
    try PickleWriter.objectArray(holding: .global(module: "math", name: "sqrt"), shape: []),
  ]
  for pickle in pickles {
    for length in 0..<pickle.count {
      #expect(throws: NumpyFormatError.self) {
        try PickleScanner.objectArrayElement(Array(pickle.prefix(length)), elementCount: 1)
      }
    }
    for offset in pickle.indices {
      for change: UInt8 in [0x01, 0x80, 0xFF] {
        var damaged = pickle
        damaged[offset] ^= change
        do {
          _ = try PickleScanner.objectArrayElement(damaged, elementCount: 1)
        } catch is NumpyFormatError {
        } catch {
          Issue.record("offset \(offset): unexpected error \(error)")
        }
      }
    }
  }
}

/// Our pickles load in numpy 2.x (with warnings as errors), as None, a function, a float and an int.
@Test func numpyLoadsOurObjectArrays() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("objects.npz").path
    try writeNPZ(
      [
        ("dale_ratio", NumpyArray(object: .none)),
        ("transfer_function", NumpyArray(object: .global(module: "math", name: "sqrt"))),
        ("float", NumpyArray(object: .float(0.75))),
        ("int", NumpyArray(object: .int(-(1 << 40)))),
        ("small", NumpyArray(object: .int(200))),
        ("one", try NumpyArray(shape: [1, 1], dtype: .object(.float(2.5)), bytes: [])),
      ], to: path)
    let printed = try runPython(
      """
      import math, warnings
      warnings.simplefilter('error')
      d = np.load(sys.argv[1], allow_pickle=True)
      print(d['dale_ratio'].item() is None, d['transfer_function'].item() is math.sqrt,
            d['float'].item() == 0.75, d['int'].item() == -2**40, d['small'].item() == 200,
            d['dale_ratio'].shape == (), d['dale_ratio'].dtype == object, d['one'].shape == (1, 1),
            d['one'][0, 0] == 2.5)
      """, [path])
    #expect(printed == "True True True True True True True True True\n")
  }
}

@Test func writerRejectsGlobalsItCannotSpell() {
  #expect(throws: NumpyFormatError.self) {
    try NPY.encode(NumpyArray(object: .global(module: "math\n", name: "sqrt")))
  }
  #expect(throws: NumpyFormatError.self) { try NPY.encode(NumpyArray(object: .global(module: "", name: "sqrt"))) }
}
