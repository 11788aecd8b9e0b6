// Reading and writing files that are not what they seem: FIFOs, devices, sockets, directories, symbolic
// links (and loops of them), hard links, huge files, files with restrictive modes, failing writes, a
// process killed mid-write, and names whose exact bytes matter.

import Foundation
import Testing

@testable import NumpyFormat

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private let sample = NumpyArray(shape: [3], float64: [1, 2, 3])
private let other = NumpyArray(shape: [2], float64: [7, 8])

/// Everything in `directory` (names as given by the system).
private func listing(_ directory: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

private func mode(_ path: String) -> mode_t {
  var status = stat()
  _ = lstat(path, &status)
  return status.st_mode
}

/// Runs `body` on a thread of its own and waits at most `seconds` for it; false if it did not finish.
private func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
  let done = DispatchSemaphore(value: 0)
  Thread.detachNewThread {
    body()
    done.signal()
  }
  return done.wait(timeout: .now() + seconds) == .success
}

// MARK: - Writing

@Test func writesRefuseToReplaceWhatIsNotARegularFile() throws {
  try withTemporaryDirectory { directory in
    let fifo = directory.appendingPathComponent("fifo.npy").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let sub = directory.appendingPathComponent("dir.npy").path
    try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
    let socketPath = directory.appendingPathComponent("sock.npy").path
    try runPython("import socket; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", [socketPath])
    // A character device like /dev/full (made here, so the real one is never at risk), when allowed.
    let device = directory.appendingPathComponent("full.npy").path
    let haveDevice = mknod(device, S_IFCHR | 0o600, dev_t((1 << 8) | 7)) == 0
    var cases = [(fifo, "a FIFO"), (sub, "a directory"), (socketPath, "a socket")]
    if haveDevice { cases.append((device, "a character device")) }
    for (path, kind) in cases {
      let before = mode(path)
      #expect(
        throws: NumpyFormatError.unwritableFile(path: path, reason: "is not a regular file (\(kind)); refusing to replace it")
      ) {
        try writeNPY(sample, to: path)
      }
      #expect(mode(path) == before, "\(kind) was replaced")
    }
    #expect(!(try listing(directory)).contains { $0.hasSuffix(AtomicFiles.temporarySuffix) })
  }
}

@Test func writesGoThroughSymbolicLinks() throws {
  try withTemporaryDirectory { directory in
    let real = directory.appendingPathComponent("real.npy").path
    let link = directory.appendingPathComponent("link.npy").path
    let chain = directory.appendingPathComponent("chain.npy").path
    try writeNPY(sample, to: real)
    #expect(symlink("real.npy", link) == 0)
    #expect(symlink(link, chain) == 0)  // absolute, to a relative link
    try writeNPY(other, to: chain)
    #expect(mode(link) & S_IFMT == S_IFLNK)
    #expect(mode(chain) & S_IFMT == S_IFLNK)
    #expect(try readNPY(path: real) == other)
    #expect(try readNPY(path: link) == other)

    // A dangling link: the file it names is created.
    let dangling = directory.appendingPathComponent("dangling.npy").path
    #expect(symlink("made-by-write.npy", dangling) == 0)
    try writeNPY(sample, to: dangling)
    #expect(try readNPY(path: directory.appendingPathComponent("made-by-write.npy").path) == sample)
    #expect(mode(dangling) & S_IFMT == S_IFLNK)

    // A loop says so, reading and writing.
    let a = directory.appendingPathComponent("a.npy").path
    let b = directory.appendingPathComponent("b.npy").path
    #expect(symlink("b.npy", a) == 0 && symlink("a.npy", b) == 0)
    #expect(throws: NumpyFormatError.unwritableFile(path: a, reason: "Too many levels of symbolic links")) {
      try writeNPY(sample, to: a)
    }
    #expect(throws: NumpyFormatError.unreadableFile(path: a, reason: "Too many levels of symbolic links")) {
      try readNPY(path: a)
    }
    #expect(!(try listing(directory)).contains { $0.hasSuffix(AtomicFiles.temporarySuffix) })
  }
}

@Test func replacingAFileKeepsItsMode() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npz").path
    for permissions: mode_t in [0o600, 0o640, 0o444, 0o755] {
      try writeNPZ([("a", sample)], to: path)
      #expect(chmod(path, permissions) == 0)
      try writeNPZ([("b", other)], to: path)
      #expect(mode(path) & 0o7777 == permissions)
      #expect(try readNPZ(path: path).map(\.0) == ["b"])
    }
    // A new file gets 666 less the umask, as open(2) gives.
    let mask = umask(0o022)
    umask(mask)
    let fresh = directory.appendingPathComponent("fresh.npy").path
    try writeNPY(sample, to: fresh)
    #expect(mode(fresh) & 0o777 == 0o666 & ~mask)
  }
}

