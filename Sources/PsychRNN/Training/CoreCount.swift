// How many CPU cores this process may actually use, so that training takes a second thread
// (batch prefetch, weight gradients) only where one can run beside the first. A cluster job or a
// container given one core reports the machine's count through `activeProcessorCount`; the truth
// is in the process's CPU affinity (taskset, SLURM) and its cgroup CPU quota (Docker, Kubernetes).

import Foundation

public enum CoreCount {
  /// Cores available to this process: the smallest of the machine's, its CPU affinity's and its
  /// cgroup quota's (rounded up), at least 1.
  public static func available() -> Int { measured }

  /// Read once per process: `train` asks on every call, and the answer does not change.
  private static let measured: Int = {
    var cores = ProcessInfo.processInfo.activeProcessorCount
    if let mask = affinityCount() { cores = min(cores, mask) }
    if let quota = cgroupQuota() { cores = min(cores, quota) }
    // A cap set by whoever started the process (a sweep's worker pool: one core per worker).
    if let text = ProcessInfo.processInfo.environment["PSYCHRNN_CORES"], let cap = Int(text), cap > 0 { cores = min(cores, cap) }
    return max(1, cores)
  }()

  /// CPUs in this process's affinity mask (Linux: `Cpus_allowed_list` in /proc/self/status),
  /// nil where unknown.
  static func affinityCount() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
      return cpuCount(fromList: String(line.dropFirst("Cpus_allowed_list:".count)))
    }
    return nil
  }

  /// "0-3,8,10-11" → 7; nil if unreadable.
  static func cpuCount(fromList text: String) -> Int? {
    var count = 0
    for part in text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",") {
      let bounds = part.split(separator: "-").map { Int($0) }
      switch bounds.count {
      case 1: guard bounds[0] != nil else { return nil }; count += 1
      case 2:
        guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }
        count += high - low + 1
      default: return nil
      }
    }
    return count > 0 ? count : nil
  }

  /// The cgroup CPU quota in whole cores, nil when there is none: cgroup v2's `cpu.max` of this
  /// process's cgroup and of each one above it (the smallest), else v1's `cpu.cfs_quota_us` over
  /// `cpu.cfs_period_us`.
  static func cgroupQuota() -> Int? {
    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
    let own = read("/proc/self/cgroup").flatMap(cgroupV2Path(fromProcSelfCgroup:)) ?? ""
    let v2 = cgroupV2Ancestry(own).compactMap { read("/sys/fs/cgroup" + $0 + "/cpu.max").flatMap(cores(fromCPUMax:)) }
    if let smallest = v2.min() { return smallest }
    if let quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), let period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") {
      return cores(quota: quota, period: period)
    }
    return nil
  }

  /// The v2 path in /proc/self/cgroup ("0::/user.slice/job.scope" → "/user.slice/job.scope").
  static func cgroupV2Path(fromProcSelfCgroup text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix("0::") {
      return String(line.dropFirst(3))
    }
    return nil
  }

  /// A cgroup path and every one above it, up to the root: "/a/b" → ["/a/b", "/a", ""].
  static func cgroupV2Ancestry(_ path: String) -> [String] {
    var parts = path.split(separator: "/").map(String.init)
    var paths: [String] = []
    while !parts.isEmpty {
      paths.append("/" + parts.joined(separator: "/"))
      parts.removeLast()
    }
    return paths + [""]
  }

  /// "max 100000" → nil; "150000 100000" → 2 (1.5 cores, rounded up).
  static func cores(fromCPUMax text: String) -> Int? {
    let fields = text.split(whereSeparator: \.isWhitespace)
    guard fields.count == 2 else { return nil }
    return cores(quota: String(fields[0]), period: String(fields[1]))
  }

  /// quota/period rounded up; nil for "max", −1 (v1's "no limit") or anything unreadable.
  static func cores(quota: String, period: String) -> Int? {
    guard let q = Int(quota.trimmingCharacters(in: .whitespacesAndNewlines)), q > 0,
      let p = Int(period.trimmingCharacters(in: .whitespacesAndNewlines)), p > 0
    else { return nil }
    return (q + p - 1) / p
  }
}
