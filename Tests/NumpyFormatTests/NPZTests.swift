// The .npz format: round trips, numpy interop in both directions (stored and compressed), atomic writes,
// and file-level errors.

import Foundation
import Testing

@testable import NumpyFormat

/// A little of everything: every dtype, 0-d, 1-D, empty, PsychRNN-style keys with '/', object entries.
func sampleEntries() throws -> [(String, NumpyArray)] {
  var random = TestRandom(seed: 99)
  var entries: [(String, NumpyArray)] = [
    ("init_state", NumpyArray(shape: [1, 4], float32: [0.1, 0.2, 0.3, 0.4])),
    ("W_rec/Adam", NumpyArray(shape: [2, 2], float32: [1, -2, 3.5, -4.25])),
    ("dale_ratio", NumpyArray(object: .none)),
    ("ratio", NumpyArray(shape: [], float64: [0.75])),
    ("transfer_function", NumpyArray(object: .global(module: "math", name: "sqrt"))),
    ("empty", NumpyArray(shape: [0, 3], float32: [])),
    ("σ/β", NumpyArray(shape: [2], values: [Int16(-7), 7])),
  ]
  for dtype in NumpyDType.numericTypes {
    var bytes = random.bytes(6 * dtype.itemSize)
    if dtype == .bool { bytes = bytes.map { $0 & 1 } }
    entries.append(("all/\(dtype.descr.dropFirst())", try NumpyArray(shape: [3, 2], dtype: dtype, bytes: bytes)))
  }
  return entries
}

func expectSameEntries(
  _ a: [(String, NumpyArray)], _ b: [(String, NumpyArray)],
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(a.map(\.0) == b.map(\.0), sourceLocation: sourceLocation)
  #expect(a.map(\.1) == b.map(\.1), sourceLocation: sourceLocation)
}

@Test func npzRoundTripKeepsKeysAndOrder() throws {
  let entries = try sampleEntries()
  expectSameEntries(try NPZ.decode(try NPZ.encode(entries)), entries)
  #expect(try NPZ.decode(try NPZ.encode([])).isEmpty)
  #expect(try NPZ.decode(Data(try NPZ.encode(entries))).count == entries.count)
}

@Test func numpyReadsOurNPZ() throws {
  let entries = try sampleEntries()
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("ours.npz").path
    try writeNPZ(entries, to: path)
    let printed = try runPythonJSON(
      """
      import math
      d = np.load(sys.argv[1], allow_pickle=True)
      out = []
      for k in d.files:
          a = d[k]
          if a.dtype == object:
              v = a.item()
              out.append([k, '|O', list(a.shape), 'None' if v is None else v.__module__ + '.' + v.__name__])
          else:
              out.append([k, a.dtype.str, list(a.shape), a.tobytes().hex()])
      print(json.dumps(out))
      """, [path])
    let numpy = try #require(printed as? [[Any]])
    #expect(numpy.map { $0[0] as? String } == entries.map(\.0))
    for (item, (key, array)) in zip(numpy, entries) {
      #expect(item[1] as? String == array.dtype.descr, "\(key)")
      #expect(item[2] as? [Int] == array.shape, "\(key)")
      switch array.object {
      case .none?: #expect(item[3] as? String == "None")
      case .global(let module, let name)?: #expect(item[3] as? String == "\(module).\(name)")
      case .some: Issue.record("unexpected object")
      case nil: #expect(item[3] as? String == hex(array.bytes), "\(key)")
      }
    }
  }
}