/// Documented: the rename gives the path a new inode; the other names keep the old contents.
@Test func replacingAFileBreaksItsHardLinks() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npy").path
    let second = directory.appendingPathComponent("second-name.npy").path
    try writeNPY(sample, to: path)
    #expect(link(path, second) == 0)
    try writeNPY(other, to: path)
    #expect(try readNPY(path: path) == other)
    #expect(try readNPY(path: second) == sample)
  }
}

@Test func temporariesHaveARecognisableNameAndStaleOnesAreRemoved() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npy").path
    // A pid that no longer exists: a child that has been waited for.
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let dead = child.processIdentifier
    let mine = getpid()
    let names = [
      ".w.npy.\(dead).0123456789abcdef.tmp-psychrnn",  // stale: removed
      ".w.npy.\(mine).0123456789abcdef.tmp-psychrnn",  // ours, maybe in flight: kept
      ".w.npy.1.0123456789abcdef.tmp-psychrnn",  // pid 1 is alive: kept
      ".other.npy.\(dead).0123456789abcdef.tmp-psychrnn",  // another file's: kept
      ".w.npy.\(dead).not-hex.tmp-psychrnn",  // not our pattern: kept
    ]
    for name in names { FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil) }
    var during: [String] = []
    try FileIO.writeAtomically(try NPY.encode(sample), to: path) { during = (try? listing(directory)) ?? [] }
    let temporary = try #require(during.first { !names.contains($0) && $0 != "w.npy" })
    #expect(temporary.hasPrefix(".w.npy.\(mine)."))
    #expect(temporary.hasSuffix(".tmp-psychrnn"))
    #expect(TemporaryNames.pid(inTemporary: Array(temporary.utf8), forName: Array("w.npy".utf8)) == mine)
    #expect(try listing(directory) == (["w.npy"] + names.dropFirst()).sorted())
  }
}

/// A child process (this test binary, running `signalChild` below) writes a file and is sent SIGTERM in
/// the middle; its handler calls `AtomicFiles.removeInFlightTemporaries()` and exits. Nothing is left
/// behind and the old contents stay. (In a child, so that removing in-flight temporaries cannot disturb
/// the writes of tests running in parallel here.)
@Test func aWriteInterruptedBySIGTERMLeavesNoTemporary() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npy").path
    try writeNPY(sample, to: path)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--testing-library", "swift-testing", "--filter", "signalChild"]
    process.environment = ProcessInfo.processInfo.environment.merging(["PSYCHRNN_SIGNAL_CHILD": path]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 143)
    #expect(try listing(directory) == ["w.npy", "w.npy.child-was-here"])
    #expect(try readNPY(path: path) == sample)
  }
}

/// The child of the test above; does nothing unless PSYCHRNN_SIGNAL_CHILD names a file.
@Test func signalChild() throws {
  guard let path = ProcessInfo.processInfo.environment["PSYCHRNN_SIGNAL_CHILD"] else { return }
  AtomicFiles.prepareForSignalHandlers()
  signal(SIGTERM) { _ in
    AtomicFiles.removeInFlightTemporaries()
    _exit(143)
  }
  FileManager.default.createFile(atPath: path + ".child-was-here", contents: nil)
  // To the process (a test thread may block signals); the handler runs on another thread and exits
  // while this one waits, before the rename.
  try FileIO.writeAtomically(try NPY.encode(other), to: path) {
    kill(getpid(), SIGTERM)
    sleep(10)
  }
  _exit(1)  // not reached: the handler exits
}

/// Removing in-flight temporaries (as a signal handler does) makes the write fail cleanly.
@Test func removingInFlightTemporariesFailsTheWriteCleanly() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npy").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--testing-library", "swift-testing", "--filter", "removalChild"]
    process.environment = ProcessInfo.processInfo.environment.merging(["PSYCHRNN_REMOVAL_CHILD": path]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(
      try String(contentsOfFile: path + ".result", encoding: .utf8)
        == "cannot write \(path): cannot rename the temporary file over it: No such file or directory")
    #expect(try listing(directory) == ["w.npy", "w.npy.result"])
    #expect(try readNPY(path: path) == sample)
  }
}

@Test func removalChild() throws {
  guard let path = ProcessInfo.processInfo.environment["PSYCHRNN_REMOVAL_CHILD"] else { return }
  try writeNPY(sample, to: path)
  var removed = false
  do {
    try FileIO.writeAtomically(try NPY.encode(other), to: path) {
      AtomicFiles.removeInFlightTemporaries()
      let left = (try? FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)) ?? []
      removed = !left.contains { $0.hasSuffix(AtomicFiles.temporarySuffix) }
    }
  } catch {
    try "\(error)".write(toFile: path + ".result", atomically: false, encoding: .utf8)
  }
  _exit(removed ? 0 : 2)
}

