// A compact inflater for raw deflate data (RFC 1951), as written by np.savez_compressed (ZIP method 8).
//
// A deflate stream is a sequence of blocks. Each block is stored (raw bytes), or compressed with fixed or
// dynamic (transmitted) Huffman codes. Compressed blocks hold literal bytes and (length, distance) pairs
// that copy earlier output. Codes are canonical: a code is fully described by the bit length of each
// symbol's code, so a decoder only needs, per length, how many codes have it and which symbols they are.

/// Decompresses raw deflate data.
enum Inflate {
  /// Inflates `input`, which must decompress to exactly `expectedSize` bytes (the size recorded in the ZIP
  /// directory; decoding stops with an error as soon as the output would exceed it).
  static func decompress(_ input: ArraySlice<UInt8>, expectedSize: Int) throws -> [UInt8] {
    try decompress(input, expectedSize: expectedSize) { _ in .atMost(expectedSize, "the zip directory says") }
  }

  /// Inflates `input`, which must decompress to exactly `expectedSize` bytes, and may decompress to no more
  /// than `bound` allows. `bound` is asked when the output first needs to grow, and again whenever it
  /// reaches the size `bound` last asked for, with the output so far; it returns
  /// ``Bound/needsPrefix(_:)`` until it has seen enough to decide, then ``Bound/atMost(_:_:)``, after which
  /// it is not asked again. It may also throw, which ends decoding with its error.
  ///
  /// So the caller can read a format header from the start of the stream and stop a stream that wants more
  /// than the header declares, after inflating only the header, instead of after inflating gigabytes.
  static func decompress(
    _ input: ArraySlice<UInt8>, expectedSize: Int, bound: @escaping ([UInt8]) throws -> Bound
  ) throws -> [UInt8] {
    var inflater = Inflater(input: input, expectedSize: expectedSize, bound: bound)
    try inflater.run()
    guard inflater.output.count == expectedSize else {
      throw NumpyFormatError.malformedDeflate(
        "inflated to \(inflater.output.count) bytes, the zip directory says \(expectedSize)")
    }
    return inflater.output
  }

  /// How far an output may grow, as decided from its first bytes.
  enum Bound {
    /// Not decided yet: ask again once the output holds this many bytes.
    case needsPrefix(Int)
    /// The output may hold at most this many bytes; `who` says who declared the size, for the error
    /// message ("the zip directory says", "its .npy header declares").
    case atMost(Int, _ who: String)
  }
}

private func corrupt(_ reason: String) -> NumpyFormatError { .malformedDeflate(reason) }

/// Reads bits least-significant first, as deflate packs them.
private struct BitReader {
  private let bytes: ArraySlice<UInt8>
  private var index: Int
  private var buffer: UInt64 = 0
  private var bufferedBits = 0

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    self.index = bytes.startIndex
  }

  /// The next `count` bits (0...32) as an integer, first bit in the lowest position.
  mutating func bits(_ count: Int) throws -> Int {
    while bufferedBits < count {
      guard index < bytes.endIndex else { throw corrupt("unexpected end of compressed data") }
      buffer |= UInt64(bytes[index]) << bufferedBits
      index += 1
      bufferedBits += 8
    }
    let value = Int(buffer & ((1 << UInt64(count)) - 1))
    buffer >>= UInt64(count)
    bufferedBits -= count
    return value
  }

  /// Drops the bits left in the current byte (stored blocks start on a byte boundary).
  mutating func alignToByte() {
    let extra = bufferedBits % 8
    buffer >>= UInt64(extra)
    bufferedBits -= extra
  }

  /// The next `count` whole bytes; call after `alignToByte()`.
  mutating func bytes(_ count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(count)
    while result.count < count, bufferedBits >= 8 { result.append(UInt8(try bits(8))) }
    let rest = count - result.count
    guard rest <= bytes.endIndex - index else { throw corrupt("stored block runs past the end of the data") }
    result += bytes[index..<index + rest]
    index += rest
    return result
  }
}

