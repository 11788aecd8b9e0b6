// Writes a numpy object array holding one simple Python object as a protocol-2 pickle, in the form
// numpy 1.x writes (naming numpy.core.multiarray._reconstruct, which numpy 2.x still loads).

/// Writes pickles of numpy object arrays.
enum PickleWriter {
  /// The pickle of an object array of the given shape (one element) holding `object`, equivalent to
  /// `pickle.dumps(np.array(object, dtype=object), protocol=2)`.
  static func objectArray(holding object: PickledObject, shape: [Int]) throws -> [UInt8] {
    var out = Output()
    out.op(.proto)
    out.bytes.append(2)
    // _reconstruct(ndarray, (0,), b'b') creates an empty array that BUILD then fills in.
    out.global("numpy.core.multiarray", "_reconstruct")
    out.global("numpy", "ndarray")
    out.int(0)
    out.op(.tuple1)
    out.pythonBytes("b")
    out.op(.tuple3)
    out.op(.reduce)
    // The state tuple: (1, shape, dtype('O'), is_fortran False, [object]).
    out.op(.mark)
    out.int(1)
    out.tuple(shape)
    out.objectDType()
    out.op(.newFalse)
    out.op(.emptyList)
    try out.element(object)
    out.op(.append)
    out.op(.tuple)
    out.op(.build)
    out.op(.stop)
    return out.bytes
  }
}

/// An output buffer with one method per pickle construct.
private struct Output {
  var bytes: [UInt8] = []

  mutating func op(_ opcode: PickleOpcode) { bytes.append(opcode.rawValue) }

  /// GLOBAL: `c` module `\n` name `\n`.
  mutating func global(_ module: String, _ name: String) {
    op(.global)
    bytes.appendString(module + "\n" + name + "\n")
  }

  mutating func string(_ text: String) {
    op(.binUnicode)
    let utf8 = Array(text.utf8)
    bytes.appendLE(UInt32(utf8.count))
    bytes += utf8
  }

  /// Python 3 writes a `bytes` object in protocol 2 as `_codecs.encode(text, 'latin1')`.
  mutating func pythonBytes(_ latin1: String) {
    global("_codecs", "encode")
    string(latin1)
    string("latin1")
    op(.tuple2)
    op(.reduce)
  }

  /// The smallest integer opcode that holds `n`.
  mutating func int(_ n: Int) {
    switch n {
    case 0...0xFF:
      op(.binInt1)
      bytes.append(UInt8(n))
    case 0...0xFFFF:
      op(.binInt2)
      bytes.appendLE(UInt16(n))
    case Int(Int32.min)...Int(Int32.max):
      op(.binInt)
      bytes.appendLE(Int32(n))
    default:
      op(.long1)
      bytes.append(8)
      bytes.appendLE(Int64(n))
    }
  }

  mutating func tuple(_ values: [Int]) {
    if values.isEmpty {
      op(.emptyTuple)
      return
    }
    op(.mark)
    for value in values { int(value) }
    op(.tuple)
  }

  /// `dtype('O8', False, True)` with its state `(3, '|', None, None, None, -1, -1, 63)`.
  mutating func objectDType() {
    global("numpy", "dtype")
    string("O8")
    op(.newFalse)
    op(.newTrue)
    op(.tuple3)
    op(.reduce)
    op(.mark)
    int(3)
    string("|")
    op(.none)
    op(.none)
    op(.none)
    int(-1)
    int(-1)
    int(63)
    op(.tuple)
    op(.build)
  }

  mutating func element(_ object: PickledObject) throws {
    switch object {
    case .none: op(.none)
    case .int(let n): int(n)
    case .float(let x):
      op(.binFloat)  // big-endian, unlike everything else in a pickle
      for shift in stride(from: 56, through: 0, by: -8) {
        bytes.append(UInt8(truncatingIfNeeded: x.bitPattern >> shift))
      }
    case .global(let module, let name):
      guard !module.isEmpty, !name.isEmpty, !(module + name).contains("\n") else {
        throw NumpyFormatError.unsupportedPickle("cannot write the global reference '\(module).\(name)'")
      }
      global(module, name)
    }
  }
}