/// A write that fails part-way (here: the file-size limit, EFBIG) reports the reason and the path and
/// leaves the old file and no temporary. In a child, since the limit is process-wide.
@Test func aFailingWriteLeavesNothingBehind() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("w.npy").path
    try writeNPY(sample, to: path)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--testing-library", "swift-testing", "--filter", "fileSizeLimitChild"]
    process.environment = ProcessInfo.processInfo.environment.merging(["PSYCHRNN_FSIZE_CHILD": path]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(try String(contentsOfFile: path + ".result", encoding: .utf8) == "cannot write \(path): File too large")
    #expect(try listing(directory) == ["w.npy", "w.npy.result"])
    #expect(try readNPY(path: path) == sample)
  }
  // EACCES without a child: sysfs refuses new files even to root.
  if FileManager.default.fileExists(atPath: "/sys/kernel") {
    #expect(
      throws: NumpyFormatError.unwritableFile(
        path: "/sys/w.npy", reason: "cannot create a temporary file beside it: Permission denied")
    ) {
      try writeNPY(sample, to: "/sys/w.npy")
    }
  }
}

@Test func fileSizeLimitChild() throws {
  guard let path = ProcessInfo.processInfo.environment["PSYCHRNN_FSIZE_CHILD"] else { return }
  signal(SIGXFSZ, SIG_IGN)
  var limit = rlimit(rlim_cur: 4096, rlim_max: 4096)
  #if canImport(Glibc)
    setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
  #else
    setrlimit(RLIMIT_FSIZE, &limit)
  #endif
  do {
    try writeNPY(NumpyArray(shape: [10_000], float64: [Double](repeating: 1, count: 10_000)), to: path)
    _exit(3)
  } catch {
    // The result file is tiny, under the limit.
    FileManager.default.createFile(atPath: path + ".result", contents: Data("\(error)".utf8))
  }
  _exit(0)
}

// MARK: - Reading

@Test func readsRefuseWhatIsNotARegularFileWithoutBlocking() throws {
  try withTemporaryDirectory { directory in
    let fifo = directory.appendingPathComponent("fifo.npy").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let result = Box()
    #expect(finishes(within: 2) { result.error = expectFormatError { _ = try readNPY(path: fifo) } })
    #expect(result.error == .unreadableFile(path: fifo, reason: "is not a regular file (a FIFO)"))
    #expect(finishes(within: 2) { result.error = expectFormatError { _ = try readNPZ(path: "/dev/zero") } })
    #expect(result.error == .unreadableFile(path: "/dev/zero", reason: "is not a regular file (a character device)"))
  }
}

private final class Box: @unchecked Sendable {
  var error: NumpyFormatError?
}

@Test func readsRefuseFilesOverTheSizeLimit() throws {
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent("huge.npz").path
    FileManager.default.createFile(atPath: path, contents: nil)
    #expect(truncate(path, off_t(FileIO.maxReadSize) + 1) == 0)  // sparse: takes no space
    let result = Box()
    #expect(finishes(within: 2) { result.error = expectFormatError { _ = try readNPZ(path: path) } })
    #expect(
      result.error
        == .unreadableFile(path: path, reason: "is \(FileIO.maxReadSize + 1) bytes, more than the limit of 4294967296 (4 GiB)"))
  }
}

// MARK: - Names

/// Paths reach the system as the string's exact bytes: a decomposed "é" (e + U+0301) is not the
/// precomposed one, and the file gets the bytes given.
@Test func pathsAreUsedByteForByte() throws {
  try withTemporaryDirectory { directory in
    let decomposed = directory.appendingPathComponent("caf\u{65}\u{301}.npy").path
    let precomposed = directory.appendingPathComponent("caf\u{e9}.npy").path
    try writeNPY(sample, to: decomposed)
    let names = try runPython("import os; print([n.hex() for n in os.listdir(os.fsencode(sys.argv[1]))])", [directory.path])
    #expect(names == "['63616665cc812e6e7079']\n")  // c a f e U+0301 . n p y
    #expect(try readNPY(path: decomposed) == sample)
    #expect(throws: NumpyFormatError.fileNotFound(path: precomposed)) { try readNPY(path: precomposed) }
    // Neither NUL (the system would stop at it) nor an empty path is passed on.
    #expect(throws: NumpyFormatError.unwritableFile(path: decomposed + "\0x", reason: "the path contains a NUL byte")) {
      try writeNPY(sample, to: decomposed + "\0x")
    }
    #expect(throws: NumpyFormatError.unreadableFile(path: decomposed + "\0x", reason: "the path contains a NUL byte")) {
      try readNPY(path: decomposed + "\0x")
    }
  }
}
