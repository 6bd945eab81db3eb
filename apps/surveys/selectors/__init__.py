"""surveys' selectors, one module per part (builder, results, answering)."""
