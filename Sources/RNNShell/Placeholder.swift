// The shell (placeholder until the first file lands).
