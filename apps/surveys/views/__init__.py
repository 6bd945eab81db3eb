"""surveys' views, one module per part (builder, results, answering)."""
