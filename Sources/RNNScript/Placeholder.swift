// The command language (placeholder until the first file lands).
