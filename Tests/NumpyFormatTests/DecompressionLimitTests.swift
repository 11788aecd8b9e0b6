// Archives built to exhaust memory: a deflate bomb (2 MB that inflates to 2 GiB), a directory listing one
// 200 MiB member 200 times, members that overlap, and archives whose members add up to more than a limit.
// Each must end in a typed error, quickly, without the memory the bomb asks for. Also duplicate names.

import Foundation
import Testing

@testable import NumpyFormat

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Building archives by hand

/// A member as it is to be written: its name, method, the bytes stored (compressed for method 8), and
/// what the headers declare.
struct RawMember {
  var name: String
  var method: UInt16 = 0
  var stored: [UInt8]
  var crc32: UInt32
  var uncompressedSize: UInt32

  /// A stored member holding `data`.
  init(name: String, storing data: [UInt8]) {
    self.name = name
    stored = data
    crc32 = CRC32.checksum(data)
    uncompressedSize = UInt32(data.count)
  }

  /// A deflated member with the given stream and declared size (the CRC is only right when given).
  init(name: String, deflated stream: [UInt8], uncompressedSize: UInt32, crc32: UInt32 = 0) {
    self.name = name
    method = 8
    stored = stream
    self.crc32 = crc32
    self.uncompressedSize = uncompressedSize
  }

  private func common(_ bytes: inout [UInt8]) {
    bytes.appendLE(UInt16(0))  // flags
    bytes.appendLE(method)
    bytes.appendLE(UInt32(0))  // time, date
    bytes.appendLE(crc32)
    bytes.appendLE(UInt32(stored.count))
    bytes.appendLE(uncompressedSize)
    bytes.appendLE(UInt16(name.utf8.count))
    bytes.appendLE(UInt16(0))  // extra length
  }

  /// The local header followed by the stored bytes.
  var local: [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendLE(UInt32(0x0403_4B50))
    bytes.appendLE(UInt16(20))
    common(&bytes)
    bytes.appendString(name)
    return bytes + stored
  }

  /// The central directory entry, for a local header at `offset`.
  func central(offset: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.appendLE(UInt32(0x0201_4B50))
    bytes.appendLE(UInt16(20))
    bytes.appendLE(UInt16(20))
    common(&bytes)
    bytes += [UInt8](repeating: 0, count: 2 + 2 + 2 + 4)  // comment length, disk, attributes
    bytes.appendLE(UInt32(offset))
    bytes.appendString(name)
    return bytes
  }
}

/// `body` (the local headers and data), then a central directory of `entries` (member, local header
/// offset), then the end record.
func rawZIP(body: [UInt8], entries: [(RawMember, Int)]) -> [UInt8] {
  let directory = entries.flatMap { $0.0.central(offset: $0.1) }
  var bytes = body + directory
  bytes.appendLE(UInt32(0x0605_4B50))
  bytes.appendLE(UInt32(0))  // disks
  bytes.appendLE(UInt16(entries.count))
  bytes.appendLE(UInt16(entries.count))
  bytes.appendLE(UInt32(directory.count))
  bytes.appendLE(UInt32(body.count))
  bytes.appendLE(UInt16(0))
  return bytes
}

/// `members` one after another, each listed once.
func rawZIP(_ members: [RawMember]) -> [UInt8] {
  var body: [UInt8] = []
  var entries: [(RawMember, Int)] = []
  for member in members {
    entries.append((member, body.count))
    body += member.local
  }
  return rawZIP(body: body, entries: entries)
}

