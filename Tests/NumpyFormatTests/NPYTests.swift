// The .npy format: round trips, byte-exact headers, tolerant header parsing, byte order, Fortran order,
// and files written by numpy itself.

import Foundation
import Testing

@testable import NumpyFormat

/// An `.npy` file assembled by hand: magic, version, length, `header` as given (no padding), `data`.
func handMadeNPY(_ header: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
  var bytes = NPY.magic + [version, 0]
  let text = Array(header.utf8)
  if version == 1 { bytes.appendLE(UInt16(text.count)) } else { bytes.appendLE(UInt32(text.count)) }
  return bytes + text + data
}

private let testShapes: [[Int]] = [[], [0], [1], [5], [2, 3], [2, 0, 3], [3, 1, 2], [1, 1, 1, 1]]

@Test(arguments: NumpyDType.numericTypes)
func roundTripEveryDTypeAndShape(dtype: NumpyDType) throws {
  var random = TestRandom(seed: 42)
  for shape in testShapes {
    let count = shape.reduce(1, *)
    var bytes = random.bytes(count * dtype.itemSize)
    if dtype == .bool { bytes = bytes.map { $0 & 1 } }
    let array = try NumpyArray(shape: shape, dtype: dtype, bytes: bytes)
    let encoded = try NPY.encode(array)
    #expect(encoded.count % 64 == bytes.count % 64, "data starts at a multiple of 64")
    #expect(try NPY.decode(encoded) == array)
  }
}

@Test func roundTripObjectArrays() throws {
  let objects: [PickledObject] = [
    .none, .float(0.75), .float(-.infinity), .int(0), .int(-1), .int(300), .int(70_000), .int(-(1 << 40)),
    .int(.max),
    .global(module: "tensorflow.python.ops.gen_nn_ops", name: "relu"),
  ]
  for object in objects {
    let array = NumpyArray(object: object)
    #expect(try NPY.decode(try NPY.encode(array)) == array)
  }
  let oneByOne = try NumpyArray(shape: [1, 1], dtype: .object(.none), bytes: [])
  #expect(try NPY.decode(try NPY.encode(oneByOne)) == oneByOne)
}

/// Our files are byte-for-byte what `np.save` writes, for every dtype and for shapes whose headers land on
/// both sides of the 64-byte alignment.
@Test func encodingMatchesNumpyByteForByte() throws {
  let shapes: [[Int]] = [
    [], [0], [1], [9], [10], [99], [100], [12345], [50, 2], [1, 20], [2, 3, 4], [0, 5], [5, 0], [0, 123_456_789],
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  ]
  var cases: [(NumpyDType, [Int])] = shapes.map { (.float32, $0) }
  cases += NumpyDType.numericTypes.map { ($0, [3]) }
  let descriptions = cases.map { dtype, shape in ["dtype": dtype.descr, "shape": shape] as [String: Any] }
  let json = String(decoding: try JSONSerialization.data(withJSONObject: descriptions), as: UTF8.self)
  let printed = try runPythonJSON(
    """
    import io
    out = []
    for case in json.loads(sys.argv[1]):
        f = io.BytesIO(); np.save(f, np.zeros(tuple(case['shape']), dtype=case['dtype'])); out.append(f.getvalue().hex())
    print(json.dumps(out))
    """, [json])
  let numpyFiles = try #require(printed as? [String])
  for ((dtype, shape), numpyHex) in zip(cases, numpyFiles) {
    let zeros = [UInt8](repeating: 0, count: shape.reduce(1, *) * dtype.itemSize)
    let ours = try NPY.encode(try NumpyArray(shape: shape, dtype: dtype, bytes: zeros))
    #expect(hex(ours) == numpyHex, "\(dtype.descr) \(shape)")
  }
}

func hex(_ bytes: [UInt8]) -> String {
  bytes.map { String(format: "%02x", $0) }.joined()
}

@Test func headerParsingIsTolerant() throws {
  let data = NumpyArray(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6]).bytes
  let headers = [
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
    "{ \"descr\" : \"<f4\" ,\n\t'fortran_order':False,'shape':( 2 ,3, ) , }   \n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }\n",
    "{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3)}",
    "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3), 'extra': [1, None, {'a': (1,)}]}",
  ]
  for header in headers {
    let array = try NPY.decode(handMadeNPY(header, data: data))
    #expect(array.shape == [2, 3], "\(header)")
    #expect(try array.asFloats() == [1, 2, 3, 4, 5, 6], "\(header)")
  }
  let oneD = try NPY.decode(handMadeNPY("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", data: data))
  #expect(oneD.shape == [6])
  let zeroD = try NPY.decode(
    handMadeNPY("{'descr':'<f8','fortran_order':False,'shape':()}", data: [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]))
  #expect(zeroD.shape == [])
  #expect(zeroD.scalar == 1)
  for version: UInt8 in [2, 3] {
    let array = try NPY.decode(
      handMadeNPY("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", version: version, data: data))
    #expect(try array.asFloats() == [1, 2, 3, 4, 5, 6])
  }
}

