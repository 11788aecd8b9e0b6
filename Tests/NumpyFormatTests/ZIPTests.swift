// ZIP container details: ZIP64 records and extra fields, archive comments, data descriptors,
// unsupported methods and flags, truncation and CRC diagnostics.

import Foundation
import Testing

@testable import NumpyFormat

/// An archive written the ZIP64 way throughout: local headers with 0xFFFFFFFF sizes and a ZIP64 extra
/// (as numpy writes them), central entries with 0xFFFFFFFF sizes and offset and a ZIP64 extra, and a
/// ZIP64 end record + locator before an end record full of 0xFFFF / 0xFFFFFFFF.
func zip64Archive(_ members: [(name: String, data: [UInt8])]) -> [UInt8] {
  var bytes: [UInt8] = []
  var directory: [UInt8] = []
  for member in members {
    let name = Array(member.name.utf8)
    let crc = CRC32.checksum(member.data)
    let offset = bytes.count
    bytes.appendLE(UInt32(0x0403_4B50))
    bytes.appendLE(UInt16(45))
    bytes.appendLE(UInt16(0))
    bytes.appendLE(UInt16(0))  // version, flags, method
    bytes.appendLE(UInt16(0))
    bytes.appendLE(UInt16(0x21))  // time, date
    bytes.appendLE(crc)
    bytes.appendLE(UInt32.max)
    bytes.appendLE(UInt32.max)
    bytes.appendLE(UInt16(name.count))
    bytes.appendLE(UInt16(20))
    bytes += name
    bytes.appendLE(UInt16(1))
    bytes.appendLE(UInt16(16))
    bytes.appendLE(UInt64(member.data.count))
    bytes.appendLE(UInt64(member.data.count))
    bytes += member.data

    directory.appendLE(UInt32(0x0201_4B50))
    directory.appendLE(UInt16(0x032D))
    directory.appendLE(UInt16(45))
    directory.appendLE(UInt16(0))
    directory.appendLE(UInt16(0))  // flags, method
    directory.appendLE(UInt16(0))
    directory.appendLE(UInt16(0x21))
    directory.appendLE(crc)
    directory.appendLE(UInt32.max)
    directory.appendLE(UInt32.max)
    directory.appendLE(UInt16(name.count))
    directory.appendLE(UInt16(28))
    directory.appendLE(UInt16(0))
    directory.appendLE(UInt16(0))
    directory.appendLE(UInt16(0))
    directory.appendLE(UInt32(0o600 << 16))
    directory.appendLE(UInt32.max)
    directory += name
    directory.appendLE(UInt16(1))
    directory.appendLE(UInt16(24))
    directory.appendLE(UInt64(member.data.count))
    directory.appendLE(UInt64(member.data.count))
    directory.appendLE(UInt64(offset))
  }
  let directoryOffset = bytes.count
  bytes += directory
  let zip64EndOffset = bytes.count
  bytes.appendLE(UInt32(0x0606_4B50))
  bytes.appendLE(UInt64(44))
  bytes.appendLE(UInt16(45))
  bytes.appendLE(UInt16(45))
  bytes.appendLE(UInt32(0))
  bytes.appendLE(UInt32(0))
  bytes.appendLE(UInt64(members.count))
  bytes.appendLE(UInt64(members.count))
  bytes.appendLE(UInt64(directory.count))
  bytes.appendLE(UInt64(directoryOffset))
  bytes.appendLE(UInt32(0x0706_4B50))
  bytes.appendLE(UInt32(0))
  bytes.appendLE(UInt64(zip64EndOffset))
  bytes.appendLE(UInt32(1))
  bytes.appendLE(UInt32(0x0605_4B50))
  bytes.appendLE(UInt16(0))
  bytes.appendLE(UInt16(0))
  bytes.appendLE(UInt16.max)
  bytes.appendLE(UInt16.max)
  bytes.appendLE(UInt32.max)
  bytes.appendLE(UInt32.max)
  bytes.appendLE(UInt16(0))
  return bytes
}

private func npyMembers(_ entries: [(String, NumpyArray)]) throws -> [(name: String, data: [UInt8])] {
  try entries.map { (name: $0.0 + ".npy", data: try NPY.encode($0.1)) }
}

@Test func readsZIP64Records() throws {
  let entries = try sampleEntries()
  let archive = zip64Archive(try npyMembers(entries))
  expectSameEntries(try NPZ.decode(archive), entries)
  // python's zipfile agrees that the hand-made archive is valid.
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("zip64.npz")
    try Data(archive).write(to: path)
    let printed = try runPython(
      """
      import zipfile
      z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.namelist()), np.load(sys.argv[1])['ratio'])
      """, [path.path])
    #expect(printed == "None \(entries.count) 0.75\n")
  }
}

