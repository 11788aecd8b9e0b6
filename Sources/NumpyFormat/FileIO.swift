// Reading whole files, and writing them atomically (a temporary file in the same directory, renamed over
// the target, so readers never see a half-written file), with POSIX calls on the path's exact bytes.
//
// Paths are passed to open, lstat, readlink, rename and unlink as the UTF-8 bytes of the Swift string,
// unchanged (Foundation's URL and FileManager are not used: they may normalise or re-encode a path).
// A path containing a NUL byte cannot be passed to the system at all, and is refused.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum FileIO {
  /// The largest file ``read(_:)`` reads: 4 GiB, the most a plain (non-ZIP64) archive can hold.
  static let maxReadSize = 1 << 32

  /// The bytes of the regular file at `path`.
  ///
  /// The file is opened with O_NONBLOCK and checked with fstat before anything is read, so a FIFO, a
  /// device (`/dev/zero`), a socket or a directory is refused at once (``NumpyFormatError/unreadableFile(path:reason:)``
  /// "is not a regular file (a FIFO)", "is a directory") instead of blocking or reading forever. A file
  /// larger than ``maxReadSize`` is refused too. Missing files are ``NumpyFormatError/fileNotFound(path:)``;
  /// other failures carry the system's reason ("Too many levels of symbolic links", "Permission denied").
  static func read(_ path: String) throws -> [UInt8] {
    let bytes = try pathBytes(path, reading: true)
    let fd = withCPath(bytes) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { throw NumpyFormatError.fileNotFound(path: path) }
      throw NumpyFormatError.unreadableFile(path: path, reason: reason(code))
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw NumpyFormatError.unreadableFile(path: path, reason: reason(errno)) }
    if let kind = FileKind(status), kind != .regular {
      throw NumpyFormatError.unreadableFile(
        path: path, reason: kind == .directory ? "is a directory" : "is not a regular file (\(kind.name))")
    }
    guard let size = Int(exactly: status.st_size), size <= maxReadSize else {
      throw NumpyFormatError.unreadableFile(
        path: path, reason: "is \(status.st_size) bytes, more than the limit of \(maxReadSize) (4 GiB)")
    }
    var result = [UInt8](repeating: 0, count: size)
    var filled = 0
    // Read until end of file; a file that grows while it is read is read as far as the limit.
    while true {
      if filled == result.count {
        guard result.count < maxReadSize else {
          throw NumpyFormatError.unreadableFile(path: path, reason: "grew past the limit of \(maxReadSize) bytes")
        }
        result += [UInt8](repeating: 0, count: min(max(result.count, 1 << 16), maxReadSize - result.count))
      }
      let count = result.withUnsafeMutableBytes { raw in
        systemRead(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled)
      }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        throw NumpyFormatError.unreadableFile(path: path, reason: reason(errno))
      }
      if count == 0 { break }
      filled += count
    }
    result.removeSubrange(filled...)
    return result
  }

  /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so that `path` holds
  /// either its old contents or all of the new ones, never a part.
  ///
  /// - Only regular files are replaced: a directory, a FIFO, a device (such as `/dev/full`) or a socket
  ///   at `path` is refused before anything is written (``NumpyFormatError/unwritableFile(path:reason:)``
  ///   "is not a regular file (a FIFO)"), since renaming over it would destroy it.
  /// - A symbolic link is written through: the links are followed to the file they name (which may not
  ///   exist yet) and that file is replaced in its own directory, so the link keeps working and points at
  ///   the new contents. (Renaming over the link itself would replace the link by a regular file.)
  /// - An existing file keeps its permission bits (a 600 file stays 600); a new file gets 666 less the
  ///   umask, as with `open`. The owner is the writing user's.
  /// - Hard links are not preserved: the rename gives `path` a new inode, and the file's other names keep
  ///   the old contents.
  /// - The temporary is `.NAME.<pid>.<random>.tmp-psychrnn`. While it exists it is registered, so that
  ///   ``AtomicFiles/removeInFlightTemporaries()`` (from a signal handler) can remove it; before writing,
  ///   temporaries of NAME left by processes that no longer exist are removed.
  /// - Every failure (ENOSPC, EROFS, EACCES, ...) is an ``NumpyFormatError/unwritableFile(path:reason:)``
  ///   carrying `path` and the system's reason, and removes the temporary: nothing is left behind.
  static func writeAtomically(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o666) throws {
    try writeAtomically(bytes, to: path, newFileMode: newFileMode, beforeRename: {})
  }

  /// ``writeAtomically(_:to:)`` with a hook run after the data is written, before the rename (for tests).
  /// A new file gets `newFileMode` less the umask.
  static func writeAtomically(
    _ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o666, beforeRename: () -> Void
  ) throws {
    func failure(_ reason: String) -> NumpyFormatError { .unwritableFile(path: path, reason: reason) }
    let target = try resolvedTarget(try pathBytes(path, reading: false), path: path)
    let (directory, name) = split(target)
    guard !name.isEmpty else { throw failure("is a directory") }

    var status = stat()
    var mode: mode_t = 0o666
    var keepMode = false
    if withCPath(target, { lstat($0, &status) }) == 0 {
      if let kind = FileKind(status), kind != .regular {
        throw failure("is not a regular file (\(kind.name)); refusing to replace it")
      }
      mode = status.st_mode & 0o7777
      keepMode = true
    } else if errno != ENOENT {
      throw failure(reason(errno))
    }

    TemporaryNames.removeStale(in: directory, forName: name)
    let temporaryName = TemporaryNames.temporary(forName: name)
    let temporary = directory.isEmpty ? temporaryName : directory + [UInt8(ascii: "/")] + temporaryName
    let slot = TemporaryRegistry.register(temporary)
    var created = false
    func abandon() {
      TemporaryRegistry.unregister(slot)
      if created { _ = withCPath(temporary) { unlink($0) } }
    }

    let fd = withCPath(temporary) {
      open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, keepMode ? 0o600 : newFileMode & 0o777)
    }
    guard fd >= 0 else {
      let code = errno
      abandon()
      throw failure("cannot create a temporary file beside it: \(reason(code))")
    }
    created = true
    var isOpen = true
    do {
      if keepMode, fchmod(fd, mode) != 0 { throw failure("cannot set its permissions: \(reason(errno))") }
      var written = 0
      while written < bytes.count {
        let count = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + written }, raw.count - written) }
        if count < 0 {
          if errno == EINTR { continue }
          throw failure(reason(errno))
        }
        written += count
      }
      if fsync(fd) != 0, errno != EINVAL { throw failure(reason(errno)) }
      isOpen = false
      // close(2) can report a deferred write error (NFS, quotas).
      if close(fd) != 0, errno != EINTR { throw failure(reason(errno)) }
    } catch {
      if isOpen { close(fd) }
      abandon()
      throw error
    }
    beforeRename()
    TemporaryRegistry.unregister(slot)
    guard withCPath(temporary, { t in withCPath(target) { rename(t, $0) } }) == 0 else {
      let code = errno
      _ = withCPath(temporary) { unlink($0) }
      throw failure("cannot rename the temporary file over it: \(reason(code))")
    }
  }

  // MARK: - Paths

  /// The path's bytes; a NUL byte (which the system would take as the end of the path) is refused.
  private static func pathBytes(_ path: String, reading: Bool) throws -> [UInt8] {
    let bytes = Array(path.utf8)
    guard !bytes.contains(0), !bytes.isEmpty else {
      let reason = bytes.isEmpty ? "the path is empty" : "the path contains a NUL byte"
      throw reading
        ? NumpyFormatError.unreadableFile(path: path, reason: reason)
        : NumpyFormatError.unwritableFile(path: path, reason: reason)
    }
    return bytes
  }

  /// `path` with symbolic links in its last component followed (at most 40, as Linux does), relative links
  /// resolved against the link's directory. The result may not exist yet.
  private static func resolvedTarget(_ path: [UInt8], path original: String) throws -> [UInt8] {
    var current = path
    for _ in 0..<40 {
      var status = stat()
      guard withCPath(current, { lstat($0, &status) }) == 0 else {
        if errno == ENOENT { return current }
        throw NumpyFormatError.unwritableFile(path: original, reason: reason(errno))
      }
      guard FileKind(status) == .symbolicLink else { return current }
      var buffer = [UInt8](repeating: 0, count: 4097)
      let count = withCPath(current) { link in
        buffer.withUnsafeMutableBytes { readlink(link, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
      }
      guard count > 0, count < buffer.count else {
        throw NumpyFormatError.unwritableFile(path: original, reason: "cannot read the symbolic link: \(reason(errno))")
      }
      let link = Array(buffer[..<count])
      if link.first == UInt8(ascii: "/") {
        current = link
      } else {
        let (directory, _) = split(current)
        current = directory.isEmpty ? link : directory + [UInt8(ascii: "/")] + link
      }
    }
    throw NumpyFormatError.unwritableFile(path: original, reason: reason(ELOOP))
  }

  /// The directory part (without the final slash; "/" for the root, empty for a bare name) and the name.
  private static func split(_ path: [UInt8]) -> (directory: [UInt8], name: [UInt8]) {
    guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return ([], path) }
    let directory = slash == 0 ? [UInt8(ascii: "/")] : Array(path[..<slash])
    return (directory, Array(path[(slash + 1)...]))
  }

  /// The system's description of an errno value ("No space left on device").
  static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// read(2), which FileIO.read would hide.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(fd, buffer, count)
}

/// What kind of file a stat result describes.
enum FileKind: Equatable {
  case regular, directory, symbolicLink, fifo, characterDevice, blockDevice, socket

  init?(_ status: stat) {
    switch status.st_mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symbolicLink
    case S_IFIFO: self = .fifo
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFSOCK: self = .socket
    default: return nil
    }
  }

  /// "a FIFO", "a character device", ...
  var name: String {
    switch self {
    case .regular: return "a regular file"
    case .directory: return "a directory"
    case .symbolicLink: return "a symbolic link"
    case .fifo: return "a FIFO"
    case .characterDevice: return "a character device"
    case .blockDevice: return "a block device"
    case .socket: return "a socket"
    }
  }
}