@Test func malformedHeadersAreRejected() {
  let headers = [
    "{'descr': '<f4', 'fortran_order': False}",
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}",
    "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",
    "['descr', '<f4']",
    "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
    String(repeating: "(", count: 5000),
    "",
  ]
  for header in headers {
    let error = expectFormatError {
      _ = try NPY.decode(handMadeNPY(header, data: [UInt8](repeating: 0, count: 8)))
    }
    guard case .malformedHeader(let quoted, _)? = error else {
      Issue.record("expected malformedHeader for \(header), got \(String(describing: error))")
      continue
    }
    #expect(quoted.count <= 203)
  }
}

@Test func malformedHeaderMessageQuotesTheHeader() {
  let error = expectFormatError {
    _ = try NPY.decode(handMadeNPY("{'descr': '<f4', 'fortran_order': False}", data: []))
  }
  #expect(
    error?.description
      == "malformed .npy header (no 'shape' key): \"{'descr': '<f4', 'fortran_order': False}\"")
}

@Test func unsupportedDTypesAreNamed() {
  for descr in ["<U5", "<c8", "<f2", "|S3", "<M8[ns]", ">V4"] {
    let header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }"
    #expect(throws: NumpyFormatError.unsupportedDType(descr: descr)) {
      try NPY.decode(handMadeNPY(header, data: [0, 0, 0, 0]))
    }
  }
  let structured = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"
  #expect(throws: NumpyFormatError.unsupportedDType(descr: "[('a', '<f4')]")) {
    try NPY.decode(handMadeNPY(structured, data: [0, 0, 0, 0]))
  }
}

@Test func preambleAndSizeErrors() {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
  #expect(throws: NumpyFormatError.notNPY) { try NPY.decode(Array("PK\u{3}\u{4} not numpy at all".utf8)) }
  #expect(throws: NumpyFormatError.notNPY) { try NPY.decode([]) }
  #expect(throws: NumpyFormatError.truncated(what: ".npy preamble", expected: 8, available: 4)) {
    try NPY.decode(Array(NPY.magic.prefix(4)))
  }
  var version4 = handMadeNPY(header, data: [UInt8](repeating: 0, count: 8))
  version4[6] = 4
  #expect(throws: NumpyFormatError.unsupportedNPYVersion(major: 4, minor: 0)) { try NPY.decode(version4) }
  #expect(throws: NumpyFormatError.sizeMismatch(shape: [2], expectedBytes: 8, actualBytes: 7)) {
    try NPY.decode(handMadeNPY(header, data: [UInt8](repeating: 0, count: 7)))
  }
  #expect(throws: NumpyFormatError.sizeMismatch(shape: [2], expectedBytes: 8, actualBytes: 9)) {
    try NPY.decode(handMadeNPY(header, data: [UInt8](repeating: 0, count: 9)))
  }
  let cutHeader = Array(handMadeNPY(header, data: []).prefix(30))
  #expect(throws: NumpyFormatError.truncated(what: ".npy header", expected: header.utf8.count, available: 20)) {
    try NPY.decode(cutHeader)
  }
}

@Test func headersLongerThanNumpysLimitAreRejected() {
  let long = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }" + String(repeating: " ", count: 10_000)
  let error = expectFormatError { _ = try NPY.decode(handMadeNPY(long, version: 2, data: [0, 0, 0, 0])) }
  guard case .malformedHeader(_, let reason)? = error else {
    Issue.record("expected malformedHeader, got \(String(describing: error))")
    return
  }
  #expect(reason.contains("10000"))
}

@Test func versionTwoIsWrittenWhenTheHeaderNeedsIt() throws {
  let text = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }" + String(repeating: " ", count: 70_000)
  let bytes = NPY.wrap(headerText: text) + [0, 0, 0x80, 0x3F]
  #expect(bytes[6] == 2)
  #expect((bytes.count - 4) % 64 == 0)
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("v2.npy")
    try Data(bytes).write(to: path)
    let printed = try runPython("a = np.load(sys.argv[1], allow_pickle=True); print(a.tolist())", [path.path])
    #expect(printed == "[1.0]\n")
  }
  let small = NPY.wrap(headerText: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }")
  #expect(small[6] == 1)
  #expect(small.count == 128)
}