/// Files from np.savez and np.savez_compressed, including Fortran-order and big-endian members.
@Test(arguments: ["savez", "savez_compressed"])
func readsNPZWrittenByNumpy(function: String) throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("numpy.npz").path
    let printed = try runPythonJSON(
      """
      rng = np.random.default_rng(0)
      arrays = {
        'W_rec': rng.standard_normal((50, 50)).astype(np.float32),
        'W_rec/Adam': np.zeros((50, 50), np.float32),
        'x': np.linspace(-1, 1, 8 * 40 * 2).reshape(8, 40, 2),
        'fortran': np.asfortranarray(np.arange(60, dtype=np.float64).reshape(3, 4, 5)),
        'big_endian': np.arange(-5, 5, dtype='>i4').reshape(2, 5),
        'big_fortran': np.asfortranarray(rng.standard_normal((7, 3)).astype('>f4')),
        'mask': rng.random((30, 30)) > 0.5,
        'loss': np.float32(0.18214226),
        'ratio': np.array(0.75),
        'empty': np.zeros((0,), np.int64),
        'long': np.tile(np.arange(1000, dtype=np.uint16), 100),
      }
      getattr(np, sys.argv[2])(sys.argv[1], **arrays)
      print(json.dumps({k: [list(np.shape(a)), f8hex(a)] for k, a in arrays.items()}))
      """, [path, function])
    let expected = try #require(printed as? [String: [Any]])
    let entries = try readNPZ(path: path)
    #expect(Set(entries.map(\.0)) == Set(expected.keys))
    for (key, array) in entries {
      let facts = try #require(expected[key])
      #expect(array.shape == facts[0] as? [Int], "\(key)")
      #expect(try array.asDoubles() == doubles(fromHex: facts[1] as? String ?? ""), "\(key)")
    }
  }
}

@Test func writesAreAtomicAndOverwrite() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("weights.npz").path
    try writeNPZ([("a", NumpyArray(shape: [1], float32: [1]))], to: path)
    try writeNPZ([("b", NumpyArray(shape: [2], float32: [2, 3]))], to: path)
    let entries = try readNPZ(path: path)
    #expect(entries.map(\.0) == ["b"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["weights.npz"])

    let single = directory.appendingPathComponent("one.npy").path
    try writeNPY(NumpyArray(shape: [3], float64: [1, 2, 3]), to: single)
    #expect(try readNPY(path: single).values(as: Double.self) == [1, 2, 3])

    let missingDirectory = directory.appendingPathComponent("no/such/dir/w.npz").path
    let error = expectFormatError { try writeNPZ([], to: missingDirectory) }
    guard case .unwritableFile(let reportedPath, _)? = error else {
      Issue.record("expected unwritableFile, got \(String(describing: error))")
      return
    }
    #expect(reportedPath == missingDirectory)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["one.npy", "weights.npz"])
  }
}

@Test func fileErrorsNameThePath() throws {
  #expect(throws: NumpyFormatError.fileNotFound(path: "/nonexistent/w.npz")) {
    try readNPZ(path: "/nonexistent/w.npz")
  }
  #expect(throws: NumpyFormatError.fileNotFound(path: "/nonexistent/w.npy")) {
    try readNPY(path: "/nonexistent/w.npy")
  }
  try withTemporaryDirectory { directory in
    #expect(throws: NumpyFormatError.unreadableFile(path: directory.path, reason: "is a directory")) {
      try readNPZ(path: directory.path)
    }
    let path = directory.appendingPathComponent("bad.npz").path
    var bytes = try NPZ.encode([("a", NumpyArray(shape: [4], float32: [1, 2, 3, 4]))])
    bytes[100] ^= 0xFF  // inside a.npy's data
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let error = expectFormatError { _ = try readNPZ(path: path) }
    guard case .crcMismatch(let member, _, _)? = error?.root else {
      Issue.record("expected crcMismatch, got \(String(describing: error))")
      return
    }
    #expect(member == "a.npy")
    #expect(error?.description.hasPrefix("\(path): CRC-32 mismatch in member 'a.npy'") == true)

    let npyPath = directory.appendingPathComponent("a.npy").path
    try writeNPY(NumpyArray(shape: [1], float32: [1]), to: npyPath)
    #expect(throws: NumpyFormatError.inFile(npyPath, .notZIP)) { try readNPZ(path: npyPath) }
  }
}

@Test func duplicateKeysAreRejected() {
  let array = NumpyArray(shape: [1], float32: [1])
  #expect(throws: NumpyFormatError.duplicateKey("W")) { try NPZ.encode([("W", array), ("W", array)]) }
}

@Test func membersThatAreNotNPYAreReported() throws {
  let archive = try ZIPWriter.archive([(name: "readme.txt", data: Array("hello".utf8))])
  #expect(throws: NumpyFormatError.inMember("readme.txt", .notNPY)) { try NPZ.decode(archive) }
}
