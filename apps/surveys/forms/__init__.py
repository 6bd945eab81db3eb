"""surveys' forms, one module per part (builder, results, answering)."""