/// A canonical Huffman code, decoded one bit at a time.
private struct Huffman {
  /// `counts[n]`: how many codes are `n` bits long.
  private var counts = [Int](repeating: 0, count: Huffman.maxBits + 1)
  /// The symbols, ordered by code length and, within a length, by symbol value (= by code value).
  private var symbols: [Int] = []

  static let maxBits = 15

  /// Builds the code from each symbol's code length (0 = symbol unused).
  init(lengths: [Int]) throws {
    for length in lengths { counts[length] += 1 }
    counts[0] = 0
    // Each length has room for twice the codes left over from the previous length.
    var available = 1
    for length in 1...Huffman.maxBits {
      available = available * 2 - counts[length]
      guard available >= 0 else { throw corrupt("over-subscribed Huffman code lengths") }
    }
    for length in 1...Huffman.maxBits {
      for (symbol, symbolLength) in lengths.enumerated() where symbolLength == length { symbols.append(symbol) }
    }
  }

  /// Reads one symbol. Codes of each length are consecutive integers starting at `first`.
  func decode(_ reader: inout BitReader) throws -> Int {
    var code = 0
    var first = 0
    var index = 0
    for length in 1...Huffman.maxBits {
      code |= try reader.bits(1)
      let count = counts[length]
      if code - first < count { return symbols[index + code - first] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw corrupt("invalid Huffman code")
  }
}

/// The decoder state: the bit reader and the output produced so far.
private struct Inflater {
  var reader: BitReader
  var output: [UInt8] = []
  let expectedSize: Int
  /// The size the output may reach before ``makeRoom()`` must be called; never more than `expectedSize`.
  private var limit = 0
  /// Who set `limit`, once it is final (nil while `bound` is still to be asked).
  private var limitSetter: String?
  private let bound: ([UInt8]) throws -> Inflate.Bound
  private let inputCount: Int

  init(input: ArraySlice<UInt8>, expectedSize: Int, bound: @escaping ([UInt8]) throws -> Inflate.Bound) {
    reader = BitReader(input)
    self.expectedSize = expectedSize
    self.bound = bound
    inputCount = input.count
  }

  mutating func run() throws {
    var isLast = false
    while !isLast {
      isLast = try reader.bits(1) == 1
      switch try reader.bits(2) {
      case 0: try storedBlock()
      case 1: try compressedBlock(literals: Inflater.fixedLiterals, distances: Inflater.fixedDistances)
      case 2:
        let (literals, distances) = try readDynamicCodes()
        try compressedBlock(literals: literals, distances: distances)
      default: throw corrupt("invalid block type 3")
      }
    }
  }

  /// Called when the output has reached `limit` and must grow: raises `limit` above the output's size
  /// (asking `bound` while it is undecided), or throws because the stream wants more than is declared.
  private mutating func makeRoom() throws {
    while output.count >= limit {
      guard limitSetter == nil else { throw tooLong() }
      switch try bound(output) {
      case .needsPrefix(let count):
        let raised = min(max(count, output.count + 1), expectedSize)
        guard raised > output.count else {
          limitSetter = "the zip directory says"
          limit = expectedSize
          throw tooLong()
        }
        limit = raised
      case .atMost(let count, let who):
        limit = min(count, expectedSize)
        limitSetter = count <= expectedSize ? who : "the zip directory says"
        // Reserve only what the input could plausibly inflate to (deflate's best ratio is about 1032:1),
        // so a lying size cannot trigger a huge allocation.
        output.reserveCapacity(min(limit, inputCount.multipliedReportingOverflow(by: 1032).partialValue))
      }
    }
  }

  /// Appends the stored bytes, in pieces no larger than the room there is.
  private mutating func emit(_ bytes: [UInt8]) throws {
    var start = 0
    while start < bytes.count {
      if output.count >= limit { try makeRoom() }
      let end = min(bytes.count, start + (limit - output.count))
      output += bytes[start..<end]
      start = end
    }
  }

  private func tooLong() -> NumpyFormatError {
    corrupt("inflates to more than the \(limit) bytes \(limitSetter ?? "the zip directory says")")
  }

  /// A stored block: LEN, its one's complement NLEN, then LEN raw bytes.
  private mutating func storedBlock() throws {
    reader.alignToByte()
    let length = try reader.bits(16)
    let complement = try reader.bits(16)
    guard length == complement ^ 0xFFFF else { throw corrupt("stored block length check failed") }
    try emit(try reader.bytes(length))
  }

  /// Literals, and (length, distance) back-references, until the end-of-block symbol 256.
  private mutating func compressedBlock(literals: Huffman, distances: Huffman) throws {
    while true {
      let symbol = try literals.decode(&reader)
      if symbol < 256 {
        if output.count >= limit { try makeRoom() }
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        try copyMatch(lengthSymbol: symbol, distances: distances)
      }
    }
  }

  private mutating func copyMatch(lengthSymbol: Int, distances: Huffman) throws {
    let lengthIndex = lengthSymbol - 257
    guard lengthIndex < Inflater.lengthBase.count else { throw corrupt("invalid length symbol \(lengthSymbol)") }
    let length = Inflater.lengthBase[lengthIndex] + (try reader.bits(Inflater.lengthExtraBits[lengthIndex]))
    let distanceSymbol = try distances.decode(&reader)
    guard distanceSymbol < Inflater.distanceBase.count else {
      throw corrupt("invalid distance symbol \(distanceSymbol)")
    }
    let distance =
      Inflater.distanceBase[distanceSymbol]
      + (try reader.bits(Inflater.distanceExtraBits[distanceSymbol]))
    guard distance <= output.count else { throw corrupt("distance \(distance) reaches before the start") }
    // Byte by byte: the source may overlap the bytes being written (a run).
    let start = output.count - distance
    for i in 0..<length {
      if output.count >= limit { try makeRoom() }
      output.append(output[start + i])
    }
  }

  /// The code-length code, then the literal/length and distance code lengths it encodes.
  private mutating func readDynamicCodes() throws -> (Huffman, Huffman) {
    let literalCount = try reader.bits(5) + 257
    let distanceCount = try reader.bits(5) + 1
    let codeLengthCount = try reader.bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else { throw corrupt("too many codes in a dynamic block") }

    var codeLengthLengths = [Int](repeating: 0, count: 19)
    for i in 0..<codeLengthCount { codeLengthLengths[Inflater.codeLengthOrder[i]] = try reader.bits(3) }
    let codeLengthCode = try Huffman(lengths: codeLengthLengths)

    var lengths: [Int] = []
    let total = literalCount + distanceCount
    while lengths.count < total {
      let symbol = try codeLengthCode.decode(&reader)
      var repeated = 0
      var count = 1
      switch symbol {
      case 0...15: repeated = symbol
      case 16:
        guard let previous = lengths.last else { throw corrupt("length repeat with no previous length") }
        repeated = previous
        count = 3 + (try reader.bits(2))
      case 17: count = 3 + (try reader.bits(3))
      default: count = 11 + (try reader.bits(7))
      }
      guard lengths.count + count <= total else { throw corrupt("code lengths overflow the table") }
      lengths += [Int](repeating: repeated, count: count)
    }
    guard lengths[256] != 0 else { throw corrupt("no end-of-block code") }
    return (
      try Huffman(lengths: Array(lengths[..<literalCount])), try Huffman(lengths: Array(lengths[literalCount...]))
    )
  }

  // MARK: Tables from RFC 1951, section 3.2.5 and 3.2.7

  static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
    258,
  ]
  static let lengthExtraBits = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
    6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtraBits = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ]
  /// The order in which a dynamic block lists the code-length code's lengths.
  static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  /// The fixed literal/length code: 0–143 use 8 bits, 144–255 9, 256–279 7, 280–287 8.
  static let fixedLiterals = try! Huffman(
    lengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
      + [Int](repeating: 8, count: 8))
  /// The fixed distance code: 30 symbols (plus two unused), all 5 bits.
  static let fixedDistances = try! Huffman(lengths: [Int](repeating: 5, count: 30))
}
