// Finds the one element of a pickled 0-d numpy object array, without a general unpickler.
//
// numpy saves an object array by pickling the whole ndarray. The pickle calls
// numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b'), then BUILDs the result with the state
// tuple (1, shape, dtype, is_fortran, [element, ...]). The scanner runs a small stack machine over the
// opcodes: strings, numbers, None, globals, tuples and lists are tracked; everything else (the results of
// calls, dicts, bytes) becomes an opaque value. The element list of the last BUILD is the answer.

/// Reads the element of a pickled numpy object array.
enum PickleScanner {
  /// How deeply tuples and lists may nest. numpy's own pickles of a 0-d object array nest 3 levels.
  static let maxDepth = 100

  /// Returns the single element of the pickled ndarray in `bytes`.
  /// `elementCount` is the element count of the `.npy` header's shape; only 1 is supported.
  static func objectArrayElement(_ bytes: [UInt8], elementCount: Int) throws -> PickledObject {
    guard elementCount == 1 else {
      throw NumpyFormatError.unsupportedPickle(
        "object arrays with \(elementCount) elements (only one is supported)")
    }
    var machine = PickleMachine(bytes)
    let list = try machine.run()
    guard list.count == 1, let element = list.prefix.first else {
      throw NumpyFormatError.unsupportedPickle("the pickled array holds \(list.count) elements, expected 1")
    }
    return try element.pickledObject()
  }
}

/// A value on the pickle machine's stack. Only what is needed to find the array's element is kept.
///
/// Tuples and lists carry their nesting depth, and the machine refuses to build one deeper than
/// ``PickleScanner/maxDepth``: the enum is `indirect`, so both building and freeing a value recurse once
/// per level, and a hostile pickle of `((((...))))` a hundred thousand deep would overflow the stack.
private indirect enum PickleValue {
  case mark
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case global(module: String, name: String)
  /// A tuple's items, and its depth (1 + the deepest item's).
  case tuple([PickleValue], depth: Int)
  /// A list's first elements (at most two are kept: we only need to tell "one element" from "more"),
  /// its length and its depth (1 + the deepest element's, counting the elements that were not kept).
  case list(prefix: [PickleValue], count: Int, depth: Int)
  /// Anything else: bytes, dicts, sets, big integers, results of calls. The text says what it was.
  case opaque(String)

  /// What this value is as the element of an object array, if it is one of the supported kinds.
  func pickledObject() throws -> PickledObject {
    switch self {
    case .none: return .none
    case .int(let n): return .int(n)
    case .float(let x): return .float(x)
    case .global(let module, let name): return .global(module: module, name: name)
    default:
      throw NumpyFormatError.unsupportedPickle(
        "the array's element is \(kind), not None, a number or a global reference")
    }
  }

  /// How many tuples and lists this value nests: 0 for a scalar, 1 for `(1, 2)`, 2 for `((1,),)`.
  var depth: Int {
    switch self {
    case .tuple(_, let depth), .list(_, _, let depth): return depth
    default: return 0
    }
  }

  var kind: String {
    switch self {
    case .mark: return "a mark"
    case .none: return "None"
    case .bool: return "a bool"
    case .int: return "an int"
    case .float: return "a float"
    case .string: return "a string"
    case .global: return "a global reference"
    case .tuple: return "a tuple"
    case .list: return "a list"
    case .opaque(let what): return what
    }
  }
}

/// The stack machine. `run()` executes opcodes until STOP and returns the element list of the last BUILD
/// (its first two elements and its length).
private struct PickleMachine {
  private var reader: ByteReader
  private var stack: [PickleValue] = []
  private var memo: [Int: PickleValue] = [:]
  /// The element list from the state of the most recent BUILD whose state tuple ends in a list.
  private var builtElements: (prefix: [PickleValue], count: Int)?

  init(_ bytes: [UInt8]) {
    reader = ByteReader(bytes, what: "pickle")
  }

  mutating func run() throws -> (prefix: [PickleValue], count: Int) {
    guard reader.bytes.first == PickleOpcode.proto.rawValue else {
      throw NumpyFormatError.unsupportedPickle("pickle protocol 0 or 1 (only protocols 2 to 5 are read)")
    }
    while true {
      let offset = reader.offset
      let byte = try reader.readUInt8()
      guard let opcode = PickleOpcode(rawValue: byte) else {
        throw NumpyFormatError.unsupportedPickle("opcode 0x\(String(byte, radix: 16)) at offset \(offset)")
      }
      if opcode == .stop { break }
      try execute(opcode, at: offset)
    }
    guard let elements = builtElements else {
      throw NumpyFormatError.unsupportedPickle("not a pickled numpy array (no BUILD with an element list)")
    }
    return elements
  }

