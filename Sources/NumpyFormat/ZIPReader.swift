// Reading ZIP archives (.npz files): the end-of-central-directory record, the central directory, each
// member's local header, ZIP64 extra fields, stored and deflated members, and CRC-32 checks.
//
// Layout of an archive:
//   [local header 1][data 1] ... [local header n][data n]
//   [central directory: one entry per member]  [ZIP64 end record + locator, if any]  [end record]
// The central directory is authoritative for names, sizes, CRCs and where each local header starts.

/// One member as listed in the central directory.
struct ZIPEntry: Equatable {
  var name: String
  /// General-purpose flags: bit 0 = encrypted, bit 3 = sizes in a trailing data descriptor, bit 11 = UTF-8 name.
  var flags: UInt16
  /// 0 = stored, 8 = deflated.
  var method: UInt16
  var crc32: UInt32
  var compressedSize: Int
  var uncompressedSize: Int
  var localHeaderOffset: Int
}

/// A member whose local header has been checked against its central directory entry.
struct ZIPMember {
  var entry: ZIPEntry
  /// Where the member's (compressed) data starts.
  var dataOffset: Int
  /// Just past the member's data (checked to lie inside the archive by ``ZIPReader/members(in:)``).
  var end: Int { dataOffset + entry.compressedSize }
}

/// Reads ZIP archives held in memory.
enum ZIPReader {
  // Record signatures ("PK" + two bytes), read as little-endian UInt32.
  static let localHeaderSignature: UInt32 = 0x0403_4B50
  static let centralHeaderSignature: UInt32 = 0x0201_4B50
  static let endSignature: UInt32 = 0x0605_4B50
  static let zip64EndSignature: UInt32 = 0x0606_4B50
  static let zip64LocatorSignature: UInt32 = 0x0706_4B50
  /// A 32-bit size or offset of 0xFFFFFFFF means "see the ZIP64 extra field".
  static let zip64Marker: UInt32 = 0xFFFF_FFFF

  /// The members of the archive, in central-directory order.
  static func entries(in bytes: [UInt8]) throws -> [ZIPEntry] {
    try readDirectory(in: bytes).entries
  }

  /// The central directory's location and its entries.
  private static func readDirectory(in bytes: [UInt8]) throws -> (directory: CentralDirectory, entries: [ZIPEntry]) {
    let directory = try findCentralDirectory(in: bytes)
    var reader = ByteReader(bytes, offset: directory.offset, what: "zip central directory")
    try reader.require(directory.size)
    var entries: [ZIPEntry] = []
    for _ in 0..<directory.entryCount {
      entries.append(try readCentralEntry(&reader))
    }
    let used = reader.offset - directory.offset
    guard used == directory.size else {
      throw NumpyFormatError.malformedZIP(
        "the central directory is \(directory.size) bytes, but its \(directory.entryCount) entries take \(used)")
    }
    return (directory, entries)
  }

  /// The members of the archive in central-directory order, checked as a whole before any is
  /// decompressed: no two have the same name (``NumpyFormatError/duplicateMember(_:)``), each local header
  /// agrees with the central directory, each member's data lies inside the archive, and no two members'
  /// bytes (local header and data) overlap each other or the central directory
  /// (``NumpyFormatError/overlappingMembers(_:_:)``). So no byte of the archive is decompressed twice: a
  /// directory listing one small bomb 200 times is refused, not inflated 200 times.
  static func members(in bytes: [UInt8]) throws -> [ZIPMember] {
    let (directory, entries) = try readDirectory(in: bytes)
    var names = Set<String>()
    for entry in entries where !names.insert(entry.name).inserted {
      throw NumpyFormatError.duplicateMember(entry.name)
    }
    let members = try entries.map { entry in
      guard entry.flags & 1 == 0 else {
        throw NumpyFormatError.unsupportedZIPFeature(member: entry.name, feature: "encryption")
      }
      let dataOffset = try checkLocalHeader(of: entry, in: bytes)
      let available = max(0, bytes.count - dataOffset)
      guard entry.compressedSize <= available else {
        throw NumpyFormatError.truncated(
          what: "data of member '\(entry.name)'", expected: entry.compressedSize, available: available)
      }
      return ZIPMember(entry: entry, dataOffset: dataOffset)
    }
    let byOffset = members.sorted { $0.entry.localHeaderOffset < $1.entry.localHeaderOffset }
    for (member, next) in zip(byOffset, byOffset.dropFirst()) where member.end > next.entry.localHeaderOffset {
      throw NumpyFormatError.overlappingMembers(member.entry.name, next.entry.name)
    }
    if let last = byOffset.last, last.end > directory.offset {
      throw NumpyFormatError.malformedZIP("member '\(last.entry.name)' runs into the central directory")
    }
    return members
  }