/// One MiB of zeros deflated by zlib (about 1 KiB) and ended with a full flush, so that it is byte-aligned,
/// refers to nothing before it, and can be repeated: n copies inflate to n MiB of zeros.
private let zeroMiB: [UInt8]? = {
  let printed = try? runPython(
    """
    import zlib
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    print((c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)).hex())
    """)
  return printed.flatMap { decodeHex($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}()

/// A raw deflate stream of `prefix` (in a stored block), then `mebibytes` MiB of zeros, then an empty final block.
func zeroStream(after prefix: [UInt8], mebibytes: Int) throws -> [UInt8] {
  let block = try #require(zeroMiB, "python3's zlib is needed to build the bomb")
  var stream: [UInt8] = [0x00]
  stream.appendLE(UInt16(prefix.count))
  stream.appendLE(~UInt16(prefix.count))
  stream += prefix
  for _ in 0..<mebibytes { stream += block }
  return stream + [0x01, 0x00, 0x00, 0xFF, 0xFF]
}

/// The preamble and header of a float64 `.npy` file of `count` elements.
func float64Preamble(count: Int) -> [UInt8] {
  NPY.wrap(headerText: NPYHeader(descr: "<f8", fortranOrder: false, shape: [count]).text)
}

/// The process's peak resident set size so far, in bytes.
func peakResidentBytes() -> Int {
  var usage = rusage()
  #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
  #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  #endif
}

/// Runs `body`, which must throw a NumpyFormatError, within `seconds` and without raising the process's
/// peak memory by 256 MiB or more; returns the error.
func expectQuickRefusal(
  seconds: Double = 2, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> NumpyFormatError? {
  let peak = peakResidentBytes()
  let start = Date()
  let error = expectFormatError(body, sourceLocation: sourceLocation)
  let elapsed = Date().timeIntervalSince(start)
  #expect(elapsed < seconds, "took \(elapsed) s", sourceLocation: sourceLocation)
  #expect(
    peakResidentBytes() - peak < 256 << 20, "peak memory grew by \(peakResidentBytes() - peak) bytes",
    sourceLocation: sourceLocation)
  return error
}

// MARK: - Deflate bombs

/// 2 MB of deflate that inflates to 2 GiB, behind the header of a 4-element array, in an archive whose
/// directory claims nearly 4 GiB: refused after inflating the header, as header and directory disagree.
@Test func deflateBombIsRefusedAfterItsHeader() throws {
  let preamble = float64Preamble(count: 4)
  let stream = try zeroStream(after: preamble, mebibytes: 2048)
  #expect(stream.count < 3_000_000)
  let archive = rawZIP([RawMember(name: "w.npy", deflated: stream, uncompressedSize: 0xFFFF_FFFE)])
  let error = expectQuickRefusal { _ = try NPZ.decode(archive) }
  #expect(error == .inMember("w.npy", .declaredSizeMismatch(header: preamble.count + 32, directory: 0xFFFF_FFFE)))
}

/// The same bomb with a directory that agrees with the header: inflating stops where the header says the
/// data ends.
@Test func deflateBombStopsWhereTheHeaderSaysTheDataEnds() throws {
  let preamble = float64Preamble(count: 4)
  let size = preamble.count + 32
  let archive = rawZIP([
    RawMember(name: "w.npy", deflated: try zeroStream(after: preamble, mebibytes: 2048), uncompressedSize: UInt32(size))
  ])
  let error = expectQuickRefusal { _ = try NPZ.decode(archive) }
  #expect(
    error == .inMember("w.npy", .malformedDeflate("inflates to more than the \(size) bytes its .npy header declares")))
}

/// An object array has no declared data size: its pickle may take at most NPY.maxPickleSize.
@Test func deflateBombBehindAnObjectArrayHeaderIsStopped() throws {
  let preamble = NPY.wrap(headerText: objectArrayHeader)
  let archive = rawZIP([
    RawMember(name: "o.npy", deflated: try zeroStream(after: preamble, mebibytes: 2048), uncompressedSize: 0xFFFF_FFFE)
  ])
  let error = expectQuickRefusal { _ = try NPZ.decode(archive) }
  #expect(
    error
      == .inMember(
        "o.npy",
        .malformedDeflate(
          "inflates to more than the \(preamble.count + NPY.maxPickleSize) bytes an object array's header allows")))
}

/// A header and directory that agree on 2 GiB are honest, and still refused when that is over the limit,
/// before anything is inflated.
@Test func membersOverTheArchiveLimitAreRefusedBeforeInflating() throws {
  let preamble = float64Preamble(count: 1 << 28)
  let archive = rawZIP([
    RawMember(
      name: "w.npy", deflated: try zeroStream(after: preamble, mebibytes: 2048),
      uncompressedSize: UInt32(preamble.count + (1 << 31)))
  ])
  let error = expectQuickRefusal { _ = try NPZ.decode(archive, maxDecompressedSize: 64 << 20) }
  #expect(error == .decompressedSizeLimit(member: "w.npy", limit: 64 << 20))
}

