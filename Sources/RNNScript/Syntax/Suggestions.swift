// "Did you mean …?": the closest known word to a misspelt one. Used by the parser for command
// names and by the evaluator for parameter keys (`N_recc` → `N_rec`), variables and constructors.

/// The candidate closest to `word`, if one is close enough to be a likely typo, else `nil`.
///
/// Closeness is the edit distance (insertions, deletions, substitutions and swaps of two
/// neighbouring characters each count 1), ignoring case. A candidate qualifies if its distance is
/// at most `max(1, word.count / 3)`: one slip in a short word, two in `N_recc`. Ties go to the
/// alphabetically first candidate, so the answer does not depend on the candidates' order.
/// A candidate spelt exactly like `word` is never suggested.
public func suggestion(for word: String, among candidates: [String]) -> String? {
  let target = Array(word.lowercased())
  let limit = max(1, target.count / 3)
  var best: (distance: Int, candidate: String)?
  for candidate in candidates where candidate != word {
    let other = Array(candidate.lowercased())
    guard abs(other.count - target.count) <= limit else { continue }  // too far apart to qualify
    let distance = editDistance(target, other)
    guard distance <= limit else { continue }
    if let current = best,
      current.distance < distance || (current.distance == distance && current.candidate < candidate)
    {
      continue
    }
    best = (distance, candidate)
  }
  return best?.candidate
}

/// The restricted Damerau–Levenshtein ("optimal string alignment") distance between `a` and `b`:
/// the fewest insertions, deletions, substitutions and adjacent swaps turning `a` into `b`, where
/// no character is edited twice. `editDistance("trian", "train") == 1`.
func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  // Rows of the dynamic-programming table: d[i][j] = distance between a[..<i] and b[..<j].
  var beforePrevious = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        current[j] = min(current[j], beforePrevious[j - 2] + 1)  // swap of neighbours
      }
    }
    (beforePrevious, previous, current) = (previous, current, beforePrevious)
  }
  return previous[b.count]
}
