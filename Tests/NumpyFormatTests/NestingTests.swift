// Deeply nested data: a pickle or a header that nests tens of thousands of levels must end in a clean
// error, never in a stack overflow (neither while the value is built nor while it is freed).

import Foundation
import Testing

@testable import NumpyFormat

/// The header of a 0-d object array, as numpy writes it.
let objectArrayHeader = "{'descr': '|O', 'fortran_order': False, 'shape': (), }"

/// A protocol-2 pickle whose body is `body`, ended by STOP.
func pickle(_ body: [UInt8]) -> [UInt8] { [0x80, 2] + body + [0x2E] }

/// `depth` tuples nested inside each other, `((((...))))`, written three ways: MARK ... TUPLE,
/// EMPTY_TUPLE then TUPLE1 (one byte per level), and EMPTY_LIST ... APPEND (nested lists).
enum DeepNesting: String, CaseIterable {
  case markTuple, tuple1, lists

  func body(depth: Int) -> [UInt8] {
    switch self {
    case .markTuple: return [UInt8](repeating: 0x28, count: depth) + [UInt8](repeating: 0x74, count: depth)
    case .tuple1: return [0x29] + [UInt8](repeating: 0x85, count: depth)
    case .lists: return [UInt8](repeating: 0x5D, count: depth) + [UInt8](repeating: 0x61, count: depth - 1)
    }
  }
}

@Test(arguments: DeepNesting.allCases)
func deeplyNestedPicklesAreRejected(nesting: DeepNesting) throws {
  let start = Date()
  let npy = handMadeNPY(objectArrayHeader, data: pickle(nesting.body(depth: 200_000)))
  let error = expectFormatError { _ = try NPY.decode(npy) }
  #expect(error?.root == .nestingTooDeep(what: "pickle", limit: PickleScanner.maxDepth))
  #expect(error?.description == "pickle nests deeper than 100 levels")
  #expect(Date().timeIntervalSince(start) < 2)
}

/// Nesting up to the limit is still scanned (and then fails for the usual reason: it is no ndarray).
@Test func nestingWithinTheLimitIsScanned() throws {
  for nesting in DeepNesting.allCases {
    let error = expectFormatError {
      _ = try PickleScanner.objectArrayElement(pickle(nesting.body(depth: 90)), elementCount: 1)
    }
    #expect(error == .unsupportedPickle("not a pickled numpy array (no BUILD with an element list)"), "\(nesting)")
  }
}

/// The same nesting inside an `.npz` member, read from a file.
@Test func deeplyNestedPickleInAnArchiveIsRejected() throws {
  let member = handMadeNPY(objectArrayHeader, data: pickle(DeepNesting.tuple1.body(depth: 100_000)))
  let archive = try ZIPWriter.archive([(name: "dale_ratio.npy", data: member)])
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("deep.npz").path
    try Data(archive).write(to: URL(fileURLWithPath: path))
    let error = expectFormatError { _ = try readNPZ(path: path) }
    #expect(error?.description == "\(path): member 'dale_ratio.npy': pickle nests deeper than 100 levels")
  }
}

/// The header parser has its own limit: `(((`, `[[[` and `{{{` nested thousands deep are malformed headers.
@Test func deeplyNestedHeadersAreRejected() {
  for open in ["(", "[", "{'a': "] {
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(String(repeating: open, count: 1500))"
    let error = expectFormatError { _ = try NPY.decode(handMadeNPY(header, data: [])) }
    guard case .malformedHeader(_, let reason)? = error else {
      Issue.record("expected malformedHeader for \(open), got \(String(describing: error))")
      continue
    }
    #expect(reason.hasPrefix("the literal nests deeper than 32 levels"), "\(reason)")
  }
}