/// Three honest 1 MiB members: the limit counts them together.
@Test func theLimitCountsAllMembersTogether() throws {
  let preamble = float64Preamble(count: 1 << 17)
  let contents = preamble + [UInt8](repeating: 0, count: 1 << 20)
  let stream = try zeroStream(after: preamble, mebibytes: 1)
  let members = ["a.npy", "b.npy", "c.npy"].map {
    RawMember(
      name: $0, deflated: stream, uncompressedSize: UInt32(contents.count), crc32: CRC32.checksum(contents))
  }
  let archive = rawZIP(members)
  let decoded = try NPZ.decode(archive, maxDecompressedSize: 4 << 20)
  #expect(decoded.map(\.0) == ["a", "b", "c"])
  #expect(decoded.allSatisfy { $0.1.shape == [1 << 17] && $0.1.bytes.allSatisfy { $0 == 0 } })
  #expect(throws: NumpyFormatError.decompressedSizeLimit(member: "c.npy", limit: 3 << 20)) {
    try NPZ.decode(archive, maxDecompressedSize: 3 << 20)
  }
}

// MARK: - One member listed many times, overlapping members

/// A 200 MiB member (200 KB compressed) listed 200 times in the directory: 40 GiB if each were inflated.
@Test func oneMemberListedManyTimesIsRefused() throws {
  let preamble = float64Preamble(count: 25 << 20)
  let member = RawMember(
    name: "w.npy", deflated: try zeroStream(after: preamble, mebibytes: 200),
    uncompressedSize: UInt32(preamble.count + (200 << 20)))
  let archive = rawZIP(body: member.local, entries: Array(repeating: (member, 0), count: 200))
  let error = expectQuickRefusal { _ = try NPZ.decode(archive) }
  #expect(error == .duplicateMember("w.npy"))

  // Under 200 different names, each entry's name disagrees with the one local header.
  var renamed: [(RawMember, Int)] = []
  for i in 0..<200 {
    var copy = member
    copy.name = "w\(i).npy"
    renamed.append((copy, 0))
  }
  let refused = expectQuickRefusal { _ = try NPZ.decode(rawZIP(body: member.local, entries: renamed)) }
  #expect(refused?.description.contains("local header names 'w.npy'") == true, "\(String(describing: refused))")
}

/// `a.npy` (stored) holds a 0-d object array, whose pickle ends at STOP, followed by all of `b.npy`'s local
/// header and data; the directory lists both. Each decodes on its own, but they share bytes.
@Test func overlappingMembersAreRefused() throws {
  let b = RawMember(name: "b.npy", storing: try NPY.encode(NumpyArray(shape: [2], float64: [1, 2])))
  let aNPY = try NPY.encode(NumpyArray(object: .none))
  let a = RawMember(name: "a.npy", storing: aNPY + b.local)
  let archive = rawZIP(body: a.local, entries: [(a, 0), (b, 30 + 5 + aNPY.count)])
  let error = expectFormatError { _ = try NPZ.decode(archive) }
  #expect(error == .overlappingMembers("a.npy", "b.npy"))
  #expect(error?.description == "members 'a.npy' and 'b.npy' overlap in the archive (a damaged archive or a zip bomb)")
}

// MARK: - Duplicate names

/// Two members named `W.npy`: numpy reads one of them silently; we refuse, in decode and in readNPZ.
@Test func duplicateMemberNamesAreRefused() throws {
  let first = RawMember(name: "W.npy", storing: try NPY.encode(NumpyArray(shape: [1], float32: [1])))
  let second = RawMember(name: "W.npy", storing: try NPY.encode(NumpyArray(shape: [1], float32: [2])))
  let archive = rawZIP([first, second])
  #expect(throws: NumpyFormatError.duplicateMember("W.npy")) { try NPZ.decode(archive) }
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("twice.npz").path
    try Data(archive).write(to: URL(fileURLWithPath: path))
    let error = expectFormatError { _ = try readNPZ(path: path) }
    #expect(error == .inFile(path, .duplicateMember("W.npy")))
    #expect(error?.description == "\(path): the archive holds more than one member named 'W.npy'")
  }
  // `W.npy` and `W` are different members with the same key.
  let bare = RawMember(name: "W", storing: try NPY.encode(NumpyArray(shape: [1], float32: [3])))
  #expect(throws: NumpyFormatError.duplicateKey("W")) { try NPZ.decode(rawZIP([first, bare])) }
}