  private mutating func execute(_ opcode: PickleOpcode, at offset: Int) throws {
    switch opcode {
    case .proto:
      let version = try reader.readUInt8()
      guard (2...5).contains(version) else {
        throw NumpyFormatError.unsupportedPickle("pickle protocol \(version) (only 2 to 5 are read)")
      }
    case .frame: try reader.skip(8)
    case .stop: break
    case .mark: stack.append(.mark)
    case .pop: _ = try pop()
    case .popMark: _ = try popToMark()
    case .dup: stack.append(try top())

    case .none: stack.append(.none)
    case .newTrue: stack.append(.bool(true))
    case .newFalse: stack.append(.bool(false))
    case .binInt: stack.append(.int(Int(Int32(bitPattern: try reader.readLE(UInt32.self)))))
    case .binInt1: stack.append(.int(Int(try reader.readUInt8())))
    case .binInt2: stack.append(.int(Int(try reader.readLE(UInt16.self))))
    case .long1: stack.append(try readLong(length: Int(try reader.readUInt8())))
    case .long4:
      let length = Int(Int32(bitPattern: try reader.readLE(UInt32.self)))
      guard length >= 0 else {
        throw NumpyFormatError.malformedPickle("negative LONG4 length at offset \(offset)")
      }
      stack.append(try readLong(length: length))
    case .binFloat: stack.append(.float(Double(bitPattern: try reader.readBE(UInt64.self))))

    case .shortBinUnicode, .shortBinString:
      stack.append(.string(try readText(length: Int(try reader.readUInt8()))))
    case .binUnicode, .binString: stack.append(.string(try readText(length: try reader.readLE(UInt32.self))))
    case .binUnicode8: stack.append(.string(try readText(length: try reader.readLE(UInt64.self))))
    case .shortBinBytes: try skipBytes(length: Int(try reader.readUInt8()))
    case .binBytes: try skipBytes(length: try reader.readLE(UInt32.self))
    case .binBytes8, .byteArray8: try skipBytes(length: try reader.readLE(UInt64.self))

    case .emptyTuple: stack.append(.tuple([], depth: 1))
    case .tuple: stack.append(try tuple(try popToMark()))
    case .tuple1, .tuple2, .tuple3:
      let n = Int(opcode.rawValue - PickleOpcode.tuple1.rawValue) + 1
      stack.append(try tuple(try pop(n)))
    case .emptyList: stack.append(.list(prefix: [], count: 0, depth: 1))
    case .list: stack.append(try appending(try popToMark(), to: .list(prefix: [], count: 0, depth: 1)))
    case .append:
      let value = try pop()
      stack.append(try appending([value], to: try pop()))
    case .appends:
      let values = try popToMark()
      stack.append(try appending(values, to: try pop()))
    case .emptyDict: stack.append(.opaque("a dict"))
    case .dict:
      _ = try popToMark()
      stack.append(.opaque("a dict"))
    case .setItem: _ = try pop(2)
    case .setItems, .addItems: _ = try popToMark()
    case .emptySet: stack.append(.opaque("a set"))
    case .frozenSet:
      _ = try popToMark()
      stack.append(.opaque("a frozenset"))

    case .memoize: memo[memo.count] = try top()
    case .binPut: memo[Int(try reader.readUInt8())] = try top()
    case .longBinPut: memo[Int(try reader.readLE(UInt32.self))] = try top()
    case .binGet: stack.append(try memoValue(Int(try reader.readUInt8()), at: offset))
    case .longBinGet: stack.append(try memoValue(Int(try reader.readLE(UInt32.self)), at: offset))

    case .global:
      let module = String(decoding: try reader.readLine(), as: UTF8.self)
      let name = String(decoding: try reader.readLine(), as: UTF8.self)
      stack.append(.global(module: module, name: name))
    case .stackGlobal:
      let pair = try pop(2)
      guard case .string(let module) = pair[0], case .string(let name) = pair[1] else {
        throw NumpyFormatError.malformedPickle("STACK_GLOBAL without two strings at offset \(offset)")
      }
      stack.append(.global(module: module, name: name))
    case .reduce, .newObj:
      let callee = try pop(2)[0]
      stack.append(.opaque("the result of calling \(describe(callee))"))
    case .newObjEx:
      let callee = try pop(3)[0]
      stack.append(.opaque("the result of calling \(describe(callee))"))
    case .obj:
      let items = try popToMark()
      stack.append(.opaque("the result of calling \(items.first.map(describe) ?? "nothing")"))
    case .build:
      let state = try pop()
      _ = try top()
      if case .tuple(let items, _) = state, case .list(let prefix, let count, _)? = items.last {
        builtElements = (prefix, count)
      }
    }
  }

