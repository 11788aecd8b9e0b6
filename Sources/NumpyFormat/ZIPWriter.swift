// Writing plain (non-ZIP64) ZIP archives with stored members, the way np.savez lays them out:
// each member's local header and data, then the central directory, then the end record.

/// Builds ZIP archives in memory.
enum ZIPWriter {
  /// numpy's members carry the date 1980-01-01 00:00 (the earliest DOS date), so the bytes do not depend
  /// on when the file was written.
  private static let dosTime: UInt16 = 0
  private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
  /// Version 2.0: the minimum for stored members.
  private static let version: UInt16 = 20
  /// "Made by" Unix (3) with version 2.0, so the external attributes below are Unix permissions.
  private static let versionMadeBy: UInt16 = (3 << 8) | 20
  /// Unix permissions rw------- in the high 16 bits, as Python's zipfile writes.
  private static let externalAttributes: UInt32 = 0o600 << 16

  /// An archive holding `members` (name, contents) stored uncompressed, in the given order.
  static func archive(_ members: [(name: String, data: [UInt8])]) throws -> [UInt8] {
    guard members.count < Int(UInt16.max) else {
      throw NumpyFormatError.archiveTooLarge("\(members.count) members (at most 65534)")
    }
    var bytes: [UInt8] = []
    var directory: [UInt8] = []
    for member in members {
      let name = Array(member.name.utf8)
      guard name.count <= Int(UInt16.max) else {
        throw NumpyFormatError.archiveTooLarge("member name of \(name.count) bytes")
      }
      let header = MemberHeader(
        name: name, flags: member.name.utf8.contains { $0 >= 0x80 } ? 0x800 : 0,
        crc32: CRC32.checksum(member.data), size: try fits32(member.data.count, member.name),
        offset: try fits32(bytes.count, member.name))
      bytes += header.local()
      bytes += member.data
      directory += header.central()
    }
    let directoryOffset = try fits32(bytes.count, "central directory")
    bytes += directory
    bytes += endRecord(
      entryCount: UInt16(members.count), directorySize: try fits32(directory.count, "central directory"),
      directoryOffset: directoryOffset)
    return bytes
  }

  /// The fields shared by a member's local header and its central directory entry.
  private struct MemberHeader {
    var name: [UInt8]
    /// Bit 11 when the name is UTF-8 beyond ASCII.
    var flags: UInt16
    var crc32: UInt32
    var size: UInt32
    var offset: UInt32

    func local() -> [UInt8] {
      var bytes: [UInt8] = []
      bytes.appendLE(ZIPReader.localHeaderSignature)
      bytes.appendLE(version)
      appendCommonFields(to: &bytes)
      bytes.appendLE(UInt16(0))  // extra field length
      bytes += name
      return bytes
    }

    func central() -> [UInt8] {
      var bytes: [UInt8] = []
      bytes.appendLE(ZIPReader.centralHeaderSignature)
      bytes.appendLE(versionMadeBy)
      bytes.appendLE(version)
      appendCommonFields(to: &bytes)
      bytes.appendLE(UInt16(0))  // extra field length
      bytes.appendLE(UInt16(0))  // comment length
      bytes.appendLE(UInt16(0))  // disk number
      bytes.appendLE(UInt16(0))  // internal attributes
      bytes.appendLE(externalAttributes)
      bytes.appendLE(offset)
      bytes += name
      return bytes
    }

    /// Flags, method, time, date, CRC-32, both sizes and the name length: identical in both headers.
    private func appendCommonFields(to bytes: inout [UInt8]) {
      bytes.appendLE(flags)
      bytes.appendLE(UInt16(0))  // method: stored
      bytes.appendLE(dosTime)
      bytes.appendLE(dosDate)
      bytes.appendLE(crc32)
      bytes.appendLE(size)  // compressed size
      bytes.appendLE(size)  // uncompressed size
      bytes.appendLE(UInt16(name.count))
    }
  }

  private static func endRecord(entryCount: UInt16, directorySize: UInt32, directoryOffset: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendLE(ZIPReader.endSignature)
    bytes.appendLE(UInt16(0))  // this disk
    bytes.appendLE(UInt16(0))  // disk with the central directory
    bytes.appendLE(entryCount)  // entries on this disk
    bytes.appendLE(entryCount)  // entries in total
    bytes.appendLE(directorySize)
    bytes.appendLE(directoryOffset)
    bytes.appendLE(UInt16(0))  // comment length
    return bytes
  }

  /// Sizes and offsets must stay below 0xFFFFFFFF, which would mean "see ZIP64".
  private static func fits32(_ value: Int, _ what: String) throws -> UInt32 {
    guard value < Int(ZIPReader.zip64Marker) else {
      throw NumpyFormatError.archiveTooLarge("\(what) needs offsets or sizes of 4 GiB or more")
    }
    return UInt32(value)
  }
}
