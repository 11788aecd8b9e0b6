// How much memory this process may still take, and the one check every large allocation of the
// library goes through first: a network's weights (`ModelConfiguration.validate`), a batch
// (`TaskTiming.validate`, `Task.batch(number:trials:using:)`) and a training run's workspace
// (`train`). An estimate over the limit is a `ConfigurationError` that names the figure and the
// limit, raised before anything is allocated; the process is never killed by the OOM killer, and
// under `ulimit -v` OpenBLAS never gets to retry a failing mmap forever.
//
// The limit is the smallest of
//   - the cgroup's memory: v2 `memory.max` of this process's cgroup and every one above it
//     (walked as `CoreCount` walks `cpu.max`), else v1 `memory.limit_in_bytes`, less the
//     process's resident size;
//   - the address-space limit `getrlimit(RLIMIT_AS)` (`ulimit -v`), less the process's virtual size;
//   - the physical memory, `sysconf(_SC_PHYS_PAGES) · _SC_PAGESIZE`, less the resident size.
// Sizes come from /proc/self/statm. `PSYCHRNN_MEMORY_LIMIT` (bytes) lowers the limit further (for
// tests and shared machines).

import Foundation

/// The memory this process may still use, and the check before large allocations.
public enum MemoryBudget {
  /// Bytes this process may still allocate (at least 0), or nil when nothing is known.
  public static func available() -> Double? {
    let usage = currentUsage()
    var limits: [Double] = []
    if let cgroup = cgroupLimit() { limits.append(cgroup - usage.resident) }
    var limit = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
      limits.append(Double(limit.rlim_cur) - usage.virtual)
    }
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    if pages > 0 && pageSize > 0 { limits.append(Double(pages) * Double(pageSize) - usage.resident) }
    if let text = ProcessInfo.processInfo.environment["PSYCHRNN_MEMORY_LIMIT"], let v = Double(text), v >= 0 {
      limits.append(v - usage.resident)
    }
    return limits.min().map { max(0, $0) }
  }

  /// Throws `ConfigurationError.invalid(key:…)` when `bytes` (an estimate of what `what` needs) is
  /// more than the process may still allocate. `advice` says what to lower.
  ///
  /// For example: "N_rec 8192: the network would need 4.8 GB (N_rec² weights and their copies),
  /// but this process may use only 1.6 GB more (the address-space limit, ulimit -v); lower N_rec".
  public static func require(_ bytes: Double, for what: String, key: String, advice: String) throws {
    guard bytes.isFinite else {
      throw ConfigurationError.invalid(key: key, message: "\(what) would need more memory than any computer has; \(advice)")
    }
    // Small requests are always allowed: the estimate is rough and the check not free.
    guard bytes > smallRequest, let room = available(), bytes > room else { return }
    throw ConfigurationError.invalid(
      key: key,
      message:
        "\(what) would need \(format(bytes)), but this process may use only \(format(room)) more (\(limitingFactor())); \(advice)"
    )
  }

  /// Requests under 64 MiB are not checked.
  static let smallRequest = Double(64 << 20)

  /// "4.8 GB", "512 MB", "1.2e+03 TB".
  public static func format(_ bytes: Double) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB"]
    var value = bytes, unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    if unit == 0 { return "\(Int(value)) bytes" }
    return value >= 1000 ? String(format: "%.2g %@", value, units[unit]) : String(format: "%.3g %@", value, units[unit])
  }

  // MARK: - Estimates (bytes)

  /// A network of `nRec` units: `valuesPerSquare` values of `scalarBytes` for each of the N_rec²
  /// entries (weights, masks, Dale's matrices and the Double copies made while building), plus
  /// the input and output weights.
  public static func networkBytes(nIn: Int, nRec: Int, nOut: Int, squareCopies: Double) -> Double {
    let n = Double(nRec)
    return squareCopies * n * n + 48 * n * (Double(nIn) + Double(nOut))
  }

  /// A batch of `trials` trials of `steps` steps: x, y and mask in Double.
  public static func batchBytes(trials: Int, steps: Int, nIn: Int, nOut: Int) -> Double {
    8 * Double(trials) * Double(steps) * (Double(nIn) + 2 * Double(nOut))
  }

  // MARK: - Measuring

  /// The process's resident and virtual sizes in bytes (/proc/self/statm), zero when unknown.
  static func currentUsage() -> (resident: Double, virtual: Double) {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return (0, 0) }
    let fields = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let page = Double(sysconf(Int32(_SC_PAGESIZE)))
    guard fields.count >= 2 else { return (0, 0) }
    return (fields[1] * page, fields[0] * page)
  }

  /// The cgroup memory limit in bytes: the smallest v2 `memory.max` from this process's cgroup
  /// up to the root, else v1 `memory.limit_in_bytes`; nil for none ("max", or v1's huge "no limit").
  static func cgroupLimit() -> Double? {
    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
    let own = read("/proc/self/cgroup").flatMap(CoreCount.cgroupV2Path(fromProcSelfCgroup:)) ?? ""
    let v2 = CoreCount.cgroupV2Ancestry(own).compactMap { read("/sys/fs/cgroup" + $0 + "/memory.max").flatMap(bytes(fromLimit:)) }
    if let smallest = v2.min() { return smallest }
    return read("/sys/fs/cgroup/memory/memory.limit_in_bytes").flatMap(bytes(fromLimit:))
  }

  /// "max" → nil; "2147483648" → 2147483648; v1's "no limit" (≥ 2^60) → nil.
  static func bytes(fromLimit text: String) -> Double? {
    guard let v = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), v > 0, v < 0x1p60 else { return nil }
    return v
  }

  /// Which limit is the smallest, in words.
  static func limitingFactor() -> String {
    let usage = currentUsage()
    var named: [(Double, String)] = []
    if let cgroup = cgroupLimit() { named.append((cgroup - usage.resident, "the cgroup memory limit of \(format(cgroup))")) }
    var limit = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
      named.append(
        (Double(limit.rlim_cur) - usage.virtual, "the address-space limit, ulimit -v, of \(format(Double(limit.rlim_cur)))"))
    }
    let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
    if pages > 0 && pageSize > 0 {
      let physical = Double(pages) * Double(pageSize)
      named.append((physical - usage.resident, "the \(format(physical)) of physical memory"))
    }
    if let text = ProcessInfo.processInfo.environment["PSYCHRNN_MEMORY_LIMIT"], let v = Double(text), v >= 0 {
      named.append((v - usage.resident, "PSYCHRNN_MEMORY_LIMIT of \(format(v))"))
    }
    return named.min { $0.0 < $1.0 }?.1 ?? "its limit"
  }
}