  // MARK: Stack helpers

  private func top() throws -> PickleValue {
    guard let value = stack.last else { throw underflow() }
    if case .mark = value { throw NumpyFormatError.malformedPickle("unexpected mark on the stack") }
    return value
  }

  private mutating func pop() throws -> PickleValue {
    let value = try top()
    stack.removeLast()
    return value
  }

  /// Pops the top `n` values, returned in stack order (deepest first).
  private mutating func pop(_ n: Int) throws -> [PickleValue] {
    var values: [PickleValue] = []
    for _ in 0..<n { values.append(try pop()) }
    return values.reversed()
  }

  /// Pops everything above the topmost mark, and the mark; returned deepest first.
  private mutating func popToMark() throws -> [PickleValue] {
    guard let markIndex = stack.lastIndex(where: { if case .mark = $0 { return true } else { return false } })
    else { throw NumpyFormatError.malformedPickle("no mark on the stack") }
    let values = Array(stack[(markIndex + 1)...])
    stack.removeSubrange(markIndex...)
    return values
  }

  private func underflow() -> NumpyFormatError {
    .malformedPickle("stack underflow at offset \(reader.offset)")
  }

  private func memoValue(_ index: Int, at offset: Int) throws -> PickleValue {
    guard let value = memo[index] else {
      throw NumpyFormatError.malformedPickle("memo entry \(index) read before it was written, at offset \(offset)")
    }
    return value
  }

  /// The depth of a container holding `items`, or `nestingTooDeep` if it exceeds the limit.
  private func containerDepth(_ items: [PickleValue], atLeast minimum: Int = 1) throws -> Int {
    let depth = max(minimum, 1 + (items.map(\.depth).max() ?? 0))
    guard depth <= PickleScanner.maxDepth else {
      throw NumpyFormatError.nestingTooDeep(what: "pickle", limit: PickleScanner.maxDepth)
    }
    return depth
  }

  private func tuple(_ items: [PickleValue]) throws -> PickleValue {
    .tuple(items, depth: try containerDepth(items))
  }

  /// A list with `values` appended. Appending to something that is not a list (a custom object) is
  /// allowed by pickle and leaves an opaque value.
  private func appending(_ values: [PickleValue], to target: PickleValue) throws -> PickleValue {
    guard case .list(let prefix, let count, let depth) = target else { return target }
    return .list(
      prefix: Array((prefix + values).prefix(2)), count: count + values.count,
      depth: try containerDepth(values, atLeast: depth))
  }

  private func describe(_ callee: PickleValue) -> String {
    if case .global(let module, let name) = callee { return "\(module).\(name)" }
    return callee.kind
  }

  // MARK: Argument readers

  private mutating func readText<T: BinaryInteger>(length: T) throws -> String {
    String(decoding: try reader.readBytes(try reader.checkedLength(length)), as: UTF8.self)
  }

  private mutating func skipBytes<T: BinaryInteger>(length: T) throws {
    try reader.skip(try reader.checkedLength(length))
    stack.append(.opaque("bytes"))
  }

  /// A little-endian two's-complement integer of `length` bytes (LONG1 / LONG4).
  private mutating func readLong(length: Int) throws -> PickleValue {
    let bytes = try reader.readBytes(try reader.checkedLength(length))
    guard length <= 8 else { return .opaque("an integer wider than 64 bits") }
    guard let last = bytes.last else { return .int(0) }
    var value: UInt64 = last & 0x80 != 0 ? ~0 : 0  // sign extension
    for byte in bytes.reversed() { value = (value << 8) | UInt64(byte) }
    return .int(Int(Int64(bitPattern: value)))
  }
}