/// An archive comment, data descriptors (python's zipfile writing to an unseekable stream sets flag 3),
/// and deflated members with both.
@Test func readsCommentsAndDataDescriptors() throws {
  let printed = try runPython(
    """
    import io, zipfile
    class Unseekable:
        def __init__(self): self.buffer = io.BytesIO()
        def write(self, b): return self.buffer.write(b)
        def flush(self): pass
    out = Unseekable()
    with zipfile.ZipFile(out, 'w') as z:
        z.comment = b'written by a test' + bytes(300)
        for name, method, a in [('stored', zipfile.ZIP_STORED, np.arange(10.0)),
                                ('deflated', zipfile.ZIP_DEFLATED, np.arange(1000, dtype=np.int32))]:
            f = io.BytesIO(); np.save(f, a)
            z.writestr(zipfile.ZipInfo(name + '.npy'), f.getvalue(), compress_type=method)
    data = out.buffer.getvalue()
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 8
    print(data.hex())
    """)
  let archive = try #require(decodeHex(printed.trimmingCharacters(in: .whitespacesAndNewlines)))
  let entries = try NPZ.decode(archive)
  #expect(entries.map(\.0) == ["stored", "deflated"])
  #expect(try entries[0].1.asDoubles() == (0..<10).map(Double.init))
  #expect(entries[1].1.values(as: Int32.self) == Array(0..<1000))
}

private func sampleArchive() throws -> [UInt8] {
  try NPZ.encode([
    ("a", NumpyArray(shape: [4], float32: [1, 2, 3, 4])),
    ("b", NumpyArray(shape: [50], float64: (0..<50).map(Double.init))),
  ])
}

@Test func unsupportedMethodsAndFlagsAreReported() throws {
  let archive = try sampleArchive()
  let entries = try ZIPReader.entries(in: archive)
  var bzip2 = archive
  bzip2[8] = 12  // local header method
  bzip2[try centralEntryOffset(archive, index: 0) + 10] = 12  // central directory method
  #expect(throws: NumpyFormatError.unsupportedCompression(member: "a.npy", method: 12)) { try NPZ.decode(bzip2) }

  var encrypted = archive
  encrypted[try centralEntryOffset(archive, index: 1) + 8] |= 1
  #expect(throws: NumpyFormatError.unsupportedZIPFeature(member: "b.npy", feature: "encryption")) {
    try NPZ.decode(encrypted)
  }

  var renamed = archive
  renamed[entries[1].localHeaderOffset + 30] = UInt8(ascii: "c")
  #expect(throws: NumpyFormatError.malformedZIP("local header names 'c.npy', central directory 'b.npy'")) {
    try NPZ.decode(renamed)
  }
}

/// Where the `index`-th central directory entry starts.
private func centralEntryOffset(_ archive: [UInt8], index: Int) throws -> Int {
  var offset = try ZIPReader.findCentralDirectory(in: archive).offset
  for _ in 0..<index {
    let nameLength = Int(archive[offset + 28]) | Int(archive[offset + 29]) << 8
    offset += 46 + nameLength
  }
  return offset
}

@Test func truncatedArchivesNameTheMember() throws {
  let archive = try sampleArchive()
  let b = try #require(try ZIPReader.entries(in: archive).last)
  let dataStart = b.localHeaderOffset + 30 + 5
  let cut = Array(archive.prefix(dataStart + 100))
  #expect(throws: NumpyFormatError.truncated(what: "member 'b.npy'", expected: b.compressedSize, available: 100)) {
    try NPZ.decode(cut)
  }
  let withoutEnd = Array(archive.dropLast(10))
  let error = expectFormatError { _ = try NPZ.decode(withoutEnd) }
  #expect(error?.description.contains("end-of-central-directory record is missing") == true)
}

@Test func corruptedDataFailsTheCRC() throws {
  var archive = try sampleArchive()
  let b = try #require(try ZIPReader.entries(in: archive).last)
  archive[b.localHeaderOffset + 30 + 5 + 200] ^= 0x04
  let error = expectFormatError { _ = try NPZ.decode(archive) }
  guard case .crcMismatch(let member, let expected, let actual)? = error else {
    Issue.record("expected crcMismatch, got \(String(describing: error))")
    return
  }
  #expect(member == "b.npy")
  #expect(expected == b.crc32)
  #expect(actual != b.crc32)
}

@Test func nonArchivesAreRejected() {
  #expect(throws: NumpyFormatError.notZIP) { try NPZ.decode([]) }
  #expect(throws: NumpyFormatError.notZIP) { try NPZ.decode(Array("just some text, no zip here at all".utf8)) }
  #expect(throws: NumpyFormatError.notZIP) { try NPZ.decode(try NPY.encode(NumpyArray(shape: [1], float32: [1]))) }
  var random = TestRandom(seed: 1)
  #expect(throws: NumpyFormatError.notZIP) { try NPZ.decode(random.bytes(100_000)) }
}

@Test func writerLayoutMatchesTheZIPSpecification() throws {
  let archive = try sampleArchive()
  // python's zipfile reads it and finds nothing wrong; names, sizes and CRCs agree.
  let printed = try runPython(
    """
    import zipfile, io
    z = zipfile.ZipFile(io.BytesIO(bytes.fromhex(sys.argv[1])))
    print(z.testzip(), [(i.filename, i.compress_type, i.file_size, i.date_time[0]) for i in z.infolist()])
    """, [hex(archive)])
  #expect(printed == "None [('a.npy', 0, 144, 1980), ('b.npy', 0, 528, 1980)]\n")
}
