// Task variance (Yang et al. 2019, Nature Neuroscience 22:297): how much each unit's activity varies
// across the conditions (trials) of a task. With r[b, t, i] the activity of unit i at step t of
// trial b (B trials, S steps):
//
//   TV_i = (1/S) Σ_t Var_b r[b, t, i]        (the population variance across trials, ddof 0)
//
// Over several tasks each unit's TVs are normalised by their largest, TV_i,task / max_task TV_i,task,
// and units whose summed TV is below `minimumTotal` are left out as inactive. Units are then
// clustered on their normalised TV vectors by k-means (k-means++ starts from a seeded stream, the
// best of 10 runs by within-cluster sum of squares), with k from 2 to min(maxK, active − 1) chosen by
// the largest mean silhouette (Rousseeuw 1987; Euclidean distances).

import Linear

public enum TaskVariance {
  /// TV_i for each unit of `activity` (trials × steps × units).
  public static func variance(of activity: Tensor3<Double>) -> [Double] {
    let (b, s, n) = (activity.d0, activity.d1, activity.d2)
    guard b > 0, s > 0 else { return [Double](repeating: 0, count: n) }
    var tv = [Double](repeating: 0, count: n)
    for t in 0..<s {
      for i in 0..<n {
        var mean = 0.0
        for k in 0..<b { mean += activity[k, t, i] }
        mean /= Double(b)
        var v = 0.0
        for k in 0..<b { let d = activity[k, t, i] - mean; v += d * d }
        tv[i] += v / Double(b)
      }
    }
    return tv.map { $0 / Double(s) }
  }

  /// Each row (a unit's TVs over tasks) divided by its largest entry (a row of zeros stays zero).
  public static func normalized(_ tv: Matrix<Double>) -> Matrix<Double> {
    Matrix(rows: tv.rows, cols: tv.cols) { i, j in
      let top = tv.row(i).max() ?? 0
      return top > 0 ? tv[i, j] / top : 0
    }
  }
}

/// k-means clustering with k chosen by silhouette.
public struct UnitClustering: Sendable {
  /// Cluster of each row (0-based), ordered by cluster size descending.
  public var labels: [Int]
  public var k: Int
  /// The mean silhouette of the chosen clustering.
  public var silhouette: Double
  /// The mean silhouette of each k tried, from k = 2.
  public var silhouettes: [Double]

  /// Clusters the rows of `points`; needs at least 3 rows.
  public init(points: Matrix<Double>, maxK: Int = 10, using rng: inout NumpyRandom) throws {
    let n = points.rows
    guard n >= 3 else {
      throw ConfigurationError.invalid(key: "clusters", message: "needs at least 3 active units to cluster, got \(n)")
    }
    let top = min(maxK, n - 1)
    var best: (labels: [Int], k: Int, s: Double)? = nil
    var all: [Double] = []
    for k in 2...max(2, top) {
      let labels = Self.kMeans(points, k: k, restarts: 10, using: &rng)
      let s = Self.silhouette(points, labels: labels)
      all.append(s)
      if best == nil || s > best!.s { best = (labels, k, s) }
    }
    // Relabel by cluster size, largest first (ties by first member).
    let b = best!
    let order = (0..<b.k).sorted { x, y in
      let cx = b.labels.filter { $0 == x }.count, cy = b.labels.filter { $0 == y }.count
      return cx != cy ? cx > cy : (b.labels.firstIndex(of: x) ?? n) < (b.labels.firstIndex(of: y) ?? n)
    }
    var rank = [Int](repeating: 0, count: b.k)
    for (r, c) in order.enumerated() { rank[c] = r }
    labels = b.labels.map { rank[$0] }
    k = b.k
    silhouette = b.s
    silhouettes = all
  }

  static func distance2(_ p: Matrix<Double>, _ i: Int, _ c: [Double]) -> Double {
    var s = 0.0
    for j in 0..<p.cols { let d = p[i, j] - c[j]; s += d * d }
    return s
  }

  /// Lloyd's algorithm from k-means++ starts; the best of `restarts` runs by inertia.
  public static func kMeans(_ p: Matrix<Double>, k: Int, restarts: Int, using rng: inout NumpyRandom) -> [Int] {
    let n = p.rows
    var best: (labels: [Int], inertia: Double)? = nil
    for _ in 0..<restarts {
      // k-means++: each next centre drawn with probability ∝ squared distance to the nearest one.
      var centres = [p.row(min(Int(rng.uniform() * Double(n)), n - 1))]
      while centres.count < k {
        let d = (0..<n).map { i in centres.map { distance2(p, i, $0) }.min()! }
        let total = d.reduce(0, +)
        var pick = n - 1
        if total > 0 {
          var target = rng.uniform() * total
          for i in 0..<n {
            target -= d[i]
            if target < 0 { pick = i; break }
          }
        } else {
          pick = min(Int(rng.uniform() * Double(n)), n - 1)
        }
        centres.append(p.row(pick))
      }
      var labels = [Int](repeating: -1, count: n)
      for _ in 0..<300 {
        let next = (0..<n).map { i in (0..<k).min { distance2(p, i, centres[$0]) < distance2(p, i, centres[$1]) }! }
        if next == labels { break }
        labels = next
        for c in 0..<k {
          let members = (0..<n).filter { labels[$0] == c }
          guard !members.isEmpty else { continue }  // an empty cluster keeps its centre
          centres[c] = (0..<p.cols).map { j in members.reduce(0.0) { $0 + p[$1, j] } / Double(members.count) }
        }
      }
      let inertia = (0..<n).reduce(0.0) { $0 + distance2(p, $1, centres[labels[$1]]) }
      if best == nil || inertia < best!.inertia { best = (labels, inertia) }
    }
    return best!.labels
  }

  /// The mean over rows of s_i = (b_i − a_i)/max(a_i, b_i), with a_i the mean distance to the rest
  /// of its cluster and b_i the smallest mean distance to another cluster; s_i = 0 in a singleton.
  public static func silhouette(_ p: Matrix<Double>, labels: [Int]) -> Double {
    let n = p.rows
    let clusters = Set(labels)
    guard clusters.count >= 2 else { return 0 }
    var total = 0.0
    for i in 0..<n {
      var sums: [Int: (Double, Int)] = [:]
      for j in 0..<n where j != i {
        let d = distance2(p, i, p.row(j)).squareRoot()
        let s = sums[labels[j]] ?? (0, 0)
        sums[labels[j]] = (s.0 + d, s.1 + 1)
      }
      guard let own = sums[labels[i]], own.1 > 0 else { continue }
      let a = own.0 / Double(own.1)
      let b = sums.filter { $0.key != labels[i] }.map { $0.value.0 / Double($0.value.1) }.min() ?? 0
      let m = max(a, b)
      total += m > 0 ? (b - a) / m : 0
    }
    return total / Double(n)
  }
}