  /// The uncompressed contents of `entry`, after checking its local header and CRC-32.
  static func contents(of entry: ZIPEntry, in bytes: [UInt8]) throws -> [UInt8] {
    guard entry.flags & 1 == 0 else {
      throw NumpyFormatError.unsupportedZIPFeature(member: entry.name, feature: "encryption")
    }
    let member = ZIPMember(entry: entry, dataOffset: try checkLocalHeader(of: entry, in: bytes))
    return try contents(of: member, in: bytes) { _ in .atMost(entry.uncompressedSize, "the zip directory says") }
  }

  /// The uncompressed contents of `member` (from ``members(in:)``), after checking its CRC-32. A deflated
  /// member is inflated at most as far as `bound` allows (see ``Inflate/decompress(_:expectedSize:bound:)``),
  /// and never beyond the uncompressed size the directory records.
  static func contents(
    of member: ZIPMember, in bytes: [UInt8], bound: @escaping ([UInt8]) throws -> Inflate.Bound
  ) throws -> [UInt8] {
    let entry = member.entry
    var reader = ByteReader(bytes, offset: member.dataOffset, what: "data of member '\(entry.name)'")
    let stored = try reader.readBytes(entry.compressedSize)
    let data: [UInt8]
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.uncompressedSize else {
        throw NumpyFormatError.malformedZIP(
          "stored member '\(entry.name)' has compressed size "
            + "\(entry.compressedSize) but uncompressed size \(entry.uncompressedSize)")
      }
      data = Array(stored)
    case 8:
      do {
        data = try Inflate.decompress(stored, expectedSize: entry.uncompressedSize, bound: bound)
      } catch let error as NumpyFormatError {
        throw NumpyFormatError.inMember(entry.name, error)
      }
    default:
      throw NumpyFormatError.unsupportedCompression(member: entry.name, method: Int(entry.method))
    }
    let crc = CRC32.checksum(data)
    guard crc == entry.crc32 else {
      throw NumpyFormatError.crcMismatch(member: entry.name, expected: entry.crc32, actual: crc)
    }
    return data
  }

  // MARK: - End of central directory

  /// Where the central directory is and how many entries it has.
  struct CentralDirectory {
    var offset: Int
    var size: Int
    var entryCount: Int
  }

  /// Finds the end-of-central-directory record (searching back over a possible archive comment), and
  /// the ZIP64 end record when a ZIP64 locator precedes it.
  static func findCentralDirectory(in bytes: [UInt8]) throws -> CentralDirectory {
    guard let endOffset = findEndRecord(in: bytes) else { throw diagnoseMissingEndRecord(bytes) }
    var reader = ByteReader(bytes, offset: endOffset + 4, what: "zip end-of-central-directory record")
    let diskNumber = try reader.readLE(UInt16.self)
    let directoryDisk = try reader.readLE(UInt16.self)
    _ = try reader.readLE(UInt16.self)  // entries on this disk
    let entryCount = try reader.readLE(UInt16.self)
    let size = try reader.readLE(UInt32.self)
    let offset = try reader.readLE(UInt32.self)

    let locatorOffset = endOffset - 20
    if locatorOffset >= 0, try readUInt32(bytes, at: locatorOffset) == zip64LocatorSignature {
      return try readZIP64End(bytes, locatorOffset: locatorOffset)
    }
    guard diskNumber == 0, directoryDisk == 0 else {
      throw NumpyFormatError.malformedZIP("split (multi-disk) archives are not supported")
    }
    return CentralDirectory(offset: Int(offset), size: Int(size), entryCount: Int(entryCount))
  }

  /// The offset of the end record: the last "PK\u{5}\u{6}" within the final 64 KiB + 22 bytes.
  private static func findEndRecord(in bytes: [UInt8]) -> Int? {
    let recordSize = 22
    guard bytes.count >= recordSize else { return nil }
    let lowest = max(0, bytes.count - recordSize - Int(UInt16.max))
    var offset = bytes.count - recordSize
    while offset >= lowest {
      if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 5, bytes[offset + 3] == 6 {
        return offset
      }
      offset -= 1
    }
    return nil
  }

  /// The ZIP64 end record, found through the ZIP64 locator just before the plain end record.
  private static func readZIP64End(_ bytes: [UInt8], locatorOffset: Int) throws -> CentralDirectory {
    var locator = ByteReader(bytes, offset: locatorOffset + 8, what: "zip64 end-of-central-directory locator")
    let recordOffset = try locator.readLE(UInt64.self)
    var reader = ByteReader(bytes, offset: 0, what: "zip64 end-of-central-directory record")
    reader.offset = try reader.checkedLength(recordOffset)
    guard try reader.readLE(UInt32.self) == zip64EndSignature else {
      throw NumpyFormatError.malformedZIP("the zip64 locator does not point at a zip64 end record")
    }
    try reader.skip(8 + 2 + 2)  // record size, version made by, version needed
    let diskNumber = try reader.readLE(UInt32.self)
    let directoryDisk = try reader.readLE(UInt32.self)
    _ = try reader.readLE(UInt64.self)  // entries on this disk
    let entryCount = try reader.readLE(UInt64.self)
    let size = try reader.readLE(UInt64.self)
    let offset = try reader.readLE(UInt64.self)
    guard diskNumber == 0, directoryDisk == 0 else {
      throw NumpyFormatError.malformedZIP("split (multi-disk) archives are not supported")
    }
    // Each central entry takes at least 46 bytes, which bounds a plausible entry count.
    guard entryCount <= UInt64(bytes.count / 46) else {
      throw NumpyFormatError.malformedZIP(
        "the zip64 end record claims \(entryCount) members, more than \(bytes.count) bytes can hold")
    }
    let whole = ByteReader(bytes, what: "zip central directory")
    return CentralDirectory(
      offset: try whole.checkedLength(offset), size: try whole.checkedLength(size), entryCount: Int(entryCount))
  }

  /// Without an end record the file is either not a zip archive, or one cut short. For the latter,
  /// walks the local headers from the start to report which member is incomplete.
  private static func diagnoseMissingEndRecord(_ bytes: [UInt8]) -> NumpyFormatError {
    guard (try? readUInt32(bytes, at: 0)) == localHeaderSignature else { return .notZIP }
    var offset = 0
    while (try? readUInt32(bytes, at: offset)) == localHeaderSignature {
      do {
        let local = try readLocalHeader(bytes, at: offset)
        let available = bytes.count - local.dataOffset
        guard local.compressedSize <= available else {
          return .truncated(what: "member '\(local.name)'", expected: local.compressedSize, available: available)
        }
        offset = local.dataOffset + local.compressedSize
      } catch let error as NumpyFormatError {
        return error
      } catch {
        return .notZIP
      }
    }
    return .malformedZIP(
      "the archive is truncated: its end-of-central-directory record is missing (file is \(bytes.count) bytes)")
  }

  // MARK: - Central directory entries

  private static func readCentralEntry(_ reader: inout ByteReader) throws -> ZIPEntry {
    let start = reader.offset
    guard try reader.readLE(UInt32.self) == centralHeaderSignature else {
      throw NumpyFormatError.malformedZIP("bad central directory entry signature at offset \(start)")
    }
    try reader.skip(4)  // version made by, version needed
    let flags = try reader.readLE(UInt16.self)
    let method = try reader.readLE(UInt16.self)
    try reader.skip(4)  // modification time and date
    let crc = try reader.readLE(UInt32.self)
    var compressedSize = UInt64(try reader.readLE(UInt32.self))
    var uncompressedSize = UInt64(try reader.readLE(UInt32.self))
    let nameLength = Int(try reader.readLE(UInt16.self))
    let extraLength = Int(try reader.readLE(UInt16.self))
    let commentLength = Int(try reader.readLE(UInt16.self))
    try reader.skip(2 + 2 + 4)  // disk number, internal and external attributes
    var localOffset = UInt64(try reader.readLE(UInt32.self))
    let name = decodeName(try reader.readBytes(nameLength), flags: flags)
    let extra = try reader.readBytes(extraLength)
    try reader.skip(commentLength)

    // In the central directory the ZIP64 field holds only the values whose 32-bit field is 0xFFFFFFFF,
    // in this order.
    if let zip64 = try zip64Field(in: extra, member: name) {
      var field = ByteReader(Array(zip64), what: "zip64 extra field of member '\(name)'")
      if uncompressedSize == UInt64(zip64Marker) { uncompressedSize = try field.readLE(UInt64.self) }
      if compressedSize == UInt64(zip64Marker) { compressedSize = try field.readLE(UInt64.self) }
      if localOffset == UInt64(zip64Marker) { localOffset = try field.readLE(UInt64.self) }
    }
    return ZIPEntry(
      name: name, flags: flags, method: method, crc32: crc,
      compressedSize: try integer(compressedSize, "compressed size", member: name),
      uncompressedSize: try integer(uncompressedSize, "uncompressed size", member: name),
      localHeaderOffset: try integer(localOffset, "local header offset", member: name))
  }

  /// A size or offset read from the archive (64 bits wide in ZIP64 fields) as an `Int`, or a
  /// `malformedZIP` error naming the field when it does not fit (2^63 or more).
  static func integer(_ value: UInt64, _ field: String, member: String) throws -> Int {
    guard let n = Int(exactly: value) else {
      throw NumpyFormatError.malformedZIP("member '\(member)': the \(field) \(value) does not fit in 63 bits")
    }
    return n
  }

  /// The data of the ZIP64 extended-information extra field (tag 0x0001), if present.
  private static func zip64Field(in extra: ArraySlice<UInt8>, member: String) throws -> ArraySlice<UInt8>? {
    var reader = ByteReader(Array(extra), what: "extra fields of member '\(member)'")
    while reader.remaining >= 4 {
      let tag = try reader.readLE(UInt16.self)
      let size = Int(try reader.readLE(UInt16.self))
      let data = try reader.readBytes(size)
      if tag == 0x0001 { return data }
    }
    return nil
  }

  /// Names are UTF-8 when flag bit 11 is set; otherwise they are meant to be code page 437, but numpy's
  /// keys are ASCII, where the two agree, so they are decoded as UTF-8 too.
  private static func decodeName(_ bytes: ArraySlice<UInt8>, flags: UInt16) -> String {
    String(decoding: bytes, as: UTF8.self)
  }

  // MARK: - Local headers

  /// What a local header says about its member.
  struct LocalHeader {
    var name: String
    var flags: UInt16
    var compressedSize: Int
    var uncompressedSize: Int
    var dataOffset: Int
  }

  /// Reads the local header at `offset`. Sizes of 0xFFFFFFFF are replaced by the ZIP64 extra field,
  /// which in a local header holds both sizes (numpy writes it so). Older writers put real sizes in the
  /// header and still add a ZIP64 field; then the header's values are used.
  static func readLocalHeader(_ bytes: [UInt8], at offset: Int) throws -> LocalHeader {
    var reader = ByteReader(bytes, offset: offset, what: "zip local header at offset \(offset)")
    guard try reader.readLE(UInt32.self) == localHeaderSignature else {
      throw NumpyFormatError.malformedZIP("bad local header signature at offset \(offset)")
    }
    try reader.skip(2)  // version needed
    let flags = try reader.readLE(UInt16.self)
    try reader.skip(2 + 4 + 4)  // method, time and date, CRC-32
    var compressedSize = UInt64(try reader.readLE(UInt32.self))
    var uncompressedSize = UInt64(try reader.readLE(UInt32.self))
    let nameLength = Int(try reader.readLE(UInt16.self))
    let extraLength = Int(try reader.readLE(UInt16.self))
    let name = decodeName(try reader.readBytes(nameLength), flags: flags)
    let extra = try reader.readBytes(extraLength)
    if compressedSize == UInt64(zip64Marker) || uncompressedSize == UInt64(zip64Marker) {
      guard let zip64 = try zip64Field(in: extra, member: name) else {
        throw NumpyFormatError.malformedZIP("member '\(name)' has 0xFFFFFFFF sizes but no zip64 extra field")
      }
      var field = ByteReader(Array(zip64), what: "zip64 extra field of member '\(name)'")
      uncompressedSize = try field.readLE(UInt64.self)
      compressedSize = try field.readLE(UInt64.self)
    }
    return LocalHeader(
      name: name, flags: flags, compressedSize: try integer(compressedSize, "compressed size", member: name),
      uncompressedSize: try integer(uncompressedSize, "uncompressed size", member: name),
      dataOffset: reader.offset)
  }

  /// Checks that the local header agrees with the central directory and returns where the data starts.
  private static func checkLocalHeader(of entry: ZIPEntry, in bytes: [UInt8]) throws -> Int {
    let local: LocalHeader
    do {
      local = try readLocalHeader(bytes, at: entry.localHeaderOffset)
    } catch let error as NumpyFormatError {
      throw NumpyFormatError.inMember(entry.name, error)
    }
    guard local.name == entry.name else {
      throw NumpyFormatError.malformedZIP("local header names '\(local.name)', central directory '\(entry.name)'")
    }
    // With a data descriptor (flag bit 3) the local sizes may be zero; the central directory decides.
    let hasDescriptor = entry.flags & 0x8 != 0
    guard
      hasDescriptor
        || (local.compressedSize == entry.compressedSize && local.uncompressedSize == entry.uncompressedSize)
    else {
      throw NumpyFormatError.malformedZIP(
        "member '\(entry.name)': local header sizes "
          + "\(local.compressedSize)/\(local.uncompressedSize) differ from the central directory's "
          + "\(entry.compressedSize)/\(entry.uncompressedSize)")
    }
    return local.dataOffset
  }

  private static func readUInt32(_ bytes: [UInt8], at offset: Int) throws -> UInt32 {
    var reader = ByteReader(bytes, offset: offset, what: "zip record")
    return try reader.readLE(UInt32.self)
  }
}
