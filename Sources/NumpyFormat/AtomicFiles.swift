// The temporary files of atomic writes: their names, the registry of those in flight (so a signal
// handler can remove them), and the removal of stale ones left by processes that died mid-write.
//
// A temporary is named `.NAME.<pid>.<random>.tmp-psychrnn` and sits beside NAME, in the same directory
// (rename is only atomic within one file system). While it exists, its path is in a fixed table of
// C strings that `removeInFlightTemporaries()` walks with nothing but atomic loads and `unlink`, both
// async-signal-safe; it takes no lock and allocates nothing.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// The temporary files that atomic writes (``writeNPY(_:to:)``, ``writeNPZ(_:to:)``) create beside
/// their targets.
public enum AtomicFiles {
  /// The suffix of every temporary file this module creates: `.NAME.<pid>.<random>.tmp-psychrnn`.
  public static let temporarySuffix = ".tmp-psychrnn"

  /// Removes every temporary file of a write still in flight in this process, so that a process ended by
  /// SIGTERM, SIGHUP or SIGINT leaves none behind. Call it from the signal handler before exiting.
  ///
  /// Async-signal-safe: it only loads atomics and calls `unlink` on paths stored in advance, taking no
  /// lock and allocating nothing, provided the registry exists (the first write creates it; call
  /// ``prepareForSignalHandlers()`` when installing the handler). The writes whose temporaries it removes
  /// then fail with an ``NumpyFormatError/unwritableFile(path:reason:)`` error and leave their targets as
  /// they were.
  public static func removeInFlightTemporaries() {
    let published = TemporaryRegistry.published.load(ordering: .acquiring)
    guard published != 0 else { return }
    for slot in 0..<TemporaryRegistry.slotCount where published & (1 << UInt64(slot)) != 0 {
      _ = unlink(TemporaryRegistry.path(slot))
    }
  }

  /// Creates the registry's storage now, so that a later ``removeInFlightTemporaries()`` called from a
  /// signal handler initialises nothing (Swift initialises globals lazily, which must not happen there).
  /// Call it once when installing the handler; later calls do nothing.
  public static func prepareForSignalHandlers() {
    _ = TemporaryRegistry.published.load(ordering: .relaxed)
    _ = TemporaryRegistry.storage
    TemporaryRegistry.claimed.withLock { _ in }
  }
}

/// A fixed table of the paths of temporaries in flight: `slotCount` buffers of `slotSize` bytes, a mask of
/// the slots claimed by writers (under a mutex) and a mask of those whose path is complete (atomic, read
/// by the signal handler). A writer claims a slot, copies its path in, then publishes it; it unpublishes
/// the slot before the temporary is renamed or removed, then releases it.
enum TemporaryRegistry {
  static let slotCount = 64
  /// Room for PATH_MAX bytes and the terminating NUL.
  static let slotSize = 4097
  nonisolated(unsafe) static let storage: UnsafeMutablePointer<CChar> = {
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
    buffer.initialize(repeating: 0, count: slotCount * slotSize)
    return buffer
  }()
  static let claimed = Mutex<UInt64>(0)
  static let published = Atomic<UInt64>(0)

  static func path(_ slot: Int) -> UnsafeMutablePointer<CChar> { storage + slot * slotSize }

  /// Records `path` (bytes without NUL) as in flight; returns its slot, or nil when the path is too long
  /// or all slots are taken (the write still works; only a signal would then leave its temporary behind,
  /// for the next write's stale-file cleanup to find).
  static func register(_ path: [UInt8]) -> Int? {
    guard path.count < slotSize else { return nil }
    _ = storage
    let slot: Int? = claimed.withLock { mask in
      guard mask != .max else { return nil }
      let free = (~mask).trailingZeroBitCount
      mask |= 1 << UInt64(free)
      return free
    }
    guard let slot else { return nil }
    let buffer = self.path(slot)
    for (i, byte) in path.enumerated() { buffer[i] = CChar(bitPattern: byte) }
    buffer[path.count] = 0
    published.bitwiseOr(1 << UInt64(slot), ordering: .releasing)
    return slot
  }

  /// Forgets the slot (call before renaming or removing the temporary).
  static func unregister(_ slot: Int?) {
    guard let slot else { return }
    published.bitwiseAnd(~(1 << UInt64(slot)), ordering: .releasing)
    claimed.withLock { $0 &= ~(1 << UInt64(slot)) }
  }

  /// Whether any slot is published (for tests).
  static var isEmpty: Bool { published.load(ordering: .acquiring) == 0 }
}

/// Names of temporaries, and the removal of stale ones.
enum TemporaryNames {
  /// At most this many bytes of the target's name go into a temporary's name, so that the temporary's name
  /// stays under NAME_MAX (255) with the pid, the random part and the suffix.
  static let stemLength = 200

  /// `.NAME.`, NAME cut to ``stemLength`` bytes: what every temporary of `name` starts with.
  static func prefix(forName name: [UInt8]) -> [UInt8] {
    [UInt8(ascii: ".")] + name.prefix(stemLength) + [UInt8(ascii: ".")]
  }

  /// A fresh temporary name for `name`: `.NAME.<pid>.<16 hex digits>.tmp-psychrnn`.
  static func temporary(forName name: [UInt8]) -> [UInt8] {
    let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let hex = String(repeating: "0", count: 16 - random.count) + random
    return prefix(forName: name) + Array("\(getpid()).\(hex)\(AtomicFiles.temporarySuffix)".utf8)
  }

  /// The pid in `entry` if it is a temporary of ours for `name`, else nil.
  static func pid(inTemporary entry: [UInt8], forName name: [UInt8]) -> pid_t? {
    let start = prefix(forName: name)
    let suffix = Array(AtomicFiles.temporarySuffix.utf8)
    guard entry.count > start.count + suffix.count, entry.starts(with: start), entry.suffix(suffix.count).elementsEqual(suffix)
    else { return nil }
    let middle = entry[start.count..<(entry.count - suffix.count)]  // "<pid>.<hex>"
    guard let dot = middle.firstIndex(of: UInt8(ascii: ".")) else { return nil }
    let digits = middle[..<dot]
    let hex = middle[(dot + 1)...]
    guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ (0x30...0x39).contains($0) }),
      hex.count == 16, hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { return nil }
    return pid_t(exactly: digits.reduce(0) { $0 * 10 + Int($1 - 0x30) })
  }

  /// Removes the temporaries of `name` in `directory` (bytes, "" for the current directory) left by
  /// processes that no longer exist. Our own pid's are left alone: they may be in flight in another thread.
  /// Best effort: errors are ignored.
  static func removeStale(in directory: [UInt8], forName name: [UInt8]) {
    let directoryPath = directory.isEmpty ? Array(".".utf8) : directory
    guard let handle = withCPath(directoryPath, { opendir($0) }) else { return }
    defer { closedir(handle) }
    var stale: [[UInt8]] = []
    while let entry = readdir(handle) {
      let entryName = withUnsafeBytes(of: &entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
      guard let pid = pid(inTemporary: entryName, forName: name), pid != getpid(), pid > 0 else { continue }
      if kill(pid, 0) == -1, errno == ESRCH { stale.append(entryName) }
    }
    for entryName in stale {
      let full = directory.isEmpty ? entryName : directory + [UInt8(ascii: "/")] + entryName
      _ = withCPath(full) { unlink($0) }
    }
  }
}

/// Runs `body` with `path` as a NUL-terminated C string of exactly these bytes.
func withCPath<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
  (path + [0]).withUnsafeBufferPointer { buffer in
    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
  }
}