@Test func bigEndianAndFortranOrderAreConvertedToLittleEndianCOrder() throws {
  // 2 x 3 float64 [[1, 2, 3], [4, 5, 6]] stored big-endian in Fortran order: 1 4 2 5 3 6.
  var data: [UInt8] = []
  for value in [1.0, 4, 2, 5, 3, 6] {
    data += (0..<8).reversed().map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
  }
  let header = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }"
  let array = try NPY.decode(handMadeNPY(header, data: data))
  #expect(array.dtype == .float64)
  #expect(array.values(as: Double.self) == [1, 2, 3, 4, 5, 6])
  // Fortran order of a 1-D array is the same as C order; single bytes have no byte order.
  let bytes = try NPY.decode(
    handMadeNPY("{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }", data: [7, 8, 9]))
  #expect(bytes.values(as: UInt8.self) == [7, 8, 9])
}

/// numpy writes files in every layout we claim to read: big-endian, Fortran order, format 2.0 and 3.0,
/// booleans, 0-d and empty arrays.
@Test func readsFilesWrittenByNumpy() throws {
  try withTemporaryDirectory { directory in
    let printed = try runPythonJSON(
      """
      import os
      from numpy.lib import format as fmt
      d = sys.argv[1]
      base = np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 1.5 - 7
      arrays = {
        'be_f8': base.astype('>f8'),
        'be_i4': np.arange(-6, 6, dtype='>i4').reshape(3, 4),
        'be_u2': np.arange(12, dtype='>u2').reshape(4, 3) * 5000,
        'fortran_f4': np.asfortranarray(base.astype(np.float32)),
        'fortran_be_i8': np.asfortranarray(np.arange(24, dtype='>i8').reshape(4, 6) - 10),
        'bool': np.array([[True, False], [False, True]]),
        'scalar': np.array(3.25),
        'empty': np.zeros((0, 4), np.float32),
        'u8': np.array([0, 2**64 - 1], dtype=np.uint64),
        'i1': np.array([-128, 127], dtype=np.int8),
      }
      out = {}
      for name, a in arrays.items():
          np.save(os.path.join(d, name + '.npy'), a)
          out[name] = {'shape': list(a.shape), 'values': f8hex(a)}
      for version in [(2, 0), (3, 0)]:
          name = 'v%d' % version[0]
          with open(os.path.join(d, name + '.npy'), 'wb') as f:
              fmt.write_array(f, base, version=version)
          out[name] = {'shape': list(base.shape), 'values': f8hex(base)}
      print(json.dumps(out))
      """, [directory.path])
    let expected = try #require(printed as? [String: [String: Any]])
    #expect(expected.count == 12)
    for (name, facts) in expected {
      let array = try readNPY(path: directory.appendingPathComponent(name + ".npy").path)
      #expect(array.shape == facts["shape"] as? [Int], "\(name)")
      #expect(try array.asDoubles() == doubles(fromHex: facts["values"] as? String ?? ""), "\(name)")
    }
  }
}

/// numpy reads back everything we write, with the same dtype, shape and values.
@Test func numpyReadsOurNPYFiles() throws {
  try withTemporaryDirectory { directory in
    var random = TestRandom(seed: 7)
    var names: [String] = []
    for dtype in NumpyDType.numericTypes {
      for (i, shape) in testShapes.enumerated() {
        var bytes = random.bytes(shape.reduce(1, *) * dtype.itemSize)
        if dtype == .bool { bytes = bytes.map { $0 & 1 } }
        let array = try NumpyArray(shape: shape, dtype: dtype, bytes: bytes)
        let name = "\(dtype.descr.dropFirst())_\(i)"
        try writeNPY(array, to: directory.appendingPathComponent(name + ".npy").path)
        names.append(name)
      }
    }
    let printed = try runPythonJSON(
      """
      import os
      out = {}
      for name in sys.argv[2:]:
          a = np.load(os.path.join(sys.argv[1], name + '.npy'))
          out[name] = [a.dtype.str, list(a.shape), a.tobytes().hex()]
      print(json.dumps(out))
      """, [directory.path] + names)
    let numpy = try #require(printed as? [String: [Any]])
    for name in names {
      let ours = try readNPY(path: directory.appendingPathComponent(name + ".npy").path)
      let facts = try #require(numpy[name])
      #expect(facts[0] as? String == ours.dtype.descr, "\(name)")
      #expect(facts[1] as? [Int] == ours.shape, "\(name)")
      #expect(facts[2] as? String == hex(ours.bytes), "\(name)")
    }
  }
}
